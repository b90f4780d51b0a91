package io.tandem.backend.acd;

import io.tandem.backend.acd.agents.AgentSessions;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** RFC 9457 problem bodies of the ACD API, in the shape {@code api.ApiProblems} uses for invalid fields. */
public final class AcdProblems {

    private AcdProblems() {
    }

    public static ErrorResponseException invalid(String field, String message) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, "1 invalid field");
        problem.setTitle("Invalid request");
        problem.setProperty("errors", List.of(Map.of("field", field, "message", message)));
        return new ErrorResponseException(HttpStatus.BAD_REQUEST, problem, null);
    }

    public static ErrorResponseException status(HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        return new ErrorResponseException(status, problem, null);
    }

    public static ProblemDetail refused(AgentSessions.RefusedException refused) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, refused.refusal().detail());
        problem.setTitle("State change refused");
        problem.setProperty("state", AgentSessions.wire(refused.status().state()));
        problem.setProperty("version", refused.status().version());
        return problem;
    }
}
