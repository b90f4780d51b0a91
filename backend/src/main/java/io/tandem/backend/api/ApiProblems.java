package io.tandem.backend.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import com.fasterxml.jackson.databind.exc.MismatchedInputException;

/**
 * RFC 9457 problem bodies for every error of the REST API. Validation problems list each offending field
 * under {@code errors} as {@code {"field": ..., "message": ...}}; nothing internal (stack traces) leaks.
 */
@RestControllerAdvice
class ApiProblems extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiProblems.class);

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<Map<String, Object>> errors = new ArrayList<>();
        for (FieldError error : ex.getBindingResult().getFieldErrors()) {
            errors.add(Map.of("field", error.getField(), "message", String.valueOf(error.getDefaultMessage())));
        }
        ex.getBindingResult().getGlobalErrors().forEach(error ->
                errors.add(Map.of("field", error.getObjectName(), "message", String.valueOf(error.getDefaultMessage()))));
        return invalid(errors, headers);
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<Map<String, Object>> errors = new ArrayList<>();
        ex.getParameterValidationResults().forEach(result -> {
            String name = result.getMethodParameter().getParameterName();
            for (MessageSourceResolvable error : result.getResolvableErrors()) {
                errors.add(Map.of("field", String.valueOf(name), "message", String.valueOf(error.getDefaultMessage())));
            }
        });
        return invalid(errors, headers);
    }

    @Override
    protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException ex, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        String field = ex.getPropertyName() == null ? "value" : ex.getPropertyName();
        Class<?> type = ex.getRequiredType();
        if (type != null && type.isEnum()) {
            List<String> allowed = EnumValues.wireNames(type);
            return invalid(List.of(Map.of("field", field, "message", "must be one of " + String.join(", ", allowed),
                    "allowed", allowed)), headers);
        }
        String expected = type == null ? "another type" : describe(type);
        return invalid(List.of(Map.of("field", field, "message", "must be " + expected)), headers);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, "the body is not valid JSON"
                + " for this request");
        problem.setTitle("Unreadable request body");
        if (ex.getCause() instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
            StringBuilder path = new StringBuilder();
            mismatch.getPath().forEach(ref -> path.append(path.isEmpty() || ref.getFieldName() == null ? "" : ".")
                    .append(ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]"));
            Class<?> target = mismatch.getTargetType();
            if (target != null && target.isEnum()) {
                // An unknown enum value: name the field and every value it takes, in the body's own spelling.
                List<String> allowed = EnumValues.wireNames(target);
                problem.setDetail("1 invalid field");
                problem.setTitle("Invalid request");
                problem.setProperty("errors", List.of(Map.of("field", path.toString(),
                        "message", "must be one of " + String.join(", ", allowed), "allowed", allowed)));
            } else {
                problem.setProperty("errors", List.of(Map.of("field", path.toString(), "message", "wrong type")));
            }
        }
        return ResponseEntity.badRequest().headers(headers).body(problem);
    }

    /** Values the domain refuses (for instance a malformed name reaching a key builder). */
    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<Object> illegalArgument(IllegalArgumentException ex) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, ex.getMessage());
        problem.setTitle("Invalid request");
        return ResponseEntity.badRequest().body(problem);
    }

    /** Anything unexpected: logged here with its stack trace, answered without it. */
    @ExceptionHandler(RuntimeException.class)
    ResponseEntity<Object> unexpected(RuntimeException ex) {
        log.error("unexpected error in the REST API", ex);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
                "the node could not complete the request; see its log");
        problem.setTitle("Internal error");
        return ResponseEntity.internalServerError().body(problem);
    }

    private static ResponseEntity<Object> invalid(List<Map<String, Object>> errors, HttpHeaders headers) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                errors.size() == 1 ? "1 invalid field" : errors.size() + " invalid fields");
        problem.setTitle("Invalid request");
        problem.setProperty("errors", errors);
        return ResponseEntity.badRequest().headers(headers).body(problem);
    }

    private static String describe(Class<?> type) {
        if (type == java.time.Instant.class) {
            return "an ISO-8601 instant such as 2026-11-23T18:00:00Z";
        }
        return "a " + type.getSimpleName();
    }
}
