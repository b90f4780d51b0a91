package io.tandem.backend.reports;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A day in fifteen-minute intervals, counted from the queue log: ENTERQUEUE is offered, CONNECT answered (within
 * target when its seconds waited, data1, are at most the queue's service level seconds), ABANDON abandoned. The
 * service level is the wallboard's definition, cumulated from midnight UTC.
 */
final class IntervalReport {

    static final Duration LENGTH = Duration.ofMinutes(15);
    static final int PER_DAY = 96;

    private IntervalReport() {
    }

    /** {@code targets}: each queue's service level seconds; a queue missing from it counts 20 s (the default). */
    static List<Interval> of(LocalDate day, List<QueueLogEntry> entries, Map<String, Integer> targets) {
        Instant midnight = day.atStartOfDay().toInstant(ZoneOffset.UTC);
        int[] offered = new int[PER_DAY];
        int[] answered = new int[PER_DAY];
        int[] abandoned = new int[PER_DAY];
        int[] inTarget = new int[PER_DAY];
        for (QueueLogEntry entry : entries) {
            long index = Duration.between(midnight, entry.time()).toMillis() / LENGTH.toMillis();
            if (index < 0 || index >= PER_DAY) {
                continue;
            }
            int i = (int) index;
            switch (entry.event()) {
                case "ENTERQUEUE" -> offered[i]++;
                case "ABANDON" -> abandoned[i]++;
                case "CONNECT" -> {
                    answered[i]++;
                    if (waited(entry) <= targets.getOrDefault(entry.queue(), 20)) {
                        inTarget[i]++;
                    }
                }
                default -> { }
            }
        }
        List<Interval> intervals = new ArrayList<>(PER_DAY);
        int handled = 0;
        int withinTarget = 0;
        for (int i = 0; i < PER_DAY; i++) {
            handled += answered[i] + abandoned[i];
            withinTarget += inTarget[i];
            Double level = handled == 0 ? null : 100.0 * withinTarget / handled;
            intervals.add(new Interval(midnight.plus(LENGTH.multipliedBy(i)), offered[i], answered[i], abandoned[i],
                    level));
        }
        return intervals;
    }

    private static long waited(QueueLogEntry connect) {
        try {
            return Long.parseLong(connect.data1());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE; // no wait recorded: never counted as within target
        }
    }
}
