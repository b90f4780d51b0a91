package io.tandem.agent.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tandem.protocol.AgentStatus;
import io.tandem.protocol.CallbackWake;
import io.tandem.protocol.CallbackWakeEnded;
import io.tandem.protocol.ApiPaths;
import io.tandem.protocol.Envelope;
import io.tandem.protocol.MessageType;
import io.tandem.protocol.Offer;
import io.tandem.protocol.OfferEnded;
import io.tandem.protocol.Problem;
import io.tandem.protocol.Protocol;
import io.tandem.protocol.QueueFigures;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's WebSocket ({@link ApiPaths#WS_AGENT}): offers, state and queue figures come in as {@link Envelope}s;
 * a {@code ping} goes out every {@link #PING_INTERVAL} as the agent's presence. When the connection drops it is
 * opened again, on the next node of the list each time, so losing a node costs one retry interval. A node that
 * stops answering pings for {@link #SILENCE_LIMIT} (a crash or a partition leaves no TCP FIN to notice) counts as
 * lost too.
 */
public final class AgentSocket implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AgentSocket.class);
    static final Duration PING_INTERVAL = Duration.ofSeconds(5);
    private static final Duration RETRY = Duration.ofSeconds(2);
    /** Two missed pongs and a margin: the node is gone. */
    static final Duration SILENCE_LIMIT = PING_INTERVAL.multipliedBy(2).plusSeconds(1);

    private final List<URI> nodes;
    private final String token;
    private final AgentSocketListener listener;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = Protocol.mapper();
    /** Guarded by this. */
    private int next;
    /** Guarded by this. */
    private WebSocket socket;
    /** Guarded by this. */
    private ScheduledFuture<?> pinger;
    /** Guarded by this: the node the open socket belongs to. */
    private URI current;
    /** When the node last said anything (clock millis). */
    private volatile long lastHeard;
    private volatile boolean closed;

    public AgentSocket(List<URI> nodes, String token, AgentSocketListener listener,
                       ScheduledExecutorService scheduler, Clock clock) {
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("no node to connect to");
        }
        this.nodes = List.copyOf(nodes);
        this.token = token;
        this.listener = listener;
        this.scheduler = scheduler;
        this.clock = clock;
    }

    public void connect() {
        URI node;
        synchronized (this) {
            if (closed) {
                return;
            }
            node = nodes.get(next % nodes.size());
            next++;
        }
        URI ws = URI.create(node.toString().replaceFirst("^http", "ws")).resolve(ApiPaths.WS_AGENT);
        http.newWebSocketBuilder().header("Authorization", "Bearer " + token).connectTimeout(Duration.ofSeconds(5))
                .buildAsync(ws, new Receiver(node))
                .whenComplete((socket, error) -> {
                    if (error != null) {
                        LOG.info("agent WebSocket to {} failed: {}", node, error.getMessage());
                        retry(node);
                    }
                });
    }

    private void retry(URI node) {
        listener.onConnection(false, node.toString());
        if (!closed) {
            scheduler.schedule(this::connect, RETRY.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private synchronized void opened(WebSocket webSocket, URI node) {
        socket = webSocket;
        current = node;
        lastHeard = clock.millis();
        // A drop moves on to the next node: the one that dropped us may be hung and still accept connections.
        next = nodes.indexOf(node) + 1;
        pinger = scheduler.scheduleAtFixedRate(this::ping, 0, PING_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void ping() {
        WebSocket s;
        URI node;
        synchronized (this) {
            s = socket;
            node = current;
        }
        if (s != null && clock.millis() - lastHeard > SILENCE_LIMIT.toMillis()) {
            LOG.info("node {} silent for over {} s: reconnecting", node, SILENCE_LIMIT.toSeconds());
            s.abort();
            dropped(s, node);
            return;
        }
        if (s != null && !s.isOutputClosed()) {
            send(s, Envelope.of(json, MessageType.PING, "", clock.instant(), null));
        }
    }

    private void send(WebSocket s, Envelope envelope) {
        try {
            s.sendText(json.writeValueAsString(envelope), true);
        } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalStateException e) {
            LOG.debug("cannot send {}: {}", envelope.type(), e.getMessage());
        }
    }

    /** {@code dead} is gone: retry, unless another path already noticed (abort also fires onError). */
    private void dropped(WebSocket dead, URI node) {
        synchronized (this) {
            if (socket != dead) {
                return;
            }
            socket = null;
            if (pinger != null) {
                pinger.cancel(false);
            }
        }
        retry(node);
    }

    void dispatch(String text) {
        Envelope envelope;
        try {
            envelope = json.readValue(text, Envelope.class);
        } catch (java.io.IOException e) {
            LOG.warn("unreadable message on the agent WebSocket: {}", e.getMessage());
            return;
        }
        if (envelope.version() > Protocol.VERSION) {
            LOG.warn("message of protocol version {} ignored (we speak {})", envelope.version(), Protocol.VERSION);
            return;
        }
        switch (envelope.type()) {
            case MessageType.AGENT_STATE -> listener.onAgentState(envelope.payloadAs(json, AgentStatus.class));
            case MessageType.OFFER -> listener.onOffer(envelope.payloadAs(json, Offer.class));
            case MessageType.OFFER_ENDED -> listener.onOfferEnded(envelope.payloadAs(json, OfferEnded.class));
            case MessageType.QUEUE_FIGURES -> listener.onQueueFigures(envelope.payloadAs(json, QueueFigures.class));
            case MessageType.CALLBACK_WAKE -> listener.onCallbackWake(envelope.payloadAs(json, CallbackWake.class));
            case MessageType.CALLBACK_WAKE_ENDED ->
                    listener.onCallbackWakeEnded(envelope.payloadAs(json, CallbackWakeEnded.class));
            case MessageType.ERROR -> listener.onError(envelope.payloadAs(json, Problem.class).detail());
            default -> {
                // pong and types of later versions: nothing to do
            }
        }
    }

    @Override
    public void close() {
        WebSocket s;
        synchronized (this) {
            closed = true;
            s = socket;
            socket = null;
            if (pinger != null) {
                pinger.cancel(false);
            }
        }
        if (s != null) {
            s.sendClose(WebSocket.NORMAL_CLOSURE, "logout");
        }
    }

    private final class Receiver implements WebSocket.Listener {
        private final URI node;
        private final StringBuilder partial = new StringBuilder();

        Receiver(URI node) {
            this.node = node;
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            opened(webSocket, node);
            listener.onConnection(true, node.toString());
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            lastHeard = clock.millis();
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                try {
                    dispatch(text);
                } catch (RuntimeException e) {
                    LOG.warn("agent WebSocket message not handled: {}", e.getMessage());
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            LOG.info("agent WebSocket to {} closed: {} {}", node, statusCode, reason);
            dropped(webSocket, node);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            LOG.info("agent WebSocket to {} failed: {}", node, error.getMessage());
            dropped(webSocket, node);
        }
    }
}
