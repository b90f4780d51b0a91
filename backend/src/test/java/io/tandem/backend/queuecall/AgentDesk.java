package io.tandem.backend.queuecall;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tandem.backend.TestNode;
import io.tandem.protocol.ApiPaths;
import io.tandem.protocol.Protocol;
import io.tandem.telephony.testing.Await;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** An agent's desk as the softphone drives it: REST login and state, the agent WebSocket's messages. */
final class AgentDesk implements AutoCloseable {

    private static final ObjectMapper JSON = Protocol.mapper();

    final String agentId;
    private final TestNode node;
    private final String token;
    private final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
    private WebSocket socket;

    private AgentDesk(TestNode node, String agentId, String token) {
        this.node = node;
        this.agentId = agentId;
        this.token = token;
    }

    /** Logs the agent in through {@code node} (not-ready) and makes it available. */
    static AgentDesk available(TestNode node, String agentId) throws Exception {
        HttpResponse<String> login = node.api().post(ApiPaths.AGENT_LOGIN, agentId + "@demo", TestNode.PASSWORD, "");
        assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
        AgentDesk desk = new AgentDesk(node, agentId, JSON.readTree(login.body()).path("token").asText());
        desk.state("available");
        return desk;
    }

    void state(String state) {
        HttpResponse<String> response = put(state);
        assertThat(response.statusCode()).as(agentId + " -> " + state + ": " + response.body()).isEqualTo(200);
    }

    /**
     * As {@link #state}, once the node has ended the agent's call: the agent's phone sees the BYE before the node
     * writes the call's end, and until then a change is refused (409, "on a call").
     */
    void stateAfterCall(String state) throws InterruptedException {
        Await.until(agentId + " -> " + state + " accepted (200) once the node "
                + "ended the call", java.time.Duration.ofSeconds(30), () -> put(state).statusCode() == 200);
    }

    private HttpResponse<String> put(String state) {
        return node.api().put(ApiPaths.AGENT_STATE, agentId + "@demo", TestNode.PASSWORD,
                "not-ready".equals(state) ? "{\"state\":\"not-ready\",\"reason\":\"break\"}"
                        : "{\"state\":\"" + state + "\"}");
    }

    /** Opens the agent WebSocket (offers, state changes). */
    AgentDesk listen() throws Exception {
        socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token)
                .buildAsync(URI.create("ws://127.0.0.1:" + node.port() + "/ws/agent"), new WebSocket.Listener() {
                    private final StringBuilder partial = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            try {
                                messages.add(JSON.readTree(partial.toString()));
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                            partial.setLength(0);
                        }
                        webSocket.request(1);
                        return null;
                    }
                }).get(15, TimeUnit.SECONDS);
        return this;
    }

    /** The payload of the next message of {@code type}. */
    JsonNode next(String type) throws InterruptedException {
        long deadline = System.nanoTime() + QueuePhone.WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode message = messages.poll(100, TimeUnit.MILLISECONDS);
            if (message != null && type.equals(message.path("type").asText())) {
                return message.path("payload");
            }
        }
        throw new AssertionError(agentId + ": no '" + type + "' message");
    }

    @Override
    public void close() {
        if (socket != null) {
            socket.abort();
        }
    }
}
