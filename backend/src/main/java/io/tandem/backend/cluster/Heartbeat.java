package io.tandem.backend.cluster;

import io.tandem.backend.node.InvalidConfigurationException;
import io.lettuce.core.ScriptOutputType;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.LuaScript;
import io.tandem.backend.redis.Redis;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes this node into the cluster: every interval it rewrites {@code tandem:node:<id>} with a TTL and adds the
 * id to {@code tandem:nodes}. A crashed node simply stops beating and its key expires; a node that stops cleanly
 * removes its key at once. Two processes with the same id are refused (each beat carries a random instance id).
 */
final class Heartbeat implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Heartbeat.class);

    /** Refreshes this node's heartbeat unless another process owns the id. */
    private static final LuaScript BEAT = LuaScript.load("cluster/heartbeat", ScriptOutputType.INTEGER);

    private static final LuaScript LEAVE = LuaScript.load("cluster/leave", ScriptOutputType.INTEGER);

    private final Redis redis;
    private final Clock clock;
    private final ScheduledExecutorService executor;
    private final String nodeId;
    private final String instance = UUID.randomUUID().toString();
    private final Duration interval;
    private final Duration ttl;
    private final IntSupplier calls;
    private final IntSupplier registrations;
    private final String version;
    private final Instant startedAt;
    private volatile String sip;
    private volatile String http;
    private volatile ScheduledFuture<?> task;
    /** Guarded by this: left once, when the node starts closing; the bean's destruction finds it done. */
    private boolean left;
    /** Only touched by the executor thread: remembers whether the last beat failed, to log state changes once. */
    private boolean failing;

    Heartbeat(Redis redis, Clock clock, ScheduledExecutorService executor, String nodeId, String version,
            Duration interval, Duration ttl, IntSupplier calls, IntSupplier registrations) {
        this.redis = redis;
        this.clock = clock;
        this.executor = executor;
        this.nodeId = nodeId;
        this.version = version;
        this.interval = interval;
        this.ttl = ttl;
        this.calls = calls;
        this.registrations = registrations;
        this.startedAt = clock.instant();
        // A restarted Redis has let this node's key expire: beat as soon as it is back, not up to an interval later.
        redis.outages().whenRestored(() -> {
            try {
                executor.execute(this::beatSafely);
            } catch (RejectedExecutionException stopping) {
                // the node is shutting down
            }
        });
    }

    /** Writes the first beat synchronously (refusing a duplicate id), then beats every interval. */
    synchronized void start(String sipAddress, String httpAddress) {
        this.sip = sipAddress;
        this.http = httpAddress;
        if (!beat()) {
            throw new InvalidConfigurationException("tandem.node.id", "'" + nodeId + "' is already used by a live"
                    + " node; give every node its own id (./tandem node --name ...)");
        }
        redis.commands().sadd(Keys.nodes(), nodeId);
        log.info("joined the cluster as node '{}' (sip {}, http {}), heartbeat every {} ms, ttl {} ms",
                nodeId, sip, http, interval.toMillis(), ttl.toMillis());
        long period = interval.toMillis();
        task = executor.scheduleAtFixedRate(this::beatSafely, period, period, TimeUnit.MILLISECONDS);
    }

    /** Stops beating without removing the key: what a crash looks like to the others. */
    synchronized void stopBeating() {
        if (task != null) {
            task.cancel(false);
            task = null;
        }
    }

    /** Stops beating and leaves the cluster at once; later calls do nothing. */
    @Override
    public synchronized void close() {
        stopBeating();
        if (left) {
            return;
        }
        left = true;
        try {
            Long removed = redis.run(LEAVE, List.of(Keys.node(nodeId)), instance);
            if (removed == 1L) { // never remove the id of another process that owns it
                redis.commands().srem(Keys.nodes(), nodeId);
                log.info("node '{}' left the cluster", nodeId);
            }
        } catch (RuntimeException e) {
            log.warn("node '{}' could not remove its heartbeat ({}); it expires within {} ms", nodeId,
                    e.getMessage(), ttl.toMillis());
        }
    }

    String nodeId() {
        return nodeId;
    }

    private boolean beat() {
        Long ok = redis.run(BEAT, List.of(Keys.node(nodeId)), instance, Long.toString(ttl.toMillis()),
                "id", nodeId, "sip", sip, "http", http, "version", version,
                "startedAt", startedAt.toString(), "lastBeat", clock.instant().toString(),
                "calls", Integer.toString(calls.getAsInt()),
                "registrations", Integer.toString(registrations.getAsInt()));
        return ok == 1L;
    }

    /**
     * Holds the lock while it beats, so {@link #close} waits for a beat under way instead of having it rewrite the
     * key just removed (the node would have looked alive for another TTL).
     */
    private synchronized void beatSafely() {
        if (task == null) {
            return; // stopped: a beat that was queued before the cancel must not bring the node back
        }
        try {
            if (!beat()) {
                log.error("node id '{}' was taken over by another process; this node is no longer in the cluster",
                        nodeId);
                return;
            }
            // Re-add in case a reader pruned the id while Redis was unreachable and the key expired.
            redis.commands().sadd(Keys.nodes(), nodeId);
            if (failing) {
                failing = false;
                log.info("heartbeat of node '{}' restored", nodeId);
            }
        } catch (RuntimeException e) {
            if (!failing) {
                failing = true;
                log.warn("heartbeat of node '{}' failed ({}); retrying every {} ms", nodeId, e.getMessage(),
                        interval.toMillis());
            }
        }
    }
}
