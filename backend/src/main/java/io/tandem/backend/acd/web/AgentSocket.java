package io.tandem.backend.acd.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.tandem.backend.acd.agents.AgentSessions;
import io.tandem.backend.acd.agents.Presence;
import io.tandem.backend.acd.dispatch.Callers;
import io.tandem.backend.acd.events.LiveEvent;
import io.tandem.backend.acd.events.LiveEvents;
import io.tandem.backend.api.TenantPrincipal;
import io.tandem.protocol.AgentStatus;
import io.tandem.protocol.CallbackWake;
import io.tandem.protocol.CallbackWakeEnded;
import io.tandem.protocol.Envelope;
import io.tandem.protocol.MessageType;
import io.tandem.protocol.Offer;
import io.tandem.protocol.OfferEnded;
import io.tandem.protocol.Problem;
import io.tandem.protocol.QueueFigures;
import java.time.Clock;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.TextWebSocketHandler;

/**
 * {@code /ws/agent}: one agent's live channel. On connect it sends the session's state; then every change of that
 * agent (made on any node: the events arrive through {@link LiveEvents}), offers and their end, and the figures of
 * the agent's queues when they change ({@link QueueFiguresPush}), and the callback service's wakes addressed to this
 * agent ({@link CallbackWake}, {@link CallbackWakeEnded}: published on the same live channel with the agent's id, so
 * whichever node holds the socket delivers them); it answers {@code ping} with {@code pong}. An open socket is the
 * agent's presence.
 */
class AgentSocket extends TextWebSocketHandler {

    private final AgentSessions sessions;
    private final LiveEvents events;
    private final Presence presence;
    private final Callers callers;
    private final Clock clock;
    private final Map<String, Attached> attached = new ConcurrentHashMap<>();

    /** A socket, its subscription and the queue figures last sent on it (by queue number). */
    private record Attached(WebSocketSession session, TenantPrincipal agent, LiveEvents.Listener listener,
            Map<String, QueueFigures> figuresSent) {
    }

    AgentSocket(AgentSessions sessions, LiveEvents events, Presence presence, Callers callers, Clock clock) {
        this.sessions = sessions;
        this.events = events;
        this.presence = presence;
        this.callers = callers;
        this.clock = clock;
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession raw) {
        TenantPrincipal agent = Sockets.principal(raw);
        WebSocketSession session = Sockets.concurrent(raw);
        LiveEvents.Listener listener = (tenant, event) -> {
            if (agent.extension().equals(event.agentId())) {
                forward(session, event);
            }
        };
        attached.put(raw.getId(), new Attached(session, agent, listener, new ConcurrentHashMap<>()));
        events.add(agent.tenant(), listener);
        presence.opened(agent.tenant(), agent.extension());
        AgentStatus status = sessions.status(agent.tenant(), agent.extension());
        Sockets.send(session, MessageType.AGENT_STATE, "", clock.instant(), status);
    }

    @Override
    protected void handleTextMessage(WebSocketSession raw, TextMessage message) {
        Attached a = attached.get(raw.getId());
        if (a == null) {
            return;
        }
        Envelope envelope;
        try {
            envelope = Sockets.JSON.readValue(message.getPayload(), Envelope.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            Sockets.send(a.session(), MessageType.ERROR, "", clock.instant(), new Problem("about:blank",
                    "Unreadable message", 400, "send a JSON envelope {v, type, id, at, payload}"));
            return;
        }
        if (MessageType.PING.equals(envelope.type())) {
            presence.pinged(a.agent().tenant(), a.agent().extension());
            Sockets.send(a.session(), MessageType.PONG, envelope.id(), clock.instant(), null);
        } else {
            Sockets.send(a.session(), MessageType.ERROR, envelope.id(), clock.instant(), new Problem("about:blank",
                    "Unknown message type", 400, "'" + envelope.type() + "' is not a command of this socket;"
                    + " state changes go through PUT " + io.tandem.protocol.ApiPaths.AGENT_STATE));
        }
    }

    @Override
    public void afterConnectionClosed(WebSocketSession raw, CloseStatus status) {
        Attached a = attached.remove(raw.getId());
        if (a != null) {
            events.remove(a.agent().tenant(), a.listener());
            presence.closed(a.agent().tenant(), a.agent().extension());
        }
    }

    /** Tenants with at least one agent connected to this node. */
    Set<String> connectedTenants() {
        Set<String> tenants = new HashSet<>();
        attached.values().forEach(a -> tenants.add(a.agent().tenant()));
        return tenants;
    }

    boolean isConnected(String tenant, String agentId) {
        return attached.values().stream()
                .anyMatch(a -> a.agent().tenant().equals(tenant) && a.agent().extension().equals(agentId));
    }

    /** Sends each connected agent of {@code tenant} the figures of its queues that differ from what it last got. */
    void pushFigures(String tenant, Map<String, List<QueueFigures>> byAgent) {
        for (Attached a : attached.values()) {
            if (!a.agent().tenant().equals(tenant)) {
                continue;
            }
            for (QueueFigures figures : byAgent.getOrDefault(a.agent().extension(), List.of())) {
                if (!figures.equals(a.figuresSent().put(figures.queue(), figures))) {
                    Sockets.send(a.session(), MessageType.QUEUE_FIGURES, "", clock.instant(), figures);
                }
            }
        }
    }

    private void forward(WebSocketSession session, LiveEvent event) {
        switch (event.kind()) {
            case "agent.state" -> {
                String queues = event.field("queues");
                AgentStatus status = new AgentStatus(event.agentId(), AgentSessions.state(event.field("state")),
                        event.field("reason"), AgentSessions.number(event.field("version")),
                        AgentSessions.instant(event.field("since")), AgentSessions.instant(event.field("wrapUpUntil")),
                        AgentSessions.instant(event.field("leaseUntil")), event.field("agentNode"),
                        queues.isEmpty() ? List.of() : Arrays.asList(queues.split(",")));
                Sockets.send(session, MessageType.AGENT_STATE, event.id(), event.at(), status);
            }
            case "offer" -> Sockets.send(session, MessageType.OFFER, event.id(), event.at(), new Offer(
                    event.field("offerId"), event.callId(), event.queue(), event.field("queueName"),
                    event.field("callerNumber"), event.field("callerName"),
                    AgentSessions.number(event.field("waitedSeconds")),
                    (int) AgentSessions.number(event.field("ringTimeoutSeconds")),
                    callers.decodeData(event.field("data"))));
            case "offer.ended" -> Sockets.send(session, MessageType.OFFER_ENDED, event.id(), event.at(),
                    new OfferEnded(event.field("offerId"), event.field("reason")));
            case CallbackWake.KIND -> {
                if (event.direct()) { // only the service's message to this agent, never a stream entry of that kind
                    Sockets.send(session, MessageType.CALLBACK_WAKE, "", event.at(), CallbackWake.of(event.fields()));
                }
            }
            case CallbackWakeEnded.KIND -> {
                if (event.direct()) {
                    Sockets.send(session, MessageType.CALLBACK_WAKE_ENDED, "", event.at(),
                            CallbackWakeEnded.of(event.fields()));
                }
            }
            default -> {
                // connect, call.end and queue events reach agents through agent.state and queue figures
            }
        }
    }
}
