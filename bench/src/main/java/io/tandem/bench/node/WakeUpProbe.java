package io.tandem.bench.node;

import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;

/**
 * How late an idle thread wakes on this machine while a measurement runs: a thread of the bench's own JVM (idle
 * otherwise) sleeps 1 ms again and again and records how much later than asked it woke. It has nothing to do with
 * the nodes; when it wakes late, any thread on the machine (a node's SIP thread, Redis, SIPp) waited for a core as
 * long. Reported beside a latency figure, it tells a slow run from a noisy machine.
 */
final class WakeUpProbe implements AutoCloseable {
    private static final long SLEEP_NANOS = 1_000_000;

    /** Lateness in ms at the 50th, 99th and 99.9th percentile, and the worst, over {@code samples} wake-ups. */
    record Lateness(int samples, double p50, double p99, double p999, double max) {
    }

    private final Thread thread;
    private volatile boolean running = true;
    private long[] late = new long[1 << 16];
    private int count;

    private WakeUpProbe() {
        thread = new Thread(this::run, "wake-up-probe");
        thread.setDaemon(true);
        thread.setPriority(Thread.MAX_PRIORITY);
    }

    static WakeUpProbe start() {
        WakeUpProbe probe = new WakeUpProbe();
        probe.thread.start();
        return probe;
    }

    private void run() {
        while (running) {
            long before = System.nanoTime();
            LockSupport.parkNanos(SLEEP_NANOS);
            long lateness = System.nanoTime() - before - SLEEP_NANOS;
            if (count == late.length) {
                late = Arrays.copyOf(late, count * 2);
            }
            late[count++] = Math.max(0, lateness);
        }
    }

    /** Stops the probe and returns what it saw. */
    Lateness stop() throws InterruptedException {
        running = false;
        thread.join();
        long[] sorted = Arrays.copyOf(late, count);
        Arrays.sort(sorted);
        return new Lateness(count, millis(sorted, 0.5), millis(sorted, 0.99), millis(sorted, 0.999),
                count == 0 ? 0 : sorted[count - 1] / 1e6);
    }

    private static double millis(long[] sorted, double quantile) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1e6;
    }

    @Override
    public void close() throws InterruptedException {
        if (running) {
            stop();
        }
    }
}
