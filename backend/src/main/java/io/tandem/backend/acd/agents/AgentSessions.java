package io.tandem.backend.acd.agents;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.tandem.backend.acd.AcdScripts;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.Redis;
import io.tandem.backend.redis.ScriptReply;
import io.tandem.protocol.AgentState;
import io.tandem.protocol.AgentStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Agent sessions, cluster-wide in the hash {@code tandem:{t}:agent:<id>}. Every transition is a Lua script that
 * bumps the record's version (the fencing token of reservations) and keeps the available-agents index in step; the
 * scripts also write the event stream and queue log, so nothing here can change state without a trace.
 */
@Service
public class AgentSessions {

    private static final Logger log = LoggerFactory.getLogger(AgentSessions.class);

    /** Who asks for a change: an agent may not cut a ringing offer; a supervisor or the presence check may. */
    public enum Actor { AGENT, SUPERVISOR, PRESENCE }

    /** Why a change was refused (REST 409). */
    public enum Refusal {
        NOT_LOGGED_IN("the agent is not logged in"),
        BUSY("the agent is on a call"),
        RINGING("an offer is ringing this agent; answer or let it time out"),
        CONFLICT("the session changed meanwhile; read it again");

        private final String detail;

        Refusal(String detail) {
            this.detail = detail;
        }

        public String detail() {
            return detail;
        }
    }

    /** A refused change, with the session as it is. */
    public static final class RefusedException extends RuntimeException {
        private final Refusal refusal;
        private final transient AgentStatus status;

        RefusedException(Refusal refusal, AgentStatus status) {
            super(refusal.detail(), null, false, false);
            this.refusal = refusal;
            this.status = status;
        }

        public Refusal refusal() {
            return refusal;
        }

        public AgentStatus status() {
            return status;
        }
    }

    private final Redis redis;
    private final AcdScripts scripts;

    public AgentSessions(Redis redis, AcdScripts scripts) {
        this.redis = redis;
        this.scripts = scripts;
    }

    /** Opens (or refreshes) a session on this node: not-ready with reason {@code login} when it is new. */
    public AgentStatus login(String tenant, String agentId, List<String> queues) {
        Long created = scripts.run(AcdScripts.LOGIN, tenant, List.of(Keys.agent(tenant, agentId)), agentId,
                String.join(",", queues));
        if (created == 1L) {
            log.info("agent {}@{} logged in", agentId, tenant);
        }
        return status(tenant, agentId);
    }

    /** The session; {@code logged-out} (version 0 when never seen) when there is none. */
    public AgentStatus status(String tenant, String agentId) {
        return decode(agentId, redis.commands().hgetall(Keys.agent(tenant, agentId)));
    }

    /** Sessions of a tenant that are not logged out, by agent id. */
    public List<AgentStatus> sessions(String tenant) {
        List<AgentStatus> all = new ArrayList<>();
        for (String id : redis.commands().smembers(Keys.agentSessions(tenant))) {
            all.add(status(tenant, id));
        }
        all.sort(Comparator.comparing(AgentStatus::agentId));
        return all;
    }

    /**
     * Changes the state to {@code available}, {@code not-ready} (with a reason) or {@code logged-out}; available
     * during wrap-up ends it. Retries on a version race with another transition a few times, then refuses.
     *
     * @throws RefusedException when the session's state does not allow the change
     */
    public AgentStatus change(String tenant, String agentId, AgentState target, String reason, Actor actor) {
        if (target != AgentState.AVAILABLE && target != AgentState.NOT_READY && target != AgentState.LOGGED_OUT) {
            throw new IllegalArgumentException("state: only available, not-ready or logged-out may be asked for");
        }
        StateChange reply = ScriptReply.decode(scripts.run(AcdScripts.SET_STATE, tenant,
                List.of(Keys.agent(tenant, agentId)), agentId, "", wire(target), reason == null ? "" : reason,
                actor.name().toLowerCase(Locale.ROOT)), StateChange.class);
        Refusal refusal = switch (reply.outcome()) {
            case OK -> null;
            case NOT_LOGGED_IN -> Refusal.NOT_LOGGED_IN;
            case BUSY -> Refusal.BUSY;
            case RINGING -> Refusal.RINGING;
            case CONFLICT -> Refusal.CONFLICT;
        };
        AgentStatus status = status(tenant, agentId);
        if (refusal != null) {
            throw new RefusedException(refusal, status);
        }
        return status;
    }

    /**
     * The agent's WebSocket opened on this node: the session now lives here. A claim offers only agents whose node is
     * alive, so an agent whose login node died and whose softphone failed over would otherwise never be offered a
     * call again.
     */
    public void attached(String tenant, String agentId, long nowMillis) {
        String key = Keys.agent(tenant, agentId);
        if (redis.commands().exists(key) == 1L) {
            redis.commands().hset(key, Map.of("node", scripts.nodeId(), "seen", Long.toString(nowMillis)));
        }
    }

    /** Marks the agent's presence (an open WebSocket) as seen now; the presence check logs out the unseen. */
    public void seen(String tenant, String agentId) {
        seen(tenant, List.of(agentId));
    }

    /**
     * Marks agents of a tenant as seen now, in one round trip per {@value #SEEN_BATCH} agents: a node with many open
     * sockets marks them all every sweep, and a round trip each would take the sweep longer than its interval.
     */
    void seen(String tenant, List<String> agentIds) {
        for (int from = 0; from < agentIds.size(); from += SEEN_BATCH) {
            List<String> batch = agentIds.subList(from, Math.min(agentIds.size(), from + SEEN_BATCH));
            scripts.run(AcdScripts.SEEN, tenant, List.of(Keys.agentSessions(tenant)), batch.toArray(String[]::new));
        }
    }

    private static final int SEEN_BATCH = 500;

    /** When the agent's presence was last seen (ms), 0 when never. */
    public long lastSeen(String tenant, String agentId) {
        String seen = redis.commands().hget(Keys.agent(tenant, agentId), "seen");
        return seen == null || seen.isEmpty() ? 0 : Long.parseLong(seen);
    }

    /**
     * A party whose leg this node holds entered ({@code +1}) or left ({@code -1}) a direct call, one that is no queue
     * call: an agent with one in progress gets no queue offer. Counted per node (see {@code acd/direct.lua}), so a
     * count left by a dead node is ignored and this node's restart clears its own ({@link #clearDirectCalls}).
     *
     * @return true when the agent has no direct call left and is available: worth a dispatch now
     */
    public boolean directCall(String tenant, String party, int delta) {
        Long freed = scripts.run(AcdScripts.DIRECT, tenant, List.of(Keys.agent(tenant, party),
                Keys.directCalls(tenant, scripts.nodeId())), party, Integer.toString(delta));
        return freed == 1L;
    }

    /** Forgets the direct calls this node counted before it (re)started: it carries none now. */
    public void clearDirectCalls(String tenant) {
        scripts.run(AcdScripts.DIRECT_RESET, tenant, List.of(Keys.directCalls(tenant, scripts.nodeId())));
    }

    public static String wire(AgentState state) {
        return state.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static AgentState state(String wire) {
        return AgentState.valueOf(wire.toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    public static AgentStatus decode(String agentId, Map<String, String> hash) {
        String state = hash.getOrDefault("state", "logged-out");
        String queues = hash.getOrDefault("queues", "");
        return new AgentStatus(agentId, state(state), hash.get("reason"), number(hash.get("version")),
                instant(hash.get("since")), instant(hash.get("wrapUntil")), instant(hash.get("leaseUntil")),
                hash.get("node"), queues.isEmpty() ? List.of() : Arrays.asList(queues.split(",")));
    }

    public static long number(String value) {
        return value == null || value.isEmpty() ? 0 : Long.parseLong(value);
    }

    public static Instant instant(String millis) {
        return millis == null || millis.isEmpty() ? null : Instant.ofEpochMilli(Long.parseLong(millis));
    }

    /** What {@code set_state.lua} returns (JSON): the outcome, and the agent's state and version afterwards. */
    record StateChange(Outcome outcome, String state, long version) {

        enum Outcome {
            @JsonProperty("ok") OK,
            @JsonProperty("conflict") CONFLICT,
            @JsonProperty("not-logged-in") NOT_LOGGED_IN,
            @JsonProperty("busy") BUSY,
            @JsonProperty("ringing") RINGING
        }
    }
}
