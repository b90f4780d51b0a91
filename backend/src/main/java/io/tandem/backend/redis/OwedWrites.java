package io.tandem.backend.redis;

import io.lettuce.core.RedisException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a call owes the cluster once it has happened — its record, the end of an agent's ON_CALL, a party's call
 * field — run on one thread of their own, in the order they were owed. The call goes on (or ends) whatever Redis
 * does: the SIP threads never wait for these round trips, and while Redis is away a write is retried every second
 * for ten minutes, so nothing is lost to a short outage and no agent stays ON_CALL for good.
 * <p>
 * Bounded: while Redis is away every write waits out the command timeout, so a busy node owes faster than it can
 * pay. At most {@code limit} writes are owed at once (queued, running or waiting for their retry); one more is
 * dropped with a warning that names it and counted ({@code tandem.redis.owed.dropped}), as Lettuce refuses a command
 * beyond its request queue.
 */
public final class OwedWrites implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OwedWrites.class);
    /** Ten minutes of Redis outage at one retry a second. */
    static final int RETRIES = 600;

    private final ScheduledExecutorService thread;
    private final int limit;
    private final Counter dropped;
    /** Writes queued, running or waiting for a retry on {@link #thread}; never above {@link #limit}. */
    private final AtomicInteger owed = new AtomicInteger();

    /**
     * {@code limit}: {@code tandem.redis.owed-writes-limit}; the writes dropped are counted in {@code registry} as
     * {@code tandem.redis.owed.dropped} (a Micrometer registry, so this package needs no feature's metrics class).
     */
    public OwedWrites(int limit, MeterRegistry registry) {
        if (limit < 1) {
            throw new IllegalArgumentException("owed writes limit " + limit);
        }
        this.limit = limit;
        this.dropped = Counter.builder("tandem.redis.owed.dropped")
                .description("Writes a call owed the cluster (its end, its record) dropped unwritten because "
                        + "tandem.redis.owed-writes-limit writes were already waiting for Redis")
                .register(registry);
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread t = new Thread(runnable, "tandem-owed-writes");
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false); // a stopping node does not wait on retries
        this.thread = executor;
    }

    /** Runs {@code write} soon on the writes' thread; retried while Redis is unreachable. Dropped when full. */
    public void owe(String what, Runnable write) {
        submit(what, write, true);
    }

    /**
     * Runs {@code write} soon on the writes' thread, once: for a write whose late arrival would be wrong (a party's
     * call field written after the call has already ended), losing it to an outage is the lesser harm.
     */
    public void once(String what, Runnable write) {
        submit(what, write, false);
    }

    /**
     * Runs {@code write} on the calling thread now; when Redis is away, retried on the writes' thread (dropped when
     * that is full).
     */
    public void now(String what, Runnable write) {
        attempt(what, write, 0, true, false);
    }

    /** Writes owed now: queued, running or waiting for their retry. */
    public int owed() {
        return owed.get();
    }

    /**
     * One try of {@code write}. {@code held}: the write holds one of the {@link #limit} places, which it gives back
     * once written or given up, or passes on to its retry.
     */
    private void attempt(String what, Runnable write, int attempt, boolean retry, boolean held) {
        boolean holds = held;
        boolean passedOn = false;
        try {
            write.run();
            if (attempt > 0) {
                log.info("{}: written after {} retries", what, attempt);
            }
        } catch (RedisException e) {
            if (!retry) {
                log.warn("{}: Redis unavailable ({}); not written", what, e.getMessage());
            } else if (attempt >= RETRIES) {
                log.error("{}: Redis still unavailable after {} retries, given up: {}", what, attempt, e.getMessage());
            } else if (holds || (holds = take(what))) {
                if (attempt == 0) {
                    log.warn("{}: Redis unavailable ({}); retrying every second", what, e.getMessage());
                }
                passedOn = retryLater(what, write, attempt + 1);
            }
        } catch (RuntimeException e) {
            log.warn("{}: not written: {}", what, e.getMessage());
        } finally {
            if (holds && !passedOn) {
                owed.decrementAndGet();
            }
        }
    }

    private boolean retryLater(String what, Runnable write, int attempt) {
        try {
            thread.schedule(() -> attempt(what, write, attempt, true, true), 1, TimeUnit.SECONDS);
            return true;
        } catch (RejectedExecutionException stopping) {
            log.warn("{}: node stopping, not retried", what);
            return false;
        }
    }

    private void submit(String what, Runnable write, boolean retry) {
        if (!take(what)) {
            return;
        }
        try {
            thread.execute(() -> attempt(what, write, 0, retry, true));
        } catch (RejectedExecutionException stopping) {
            owed.decrementAndGet();
            log.warn("{}: node stopping, not written", what);
        }
    }

    /** Takes one of the {@link #limit} places for {@code what}; false (and the write dropped) when none is free. */
    private boolean take(String what) {
        if (owed.getAndUpdate(n -> n < limit ? n + 1 : n) < limit) {
            return true;
        }
        dropped.increment();
        log.warn("{}: dropped, not written: {} writes already owed to Redis (tandem.redis.owed-writes-limit)", what,
                limit);
        return false;
    }

    /** Node stopping: the writes already queued are still run, for at most a few seconds. */
    @Override
    public void close() {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(5, TimeUnit.SECONDS)) {
                thread.shutdownNow();
            }
        } catch (InterruptedException e) {
            thread.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
