package io.tandem.backend.redis;

import io.lettuce.core.RedisException;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds a decision until a replica has it ({@code WAIT}). Redis replicates asynchronously: a script the master
 * acknowledged may not yet be on any replica when the master dies, and Sentinel then promotes a replica that never
 * saw it. For most writes that is a heartbeat or a counter a little behind; for a claim, an answer or a call's end
 * the node acts at once (rings an agent, bridges, frees one), and a forgotten one would have the cluster offer that
 * caller again or keep that agent on a call that ended. {@code WAIT} covers every write this connection sent
 * before it, and Sentinel promotes the replica furthest ahead, so a decision a replica acknowledged survives the
 * failover.
 *
 * <p>Availability wins over the guarantee: after the timeout the node acts anyway and the miss is counted and
 * logged. {@code WAIT} blocks the shared connection on the server for as long as it waits (one replica round trip
 * when replicas are healthy), which is why it follows only those three decisions.
 */
final class ReplicaAcks {

    private static final Logger log = LoggerFactory.getLogger(ReplicaAcks.class);

    private final RedisCommands<String, String> commands;
    private final int replicas;
    private final long timeoutMs;
    private final AtomicLong missed = new AtomicLong();
    /** True after a miss until a wait succeeds again: one warning per stretch of misses, not one per call. */
    private final AtomicBoolean missing = new AtomicBoolean();

    /** {@code replicas} 0: never waits. */
    ReplicaAcks(RedisCommands<String, String> commands, int replicas, Duration timeout) {
        this.commands = commands;
        this.replicas = replicas;
        this.timeoutMs = timeout.toMillis();
    }

    /** Waits until the configured number of replicas hold every write sent so far, or the timeout passes. */
    void await(String decision) {
        if (replicas == 0) {
            return;
        }
        long acked;
        try {
            acked = commands.waitForReplication(replicas, timeoutMs);
        } catch (RedisException e) {
            miss(decision, "WAIT failed: " + e.getMessage());
            return;
        }
        if (acked < replicas) {
            miss(decision, acked + " of " + replicas + " replicas acknowledged within " + timeoutMs + " ms");
        } else if (missing.compareAndSet(true, false)) {
            log.info("replicas acknowledge decisions again ({} missed so far)", missed.get());
        }
    }

    private void miss(String decision, String why) {
        long count = missed.incrementAndGet();
        if (missing.compareAndSet(false, true)) {
            log.warn("{} acted on before the replicas had it ({}): a failover now could lose it. Further misses are"
                    + " counted in tandem.redis.replica-ack.missed", decision, why);
        } else {
            log.debug("{} acted on before the replicas had it ({}), miss {}", decision, why, count);
        }
    }

    /** Whether decisions wait for replicas at all (Sentinel with replica acks configured). */
    boolean waits() {
        return replicas > 0;
    }

    /** Decisions acted on without the replicas' acknowledgement. */
    long missed() {
        return missed.get();
    }
}
