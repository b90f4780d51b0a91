package io.tandem.agent.e2e;

import io.tandem.agent.testing.NodeProcess;
import io.tandem.agent.testing.PhoneUi;
import io.tandem.protocol.ApiPaths;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;

/** What the end-to-end tests do in the window and ask of a real node. */
final class RealNodes {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private RealNodes() {
    }

    /** Types the login form and presses Log in. */
    static void logIn(PhoneUi ui, String url, String agent, String password) throws Exception {
        ui.type("login-url", url);
        ui.type("login-tenant", "demo");
        ui.type("login-agent", agent);
        ui.type("login-password", password);
        ui.click("login-button");
    }

    /** Chooses a state with the selector, as an agent would. */
    @SuppressWarnings("unchecked")
    static void choose(PhoneUi ui, String state) throws Exception {
        PhoneUi.fx(() -> {
            ((javafx.scene.control.ComboBox<String>) ui.node("state-selector")).setValue(state);
            return null;
        });
    }

    /** The node's GET /api/v1/agents/me with the phone's bearer token: the agent's status as JSON. */
    static String agentMe(NodeProcess node, String token) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(node.url() + ApiPaths.AGENT_ME))
                    .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() + " " + r.body().replace(" ", "");
        } catch (IOException e) {
            return "unreachable: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    static boolean fxBool(Callable<Boolean> check) {
        try {
            return PhoneUi.fx(check);
        } catch (Exception e) {
            return false;
        }
    }
}
