package io.tandem.bench.outbound;

import java.util.Map;
import java.util.TreeMap;

/** INVITE arrival times at a carrier (ms, sorted) counted the ways a CAPS limit is read. */
final class InviteCounts {

    private InviteCounts() {
    }

    /** The most INVITEs in any 1000 ms, the window slid over every arrival (how {@code seize.lua} counts CAPS). */
    static int mostInAnySlidingSecond(long[] sorted) {
        int most = 0;
        int first = 0;
        for (int i = 0; i < sorted.length; i++) {
            while (sorted[i] - sorted[first] >= 1000) {
                first++;
            }
            most = Math.max(most, i - first + 1);
        }
        return most;
    }

    /** INVITEs per whole clock second (epoch second → count). */
    static TreeMap<Long, Integer> perClockSecond(long[] sorted) {
        TreeMap<Long, Integer> seconds = new TreeMap<>();
        for (long t : sorted) {
            seconds.merge(t / 1000, 1, Integer::sum);
        }
        return seconds;
    }

    /** The most INVITEs in one whole clock second. */
    static int mostInAClockSecond(long[] sorted) {
        return perClockSecond(sorted).values().stream().mapToInt(Integer::intValue).max().orElse(0);
    }

    /** The full clock seconds strictly between the first and the last arrival (their edges are partial). */
    static Map<Long, Integer> innerSeconds(TreeMap<Long, Integer> seconds) {
        if (seconds.size() < 3) {
            return Map.of();
        }
        return seconds.subMap(seconds.firstKey(), false, seconds.lastKey(), false);
    }
}
