package io.tandem.agent.engine.pjsua2;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one Java thread that calls into PJSIP. It creates the library ({@code libCreate} registers the creating thread
 * with PJSIP), so every call from Java runs on a thread PJSIP knows; PJSIP's callbacks hand their follow-up here
 * instead of blocking PJSIP's own threads, and the phone's listener hears events here, in order. A task that throws
 * is logged and counted, and the thread goes on.
 */
final class PjsipThread {
    private static final Logger LOG = LoggerFactory.getLogger(PjsipThread.class);
    /** How long start and close may wait for PJSIP (libInit, libDestroy's unregistration and hang-ups). */
    private static final long WAIT_SECONDS = 30;

    private final ExecutorService executor;
    private final AtomicLong failures = new AtomicLong();
    private volatile Thread thread;

    PjsipThread(String name) {
        executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            thread = t;
            return t;
        });
    }

    boolean isCurrent() {
        return Thread.currentThread() == thread;
    }

    /** Runs {@code task} later on this thread; a task after {@link #shutdown()} is dropped and counted. */
    void post(String what, PjsipTask task) {
        try {
            executor.execute(() -> runLogged(what, task));
        } catch (RejectedExecutionException e) {
            failures.incrementAndGet();
            LOG.warn("pjsua2: {} dropped, the engine is closed", what);
        }
    }

    private void runLogged(String what, PjsipTask task) {
        try {
            task.run();
        } catch (Exception e) {
            failures.incrementAndGet();
            LOG.warn("pjsua2: {} failed: {}", what, e.getMessage(), e);
        }
    }

    /** Runs {@code task} on this thread and waits for its result (start and close only; inline when already here). */
    <T> T call(String what, Callable<T> task) throws Exception {
        if (isCurrent()) {
            return task.call();
        }
        Future<T> result = executor.submit(task);
        try {
            return result.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } catch (TimeoutException e) {
            result.cancel(true);
            throw new IllegalStateException("pjsua2: " + what + " took over " + WAIT_SECONDS + " s", e);
        }
    }

    /** Tasks that threw, since start (for the bench and the logs). */
    long failures() {
        return failures.get();
    }

    void shutdown() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn("pjsua2: the PJSIP thread did not finish within {} s", WAIT_SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A step on the PJSIP thread; pjsua2's methods throw {@link Exception} for PJSIP errors. */
    @FunctionalInterface
    interface PjsipTask {
        void run() throws Exception;
    }
}
