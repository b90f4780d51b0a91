package io.tandem.telephony.testing;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Polls a condition until it holds or a deadline passes, then fails with a message that says
 * what was awaited. For state we cannot be notified of (a port an external program binds, a
 * file it writes, a Redis key another process expires); where a callback exists, use a latch or
 * a queue instead.
 */
public final class Await {
    /** How often the condition is checked: not a synchronisation, only how soon a met condition is seen. */
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(25);

    private Await() {
    }

    /**
     * Waits until {@code condition} is true.
     *
     * @throws AssertionError naming {@code what} and the timeout when the deadline passes
     */
    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        until(what, timeout, condition, null);
    }

    /** {@link #until(String, Duration, BooleanSupplier)}, the failure also showing the state {@code detail} saw last. */
    public static void until(String what, Duration timeout, BooleanSupplier condition, Supplier<String> detail) {
        value(what, timeout, () -> condition.getAsBoolean() ? Optional.of(Boolean.TRUE) : Optional.empty(), detail);
    }

    /**
     * Waits until {@code probe} yields a value and returns it; the message of the failure
     * includes {@code what} and, through {@code detail}, the state seen last (e.g. a log tail).
     */
    public static <T> T value(String what, Duration timeout, Supplier<Optional<T>> probe, Supplier<String> detail) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<T> v = probe.get();
            if (v.isPresent()) {
                return v.get();
            }
            if (System.nanoTime() - deadline >= 0) {
                String extra = detail == null ? "" : detail.get();
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what
                        + (extra == null || extra.isEmpty() ? "" : "\n" + extra));
            }
            LockSupport.parkNanos(POLL_NANOS);
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what);
            }
        }
    }

    /** {@link #value(String, Duration, Supplier, Supplier)} without extra detail. */
    public static <T> T value(String what, Duration timeout, Supplier<Optional<T>> probe) {
        return value(what, timeout, probe, null);
    }
}
