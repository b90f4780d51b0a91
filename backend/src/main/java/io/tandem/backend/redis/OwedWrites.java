package io.tandem.backend.redis;

import io.lettuce.core.RedisException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a call owes the cluster once it has happened — its record, the end of an agent's ON_CALL, a party's call
 * field — run on one thread of their own, in the order they were owed. The call goes on (or ends) whatever Redis
 * does: the SIP threads never wait for these round trips, and while Redis is away a write is retried every second
 * for ten minutes, so nothing is lost to a short outage and no agent stays ON_CALL for good.
 */
public final class OwedWrites implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OwedWrites.class);
    /** Ten minutes of Redis outage at one retry a second. */
    static final int RETRIES = 600;

    private final ScheduledExecutorService thread;

    public OwedWrites() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread t = new Thread(runnable, "tandem-owed-writes");
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false); // a stopping node does not wait on retries
        this.thread = executor;
    }

    /** Runs {@code write} soon on the writes' thread; retried while Redis is unreachable. */
    public void owe(String what, Runnable write) {
        submit(() -> attempt(what, write, 0, true), what);
    }

    /**
     * Runs {@code write} soon on the writes' thread, once: for a write whose late arrival would be wrong (a party's
     * call field written after the call has already ended), losing it to an outage is the lesser harm.
     */
    public void once(String what, Runnable write) {
        submit(() -> attempt(what, write, 0, false), what);
    }

    /** Runs {@code write} on the calling thread now; when Redis is away, retried on the writes' thread. */
    public void now(String what, Runnable write) {
        attempt(what, write, 0, true);
    }

    private void attempt(String what, Runnable write, int attempt, boolean retry) {
        try {
            write.run();
            if (attempt > 0) {
                log.info("{}: written after {} retries", what, attempt);
            }
        } catch (RedisException e) {
            if (!retry) {
                log.warn("{}: Redis unavailable ({}); not written", what, e.getMessage());
                return;
            }
            if (attempt >= RETRIES) {
                log.error("{}: Redis still unavailable after {} retries, given up: {}", what, attempt, e.getMessage());
                return;
            }
            if (attempt == 0) {
                log.warn("{}: Redis unavailable ({}); retrying every second", what, e.getMessage());
            }
            try {
                thread.schedule(() -> attempt(what, write, attempt + 1, true), 1, TimeUnit.SECONDS);
            } catch (RejectedExecutionException stopping) {
                log.warn("{}: node stopping, not retried", what);
            }
        } catch (RuntimeException e) {
            log.warn("{}: not written: {}", what, e.getMessage());
        }
    }

    private void submit(Runnable task, String what) {
        try {
            thread.execute(task);
        } catch (RejectedExecutionException stopping) {
            log.warn("{}: node stopping, not written", what);
        }
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
