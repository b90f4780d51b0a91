package io.tandem.backend.acd;

import io.lettuce.core.ScriptOutputType;
import io.tandem.backend.node.NodeIdentity;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.LuaScript;
import io.tandem.backend.redis.Redis;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * The ACD's Lua scripts ({@code resources/redis/acd/*.lua}, loaded by {@link LuaScript} after the folder's
 * {@code prelude.lua}), and how they are run:
 * every call passes the tenant's key prefix, the time from the injected clock, this node's id and the stream
 * lengths ahead of the script's own arguments.
 */
@Component
public class AcdScripts {

    public static final LuaScript LOGIN = load("login", ScriptOutputType.INTEGER);
    public static final LuaScript SET_STATE = load("set_state", ScriptOutputType.VALUE);
    public static final LuaScript ENQUEUE = load("enqueue", ScriptOutputType.VALUE);
    public static final LuaScript LEAVE = load("leave", ScriptOutputType.VALUE);
    public static final LuaScript CLAIM = load("claim", ScriptOutputType.VALUE);
    public static final LuaScript ACCEPT = load("accept", ScriptOutputType.VALUE);
    public static final LuaScript NO_ANSWER = load("no_answer", ScriptOutputType.VALUE);
    public static final LuaScript RELEASE = load("release", ScriptOutputType.MULTI);
    public static final LuaScript CALL_END = load("call_end", ScriptOutputType.VALUE);
    public static final LuaScript CALLBACK_CONNECT = load("callback_connect", ScriptOutputType.VALUE);
    public static final LuaScript SWEEP = load("sweep", ScriptOutputType.MULTI);
    public static final LuaScript MOVE = load("move", ScriptOutputType.VALUE);
    public static final LuaScript AGENT_STATS = load("agent_stats", ScriptOutputType.VALUE);
    public static final LuaScript CALLBACK = load("callback", ScriptOutputType.VALUE);
    public static final LuaScript PRESENCE = load("presence", ScriptOutputType.VALUE);
    public static final LuaScript DIRECT = load("direct", ScriptOutputType.INTEGER);
    public static final LuaScript DIRECT_RESET = load("direct_reset", ScriptOutputType.INTEGER);
    public static final LuaScript SEEN = load("seen", ScriptOutputType.INTEGER);
    public static final LuaScript EVENT = load("event", ScriptOutputType.VALUE);

    private final Redis redis;
    private final Clock clock;
    private final String nodeId;
    private final AcdProperties properties;

    AcdScripts(Redis redis, Clock clock, NodeIdentity identity, AcdProperties properties) {
        this.redis = redis;
        this.clock = clock;
        this.nodeId = identity.id();
        this.properties = properties;
    }

    /** Runs a script for a tenant; {@code keys} must be that tenant's keys. */
    public <T> T run(LuaScript script, String tenant, List<String> keys, String... args) {
        return redis.run(script, keys, withPrelude(tenant, args));
    }

    /** As {@link #run}, sent now and read later ({@link Redis#send}): scripts sent in a row share a round trip. */
    public <T> Supplier<T> send(LuaScript script, String tenant, List<String> keys, String... args) {
        return redis.send(script, keys, withPrelude(tenant, args));
    }

    /**
     * Returns once the replicas hold every decision this node sent so far, so that a Sentinel failover cannot forget
     * one the node is about to act on ({@link Redis#awaitReplicas}); at once without Sentinel.
     */
    public void awaitReplicas(String decision) {
        redis.awaitReplicas(decision);
    }

    /** Whether {@link #awaitReplicas} waits ({@link Redis#awaitsReplicas}). */
    public boolean awaitsReplicas() {
        return redis.awaitsReplicas();
    }

    /** The prelude's arguments (tenant prefix, now, node, stream lengths), then the script's own. */
    private String[] withPrelude(String tenant, String... args) {
        List<String> all = new ArrayList<>(5 + args.length);
        all.add(Keys.tenantPrefix(tenant));
        all.add(Long.toString(clock.millis()));
        all.add(nodeId);
        all.add(Long.toString(properties.eventsMaxLength()));
        all.add(Long.toString(properties.queueLogMaxLength()));
        all.addAll(List.of(args));
        return all.toArray(String[]::new);
    }

    /** A MULTI reply as strings (Lettuce hands bulk strings back as String, integers as Long). */
    @SuppressWarnings("unchecked")
    public static List<String> strings(Object reply) {
        List<String> out = new ArrayList<>();
        for (Object item : (List<Object>) reply) {
            out.add(item == null ? "" : item.toString());
        }
        return out;
    }

    public Clock clock() {
        return clock;
    }

    public Redis redis() {
        return redis;
    }

    public String nodeId() {
        return nodeId;
    }

    private static LuaScript load(String name, ScriptOutputType output) {
        return LuaScript.load("acd/" + name, output);
    }
}
