package io.tandem.bench.edge;

import java.io.IOException;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first of a run of attempts (one after another) that succeeded after an instant (a kill): how long after it,
 * in ms ({@code -1}: none within a minute), and after how many attempts.
 */
record FirstSuccess(long millis, int attempts) {

    private static final Logger LOG = LoggerFactory.getLogger(FirstSuccess.class);
    /** Past this nobody would call it failover: the round is reported as failed. */
    static final long GIVE_UP_NANOS = TimeUnit.SECONDS.toNanos(60);

    /** One attempt (numbered from 1): whether it succeeded. */
    interface Attempt {
        boolean succeeded(int attempt) throws IOException, InterruptedException;
    }

    /** Attempts one after another from {@code since} (a System.nanoTime) until one succeeds or a minute has gone. */
    static FirstSuccess after(long since, Attempt attempt) {
        int attempts = 0;
        while (System.nanoTime() - since < GIVE_UP_NANOS) {
            attempts++;
            try {
                if (attempt.succeeded(attempts)) {
                    return new FirstSuccess((System.nanoTime() - since) / 1_000_000, attempts);
                }
            } catch (IOException e) {
                // A failed attempt, counted like the others; said here so a run of them is seen.
                LOG.warn("attempt {} failed: {}", attempts, e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return new FirstSuccess(-1, attempts);
    }

    /** The time for a table cell. */
    String cell() {
        return millis < 0 ? "none in 60 s" : String.format(Locale.ROOT, "%,d", millis);
    }
}
