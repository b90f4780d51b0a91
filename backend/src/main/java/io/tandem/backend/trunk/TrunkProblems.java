package io.tandem.backend.trunk;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * RFC 9457 problems of the trunk APIs in the shape the rest of the API answers with ({@code api.ApiProblems}): an
 * invalid field under {@code errors}, with the values it takes under {@code allowed} when they are few.
 */
final class TrunkProblems {

    private TrunkProblems() {
    }

    static ErrorResponseException invalid(String field, String message) {
        return invalid(field, message, List.of());
    }

    static ErrorResponseException invalid(String field, String message, List<String> allowed) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("field", field);
        error.put("message", message);
        if (!allowed.isEmpty()) {
            error.put("allowed", allowed);
        }
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, "1 invalid field");
        problem.setTitle("Invalid request");
        problem.setProperty("errors", List.of(error));
        return new ErrorResponseException(HttpStatus.BAD_REQUEST, problem, null);
    }

    static ErrorResponseException problem(HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        return new ErrorResponseException(status, problem, null);
    }
}
