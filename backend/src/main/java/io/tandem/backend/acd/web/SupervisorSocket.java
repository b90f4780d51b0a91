package io.tandem.backend.acd.web;

import io.tandem.backend.acd.events.LiveEvent;
import io.tandem.backend.acd.events.LiveEvents;
import io.tandem.backend.api.TenantPrincipal;
import io.tandem.protocol.MessageType;
import io.tandem.protocol.QueueFigures;
import io.tandem.protocol.TenantEvent;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.security.core.Authentication;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.TextWebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * {@code /ws/supervisor}: every event of the supervisor's tenant, cluster-wide, in stream order, each with its stream
 * id. {@code ?after=<id>} resumes after a reconnect: the stream is replayed from there, while live events arriving
 * meanwhile are held back and sent after the replay without duplicates. Without it the socket starts at the newest
 * event when the handshake was accepted.
 * <p>
 * Besides the events, each socket gets the figures of the tenant's queues ({@link MessageType#QUEUE_FIGURES}) when
 * they change, computed once a second per tenant by {@link QueueFiguresPush}: today's answered, abandoned, service
 * level and handle time need the statistics hashes, which no single event carries, and a wallboard asking for them
 * on every event would multiply the reads by the number of open pages.
 */
class SupervisorSocket extends TextWebSocketHandler {

    /** Handshake attribute: the newest event id when the handshake was accepted (see {@link #cursorAtHandshake}). */
    private static final String HANDSHAKE_CURSOR = "tandem.supervisor.cursor";

    private static final int REPLAY_PAGE = 1_000;
    /** At most this many events are replayed; older ones are in the CSV export and statistics. */
    private static final int REPLAY_MAX = 100_000;

    private final LiveEvents events;
    private final Clock clock;
    private final Map<String, Attached> attached = new ConcurrentHashMap<>();

    private record Attached(TenantPrincipal supervisor, Feed feed) {
    }

    /** Ordered delivery to one socket; guarded by its own monitor. */
    private static final class Feed implements LiveEvents.Listener {
        private final WebSocketSession session;
        private final List<LiveEvent> held = new ArrayList<>(); // guarded by this
        private boolean replaying = true; // guarded by this
        private String last; // guarded by this
        /** Per queue, the figures this socket got last; guarded by this. */
        private final Map<String, QueueFigures> figuresSent = new HashMap<>();

        Feed(WebSocketSession session, String after) {
            this.session = session;
            this.last = after;
        }

        @Override
        public synchronized void onEvent(String tenant, LiveEvent event) {
            if (event.direct()) {
                return; // one agent's message (with its join token), not a tenant event
            }
            if (replaying) {
                held.add(event);
            } else {
                deliver(event);
            }
        }

        synchronized void replayed(List<LiveEvent> replay) {
            replay.forEach(this::deliver);
            held.forEach(this::deliver);
            held.clear();
            replaying = false;
        }

        synchronized void figures(List<QueueFigures> all, Clock clock) {
            for (QueueFigures figures : all) {
                if (!figures.equals(figuresSent.put(figures.queue(), figures))) {
                    Sockets.send(session, MessageType.QUEUE_FIGURES, "", clock.instant(), figures);
                }
            }
        }

        private void deliver(LiveEvent event) {
            if (last != null && !last.isEmpty() && LiveEvent.compareIds(event.id(), last) <= 0) {
                return; // already sent (replay and live overlap)
            }
            last = event.id();
            Sockets.sendText(session, MessageType.EVENT, Rendered.text(event));
        }
    }

    /**
     * An event's envelope as text, written once however many supervisors' sockets it goes to: the fan-out thread
     * hands each event to every feed of its tenant in turn, so the last one written is nearly always the one asked
     * for next.
     */
    private static final class Rendered {
        private static volatile Rendered last;

        private final LiveEvent event;
        private final String text;

        private Rendered(LiveEvent event, String text) {
            this.event = event;
            this.text = text;
        }

        static String text(LiveEvent event) {
            Rendered known = last;
            if (known != null && known.event == event) {
                return known.text;
            }
            String text = Sockets.text(MessageType.EVENT, event.id(), event.at(), new TenantEvent(event.kind(),
                    event.queue(), event.agentId(), event.callId(), event.node(), event.fields()));
            last = new Rendered(event, text);
            return text;
        }
    }

    SupervisorSocket(LiveEvents events, Clock clock) {
        this.events = events;
        this.clock = clock;
    }

    /** The tenants with at least one supervisor connected to this node. */
    Set<String> connectedTenants() {
        Set<String> tenants = new HashSet<>();
        attached.values().forEach(a -> tenants.add(a.supervisor().tenant()));
        return tenants;
    }

    /** Sends each supervisor of {@code tenant} the figures of the queues that differ from what it last got. */
    void pushFigures(String tenant, List<QueueFigures> figures) {
        for (Attached a : attached.values()) {
            if (a.supervisor().tenant().equals(tenant)) {
                a.feed().figures(figures, clock);
            }
        }
    }

    /**
     * Records the stream's newest id before the 101 goes out. A client may act as soon as its handshake completes,
     * before {@link #afterConnectionEstablished} runs here; without {@code ?after=} the socket replays from this
     * cursor, so an event that happens in that gap is still delivered.
     */
    HandshakeInterceptor cursorAtHandshake() {
        return new HandshakeInterceptor() {
            @Override
            public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response,
                    WebSocketHandler handler, Map<String, Object> attributes) {
                if (request.getPrincipal() instanceof Authentication auth
                        && auth.getPrincipal() instanceof TenantPrincipal supervisor) {
                    attributes.put(HANDSHAKE_CURSOR, events.lastId(supervisor.tenant()));
                }
                return true;
            }

            @Override
            public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response,
                    WebSocketHandler handler, Exception failure) {
            }
        };
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession raw) throws Exception {
        TenantPrincipal supervisor = Sockets.principal(raw);
        URI uri = raw.getUri();
        String after = uri == null ? null : UriComponentsBuilder.fromUri(uri).build().getQueryParams().getFirst("after");
        if (after != null && !after.matches("[0-9]{1,20}-[0-9]{1,20}")) {
            raw.close(CloseStatus.BAD_DATA.withReason("after must be a stream id such as 1764423600000-0"));
            return;
        }
        if (after == null && raw.getAttributes().get(HANDSHAKE_CURSOR) instanceof String cursor) {
            after = cursor;
        }
        Feed feed = new Feed(Sockets.concurrent(raw), after);
        attached.put(raw.getId(), new Attached(supervisor, feed));
        events.add(supervisor.tenant(), feed); // first listen, then read the stream: nothing falls in between
        List<LiveEvent> replay = new ArrayList<>();
        if (after != null) {
            String cursor = after;
            while (replay.size() < REPLAY_MAX) {
                List<LiveEvent> page = events.after(supervisor.tenant(), cursor, REPLAY_PAGE);
                replay.addAll(page);
                if (page.size() < REPLAY_PAGE) {
                    break;
                }
                cursor = page.get(page.size() - 1).id();
            }
        }
        feed.replayed(replay);
    }

    @Override
    public void afterConnectionClosed(WebSocketSession raw, CloseStatus status) {
        Attached a = attached.remove(raw.getId());
        if (a != null) {
            events.remove(a.supervisor().tenant(), a.feed());
        }
    }
}
