package io.tandem.backend.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

/** Which requests the panel's session chain takes, and which stay with the stateless API chain. */
class PanelRequestsTest {

    private static MockHttpServletRequest request(String method, String path) {
        MockHttpServletRequest request = new MockHttpServletRequest(method, path);
        request.setServletPath(path);
        return request;
    }

    @Test
    void pagesAndAssetsArePanel() {
        for (String path : new String[] {"/", "/panel", "/panel/sign-in", "/panel/wallboard", "/panel/panel.css"}) {
            assertThat(PanelRequests.ALL.matches(request("GET", path))).as(path).isTrue();
        }
    }

    @Test
    void theApiWithTheSessionCookieAndNothingElseIsPanel() {
        MockHttpServletRequest withSession = request("PUT", "/api/v1/tenants/demo/agents/1001/state");
        withSession.setRequestedSessionId("abc");
        assertThat(PanelRequests.ALL.matches(withSession)).isTrue();

        MockHttpServletRequest socket = request("GET", "/ws/supervisor");
        socket.setRequestedSessionId("abc");
        assertThat(PanelRequests.ALL.matches(socket)).isTrue();
    }

    @Test
    void basicBearerAndAnonymousCallsStayWithTheApi() {
        MockHttpServletRequest basic = request("GET", "/api/v1/tenants/demo/agents");
        basic.setRequestedSessionId("abc");
        basic.addHeader("Authorization", "Basic YWRtaW5AZGVtbzp0YW5kZW0=");
        assertThat(PanelRequests.ALL.matches(basic)).as("Basic, even with a stray cookie").isFalse();

        assertThat(PanelRequests.ALL.matches(request("GET", "/api/v1/tenants/demo/agents"))).as("anonymous")
                .isFalse();

        MockHttpServletRequest agentSocket = request("GET", "/ws/agent");
        agentSocket.setRequestedSessionId("abc");
        assertThat(PanelRequests.ALL.matches(agentSocket)).as("the agent socket is never the panel's").isFalse();

        MockHttpServletRequest cluster = request("GET", "/api/v1/cluster/nodes");
        cluster.setRequestedSessionId("abc");
        assertThat(PanelRequests.ALL.matches(cluster)).isFalse();
    }
}
