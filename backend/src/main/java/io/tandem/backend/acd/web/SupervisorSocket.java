package io.tandem.backend.acd.web;

import io.tandem.backend.acd.events.LiveEvent;
import io.tandem.backend.acd.events.LiveEvents;
import io.tandem.backend.api.TenantPrincipal;
import io.tandem.protocol.MessageType;
import io.tandem.protocol.TenantEvent;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 */
class SupervisorSocket extends TextWebSocketHandler {

    /** Handshake attribute: the newest event id when the handshake was accepted (see {@link #cursorAtHandshake}). */
    private static final String HANDSHAKE_CURSOR = "tandem.supervisor.cursor";

    private static final int REPLAY_PAGE = 1_000;
    /** At most this many events are replayed; older ones are in the CSV export and statistics. */
    private static final int REPLAY_MAX = 100_000;

    private final LiveEvents events;
    private final Map<String, Attached> attached = new ConcurrentHashMap<>();

    private record Attached(TenantPrincipal supervisor, LiveEvents.Listener listener) {
    }

    /** Ordered delivery to one socket; guarded by its own monitor. */
    private static final class Feed implements LiveEvents.Listener {
        private final WebSocketSession session;
        private final List<LiveEvent> held = new ArrayList<>(); // guarded by this
        private boolean replaying = true; // guarded by this
        private String last; // guarded by this

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

        private void deliver(LiveEvent event) {
            if (last != null && !last.isEmpty() && LiveEvent.compareIds(event.id(), last) <= 0) {
                return; // already sent (replay and live overlap)
            }
            last = event.id();
            Sockets.send(session, MessageType.EVENT, event.id(), event.at(), new TenantEvent(event.kind(),
                    event.queue(), event.agentId(), event.callId(), event.node(), event.fields()));
        }
    }

    SupervisorSocket(LiveEvents events) {
        this.events = events;
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
            events.remove(a.supervisor().tenant(), a.listener());
        }
    }
}
