package io.tandem.backend.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import io.tandem.backend.acd.queues.Strategy;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.mock.http.MockHttpInputMessage;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.context.request.ServletWebRequest;

class ApiProblemsTest {

    @Test
    void anUnknownEnumValueNamesTheFieldAndTheAllowedValues() {
        InvalidFormatException unknown = InvalidFormatException.from(null, "not one of the values", "fastest",
                Strategy.class);
        unknown.prependPath(Object.class, "strategy");
        HttpInputMessage body = new MockHttpInputMessage(new byte[0]);
        HttpMessageNotReadableException ex = new HttpMessageNotReadableException("JSON parse error", unknown, body);

        ResponseEntity<Object> answer = new ApiProblems().handleHttpMessageNotReadable(ex, new HttpHeaders(),
                HttpStatus.BAD_REQUEST, new ServletWebRequest(new MockHttpServletRequest()));

        assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        ProblemDetail problem = (ProblemDetail) answer.getBody();
        @SuppressWarnings("unchecked")
        Map<String, Object> error = ((List<Map<String, Object>>) problem.getProperties().get("errors")).get(0);
        assertThat(error).containsEntry("field", "strategy");
        assertThat((String) error.get("message")).startsWith("must be one of ring-all, longest-idle,");
        assertThat(error.get("allowed")).asInstanceOf(InstanceOfAssertFactories.LIST).contains("skills-based", "random");
    }
}
