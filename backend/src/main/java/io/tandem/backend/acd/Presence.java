package io.tandem.backend.acd;

import io.tandem.backend.registrar.Bindings;
import io.tandem.protocol.AgentState;
import io.tandem.protocol.AgentStatus;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Whether an agent is still there. Every node marks the agents whose WebSocket it holds as seen on each sweep; an
 * agent nobody has seen for {@code presence-grace} and whose phone has no SIP binding is logged out, so no session
 * outlives its agent (a crashed softphone, a laptop closed mid-shift).
 */
@Component
class Presence {

    private static final Logger log = LoggerFactory.getLogger(Presence.class);

    private final AgentSessions sessions;
    private final Bindings bindings;
    private final AcdProperties properties;
    private final Clock clock;
    /** Open agent WebSockets on this node: "tenant agentId" → count. */
    private final Map<String, AtomicInteger> local = new ConcurrentHashMap<>();

    Presence(AgentSessions sessions, Bindings bindings, AcdProperties properties, AcdScripts scripts) {
        this.sessions = sessions;
        this.bindings = bindings;
        this.properties = properties;
        this.clock = scripts.clock();
    }

    void opened(String tenant, String agentId) {
        local.computeIfAbsent(tenant + " " + agentId, k -> new AtomicInteger()).incrementAndGet();
        sessions.attached(tenant, agentId, clock.millis());
    }

    void pinged(String tenant, String agentId) {
        sessions.seen(tenant, agentId, clock.millis());
    }

    void closed(String tenant, String agentId) {
        local.computeIfPresent(tenant + " " + agentId, (k, n) -> n.decrementAndGet() <= 0 ? null : n);
        sessions.seen(tenant, agentId, clock.millis()); // the grace runs from the moment the socket went
    }

    /** Marks the agents whose socket this node holds as seen (every sweep: cheap, only local sockets). */
    void refresh() {
        long now = clock.millis();
        local.keySet().forEach(key -> {
            int space = key.indexOf(' ');
            sessions.seen(key.substring(0, space), key.substring(space + 1), now);
        });
    }

    /** Logs out the sessions of the tenant whose agent is gone (every dispatch round: reads every session). */
    void sweep(String tenant) {
        long now = clock.millis();
        for (AgentStatus session : sessions.sessions(tenant)) {
            String id = session.agentId();
            if (session.state() == AgentState.LOGGED_OUT || session.state() == AgentState.ON_CALL
                    || now - sessions.lastSeen(tenant, id) < properties.presenceGrace().toMillis()
                    || !bindings.lookup(tenant, id).isEmpty()) {
                continue;
            }
            try {
                sessions.change(tenant, id, AgentState.LOGGED_OUT, "", AgentSessions.Actor.PRESENCE);
                log.info("agent {}@{} logged out: no WebSocket and no SIP binding for {} s", id, tenant,
                        properties.presenceGrace().toSeconds());
            } catch (AgentSessions.RefusedException e) {
                log.debug("presence logout of {}@{} refused: {}", id, tenant, e.refusal());
            }
        }
    }
}
