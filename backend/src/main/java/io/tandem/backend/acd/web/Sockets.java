package io.tandem.backend.acd.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tandem.backend.api.TenantPrincipal;
import io.tandem.protocol.Envelope;
import io.tandem.protocol.Protocol;
import java.io.IOException;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.Authentication;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;

/** What both WebSocket endpoints share: the authenticated user of a session and sending envelopes safely. */
final class Sockets {

    private static final Logger log = LoggerFactory.getLogger(Sockets.class);
    /** A slow client may fall this far behind before its socket is closed (bounded, like every queue). */
    private static final int SEND_TIME_LIMIT_MS = 10_000;
    private static final int BUFFER_LIMIT = 1 << 20;

    static final ObjectMapper JSON = Protocol.mapper();

    private Sockets() {
    }

    /** Sends from any thread, one at a time, dropping the client if it cannot keep up. */
    static WebSocketSession concurrent(WebSocketSession session) {
        return new ConcurrentWebSocketSessionDecorator(session, SEND_TIME_LIMIT_MS, BUFFER_LIMIT,
                ConcurrentWebSocketSessionDecorator.OverflowStrategy.TERMINATE);
    }

    static TenantPrincipal principal(WebSocketSession session) {
        if (session.getPrincipal() instanceof Authentication auth && auth.getPrincipal() instanceof TenantPrincipal p) {
            return p;
        }
        throw new IllegalStateException("WebSocket without an authenticated user");
    }

    static void send(WebSocketSession session, String type, String id, Instant at, Object payload) {
        if (session.isOpen()) {
            sendText(session, type, text(type, id, at, payload));
        }
    }

    /** An envelope as the text sent, for a message that goes to many sockets alike. */
    static String text(String type, String id, Instant at, Object payload) {
        try {
            return JSON.writeValueAsString(Envelope.of(JSON, type, id, at, payload));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + type, e);
        }
    }

    /** Sends an envelope written by {@link #text}. */
    static void sendText(WebSocketSession session, String type, String text) {
        if (!session.isOpen()) {
            return;
        }
        try {
            session.sendMessage(new TextMessage(text));
        } catch (IOException | RuntimeException e) {
            log.debug("could not send {} on {}: {}", type, session.getId(), e.toString());
        }
    }
}
