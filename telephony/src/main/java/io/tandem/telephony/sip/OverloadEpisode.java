package io.tandem.telephony.sip;

import java.util.concurrent.atomic.AtomicLong;

/**
 * One overload of a stack, from its first refusal until it has admitted new work for {@link #QUIET_NANOS} without
 * refusing any, so that a stack hovering around its limit (refusing one request, admitting the next) is logged as one
 * episode with its count, not as hundreds of starts and ends.
 */
final class OverloadEpisode {

    /** Admitting for this long without a refusal ends the episode. */
    static final long QUIET_NANOS = 1_000_000_000L;

    private final AtomicLong refused = new AtomicLong();
    /** The time of the last refusal, or {@link Long#MIN_VALUE} outside an episode. */
    private final AtomicLong lastRefusal = new AtomicLong(Long.MIN_VALUE);
    private volatile long startedAt;
    private volatile long lastedMillis;

    /** Counts a refusal at {@code nanoTime}; true when it starts an episode. */
    boolean refused(long nanoTime) {
        refused.incrementAndGet();
        long before = lastRefusal.getAndSet(nanoTime);
        if (before == Long.MIN_VALUE) {
            startedAt = nanoTime;
            return true;
        }
        return false;
    }

    /**
     * Notes work admitted at {@code nanoTime}: the requests the episode refused when this ends it (exactly one caller
     * sees an episode end), else -1.
     */
    long admitted(long nanoTime) {
        long last = lastRefusal.get();
        if (last == Long.MIN_VALUE || nanoTime - last < QUIET_NANOS) {
            return -1;
        }
        if (!lastRefusal.compareAndSet(last, Long.MIN_VALUE)) {
            return -1; // a refusal just came in, or another thread ended it
        }
        lastedMillis = (last - startedAt) / 1_000_000;
        return refused.getAndSet(0);
    }

    /** How long the episode that {@link #admitted} last ended lasted, from its first refusal to its last, in ms. */
    long lastedMillis() {
        return lastedMillis;
    }
}
