package io.tandem.agent.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.tandem.protocol.AgentLogin;
import io.tandem.protocol.AgentState;
import io.tandem.protocol.AgentStatus;
import io.tandem.protocol.ApiPaths;
import io.tandem.protocol.NodeEndpoint;
import io.tandem.protocol.Problem;
import io.tandem.protocol.Protocol;
import io.tandem.protocol.QueueFigures;
import io.tandem.protocol.SipAccount;
import io.tandem.protocol.StateChange;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The agent REST API exactly as the protocol module documents it ({@link ApiPaths}), served by the JDK's HTTP server
 * on loopback, for UI tests until the node's agent API is on main. Checks HTTP Basic {@code ext@tenant} and the
 * bearer token like a node would, answers 401 with an RFC 9457 problem otherwise, and records state changes.
 */
public final class AgentApiServer implements AutoCloseable {
    public static final String TOKEN = "test-token-4f1c";

    private final HttpServer server;
    private final ObjectMapper json = Protocol.mapper();
    private final String login;
    private final String password;
    private final List<NodeEndpoint> nodes;
    private final AtomicLong version = new AtomicLong();
    public final BlockingQueue<StateChange> stateChanges = new LinkedBlockingQueue<>();
    private volatile List<QueueFigures> queues = List.of();

    /** Accepts {@code agent@tenant} with {@code password}; the login answer names {@code nodes}. */
    public AgentApiServer(String agent, String tenant, String password, List<NodeEndpoint> nodes) throws IOException {
        this.login = agent + "@" + tenant;
        this.password = password;
        this.nodes = nodes;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        server.createContext(ApiPaths.AGENT_LOGIN, this::login);
        server.createContext(ApiPaths.AGENT_STATE, this::state);
        server.createContext(ApiPaths.AGENT_ME, this::me);
        server.createContext(ApiPaths.QUEUES, this::queues);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public void setQueues(List<QueueFigures> figures) {
        queues = List.copyOf(figures);
    }

    public AgentStatus status(AgentState state, String reason, Instant wrapUpUntil) {
        String agent = login.substring(0, login.indexOf('@'));
        return new AgentStatus(agent, state, reason, version.incrementAndGet(), Instant.now(), wrapUpUntil, null,
                "p1", List.of("sales"));
    }

    private void login(HttpExchange x) throws IOException {
        String expected = "Basic " + Base64.getEncoder().encodeToString((login + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
        if (!"POST".equals(x.getRequestMethod())) {
            send(x, 405, new Problem("about:blank", "Method Not Allowed", 405, "POST only"));
        } else if (!expected.equals(x.getRequestHeaders().getFirst("Authorization"))) {
            x.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"tandem\"");
            send(x, 401, new Problem("about:blank", "Unauthorized", 401, "Bad credentials"));
        } else {
            String agent = login.substring(0, login.indexOf('@'));
            String tenant = login.substring(login.indexOf('@') + 1);
            send(x, 200, new AgentLogin(TOKEN, tenant, agent, "Dana Agent", new SipAccount(agent, tenant, "127.0.0.1"),
                    nodes, List.of("Break", "Lunch", "Training"), Instant.now().plusSeconds(43200),
                    status(AgentState.NOT_READY, "Break", null)));
        }
    }

    private void state(HttpExchange x) throws IOException {
        if (!authorized(x)) {
            return;
        }
        StateChange change = json.readValue(x.getRequestBody(), StateChange.class);
        stateChanges.add(change);
        send(x, 200, status(change.state(), change.reason() == null ? "" : change.reason(), null));
    }

    private void me(HttpExchange x) throws IOException {
        if (!authorized(x)) {
            return;
        }
        if ("DELETE".equals(x.getRequestMethod())) {
            x.sendResponseHeaders(204, -1);
            x.close();
        } else {
            send(x, 200, status(AgentState.AVAILABLE, "", null));
        }
    }

    private void queues(HttpExchange x) throws IOException {
        if (authorized(x)) {
            send(x, 200, queues);
        }
    }

    private boolean authorized(HttpExchange x) throws IOException {
        if (("Bearer " + TOKEN).equals(x.getRequestHeaders().getFirst("Authorization"))) {
            return true;
        }
        send(x, 401, new Problem("about:blank", "Unauthorized", 401, "Bearer token required"));
        return false;
    }

    private void send(HttpExchange x, int status, Object body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        x.getResponseHeaders().add("Content-Type", status >= 400 ? "application/problem+json" : "application/json");
        x.sendResponseHeaders(status, bytes.length);
        x.getResponseBody().write(bytes);
        x.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
