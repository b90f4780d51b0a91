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
        for (String path : new String[] {"/", "/panel", "/panel/sign-in", "/panel/wallboard", "/panel/panel.css",
                "/swagger-ui.html", "/swagger-ui/index.html"}) {
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

        // The cluster page's poll and the Swagger UI's fetch of the description, with the session.
        for (String path : new String[] {"/api/v1/cluster/nodes", "/v3/api-docs", "/v3/api-docs/swagger-config"}) {
            MockHttpServletRequest call = request("GET", path);
            call.setRequestedSessionId("abc");
            assertThat(PanelRequests.ALL.matches(call)).as(path).isTrue();
        }
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

        MockHttpServletRequest docs = request("GET", "/v3/api-docs");
        docs.addHeader("Authorization", "Basic YWRtaW5AZGVtbzp0YW5kZW0=");
        assertThat(PanelRequests.ALL.matches(docs)).as("the API description fetched with Basic").isFalse();

        MockHttpServletRequest otherCluster = request("GET", "/api/v1/cluster/elsewhere");
        otherCluster.setRequestedSessionId("abc");
        assertThat(PanelRequests.ALL.matches(otherCluster)).as("only the node list of the cluster API").isFalse();
    }
}
