package io.tandem.callback.ticket;

import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** RFC 9457 problem bodies for the ticket API's bad requests; nothing internal leaks. */
@RestControllerAdvice(assignableTypes = TicketController.class)
class TicketProblems {

    @ExceptionHandler(TicketController.BadTicketRequest.class)
    ResponseEntity<ProblemDetail> bad(TicketController.BadTicketRequest e) {
        return ResponseEntity.badRequest().body(e.problem());
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ProblemDetail> unreadable(HttpMessageNotReadableException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                "the body is not valid JSON for this request");
        problem.setTitle("Unreadable request body");
        problem.setProperty("errors",
                List.of(Map.of("field", "body", "message", "must be JSON such as {\"agent\":\"1011\"}")));
        return ResponseEntity.badRequest().body(problem);
    }
}
