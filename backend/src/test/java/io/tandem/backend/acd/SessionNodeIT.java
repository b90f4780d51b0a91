package io.tandem.backend.acd;

import static io.tandem.backend.TestNode.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.backend.TestNode;
import io.tandem.protocol.AgentLogin;
import io.tandem.protocol.AgentStatus;
import io.tandem.protocol.ApiPaths;
import io.tandem.telephony.testing.Await;
import io.tandem.telephony.testing.RedisServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An agent's session lives on the node that holds its WebSocket: logged in at node 1, the softphone that failed over
 * opens its socket on node 2 and the session's node follows (claims offer only agents on live nodes).
 */
class SessionNodeIT {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    private static final HttpClient http = HttpClient.newHttpClient();
    private static TestNode node1;
    private static TestNode node2;

    @BeforeAll
    static void start() {
        node1 = TestNode.start("tandem.redis.uri=" + redis.uri(), "tandem.node.id=sn-n1");
        node2 = TestNode.start("tandem.redis.uri=" + redis.uri(), "tandem.node.id=sn-n2");
    }

    @AfterAll
    static void stop() {
        node2.close();
        node1.close();
    }

    private static HttpResponse<String> send(TestNode node, String method, String path, String authorization)
            throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + path))
                .timeout(Duration.ofSeconds(30)).method(method, HttpRequest.BodyPublishers.noBody())
                .header("Authorization", authorization).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static AgentStatus me(TestNode node, String token) throws Exception {
        return WsClient.JSON.readValue(send(node, "GET", ApiPaths.AGENT_ME, "Bearer " + token).body(),
                AgentStatus.class);
    }

    @Test
    void theSessionMovesToTheNodeItsWebSocketOpensOn() throws Exception {
        String basic = "Basic " + Base64.getEncoder().encodeToString(("1007@demo:" + PASSWORD).getBytes());
        HttpResponse<String> response = send(node1, "POST", ApiPaths.AGENT_LOGIN, basic);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        AgentLogin login = WsClient.JSON.readValue(response.body(), AgentLogin.class);
        assertThat(me(node1, login.token()).node()).isEqualTo("sn-n1");

        try (WsClient ws = WsClient.connect(node2.port(), ApiPaths.WS_AGENT, "Bearer " + login.token())) {
            Await.until("the session's node is sn-n2", Duration.ofSeconds(20),
                    () -> {
                        try {
                            return "sn-n2".equals(me(node1, login.token()).node());
                        } catch (Exception e) {
                            return false;
                        }
                    });
        }
    }
}
