package io.tandem.telephony.rtp;

/**
 * When the media clock ticks: absolute deadlines {@code start + n × period}, so the wake-up
 * latency of each tick never adds up into drift; and when a wake-up comes more than one
 * period late, the missed deadlines are skipped rather than run back to back (the
 * catch-up burst {@code scheduleAtFixedRate} would produce). Pure arithmetic on
 * nanosecond times, so it is tested without waiting.
 */
final class TickSchedule {
    private final long period;
    private long deadline;

    TickSchedule(long startNanos, long periodNanos) {
        this.deadline = startNanos;
        this.period = periodNanos;
    }

    /** The deadline of the next tick, to sleep until. */
    long next() {
        deadline += period;
        return deadline;
    }

    /**
     * Called on waking at {@code now} for the current deadline: how many whole periods were
     * missed (0 on time or up to one period late), moving the deadline past them.
     */
    long skipped(long now) {
        long late = now - deadline;
        if (late <= period) {
            return 0;
        }
        long missed = late / period;
        deadline += missed * period;
        return missed;
    }
}
