package io.tandem.backend.acd.agents;

import io.tandem.backend.acd.AcdProperties;
import io.tandem.backend.acd.AcdScripts;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.ScriptReply;
import io.tandem.backend.registrar.Bindings;
import io.tandem.protocol.AgentState;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
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
public class Presence {

    private static final Logger log = LoggerFactory.getLogger(Presence.class);

    private final AgentSessions sessions;
    private final Bindings bindings;
    private final AcdProperties properties;
    private final Clock clock;
    private final AcdScripts scripts;
    /** Open agent WebSockets on this node: "tenant agentId" → count. */
    private final Map<String, AtomicInteger> local = new ConcurrentHashMap<>();

    public Presence(AgentSessions sessions, Bindings bindings, AcdProperties properties, AcdScripts scripts) {
        this.sessions = sessions;
        this.bindings = bindings;
        this.properties = properties;
        this.clock = scripts.clock();
        this.scripts = scripts;
    }

    public void opened(String tenant, String agentId) {
        local.computeIfAbsent(tenant + " " + agentId, k -> new AtomicInteger()).incrementAndGet();
        sessions.attached(tenant, agentId, clock.millis());
    }

    public void pinged(String tenant, String agentId) {
        sessions.seen(tenant, agentId);
    }

    public void closed(String tenant, String agentId) {
        local.computeIfPresent(tenant + " " + agentId, (k, n) -> n.decrementAndGet() <= 0 ? null : n);
        sessions.seen(tenant, agentId); // the grace runs from the moment the socket went
    }

    /** Marks the agents whose socket this node holds as seen (every sweep: cheap, only local sockets). */
    public void refresh() {
        Map<String, List<String>> byTenant = new HashMap<>();
        for (String key : local.keySet()) {
            int space = key.indexOf(' ');
            byTenant.computeIfAbsent(key.substring(0, space), t -> new ArrayList<>()).add(key.substring(space + 1));
        }
        byTenant.forEach(sessions::seen);
    }

    /**
     * Logs out the sessions of the tenant whose agent is gone. One node per round checks the tenant (a lease in
     * Redis; a round is the dispatch interval, or a sixth of the grace when that is longer): the script returns only
     * the sessions no WebSocket marked seen within the grace, so the node reads the SIP bindings of those alone.
     * Before, every node read every session and its binding on every round (500 agents on three nodes: ~2,000
     * Redis commands a second for nothing).
     */
    public void sweep(String tenant) {
        long round = Math.max(properties.dispatchInterval().toMillis(), properties.presenceGrace().toMillis() / 6);
        Round reply = ScriptReply.decode(scripts.run(AcdScripts.PRESENCE, tenant,
                List.of(Keys.agentSessions(tenant), Keys.registrations(tenant), Keys.presenceRound(tenant)),
                Long.toString(properties.presenceGrace().toMillis()), Long.toString(round)), Round.class);
        for (Round.Suspect suspect : reply.suspects()) {
            String id = suspect.agentId();
            if (suspect.registered() && !bindings.lookup(tenant, id).isEmpty()) {
                continue; // the phone is registered on a live node: the agent is there
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

    /**
     * What {@code presence.lua} returns (JSON): whether this node held the round, and the sessions nobody saw within
     * the grace, each with whether its extension still has an unexpired contact.
     */
    record Round(boolean checked, List<Suspect> suspects) {

        Round {
            suspects = suspects == null ? List.of() : suspects;
        }

        record Suspect(String agentId, boolean registered) {
        }
    }
}
