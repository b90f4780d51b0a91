package io.tandem.backend.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** A session-authenticated supervisor WebSocket is opened by the panel's own pages only. */
class SameOriginSocketFilterTest {

    private record Answer(int status, boolean passed) {
    }

    private static Answer handshake(String path, String origin) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", path);
        request.setScheme("http");
        request.setServerName("node1.example");
        request.setServerPort(8080);
        if (origin != null) {
            request.addHeader("Origin", origin);
        }
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain();
        new SameOriginSocketFilter().doFilter(request, response, chain);
        return new Answer(response.getStatus(), chain.getRequest() != null);
    }

    @Test
    void theNodesOwnOriginPasses() throws Exception {
        assertThat(handshake("/ws/supervisor", "http://node1.example:8080").passed()).isTrue();
    }

    @Test
    void anotherOriginIsRefused() throws Exception {
        for (String origin : new String[] {"http://evil.example:8080", "http://node1.example:8081",
                "https://node1.example:8080", "http://node1.example", "not a uri"}) {
            Answer answer = handshake("/ws/supervisor", origin);
            assertThat(answer.status()).as(origin).isEqualTo(403);
            assertThat(answer.passed()).as(origin).isFalse();
        }
    }

    @Test
    void otherPathsAreNotItsBusiness() throws Exception {
        assertThat(handshake("/panel/wallboard", "http://evil.example").passed()).isTrue();
    }
}
