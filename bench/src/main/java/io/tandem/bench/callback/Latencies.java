package io.tandem.bench.callback;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Millisecond samples of one figure: count, p50, p99 and the worst (nearest-rank percentiles). */
final class Latencies {

    private final List<Long> samples = new ArrayList<>();

    void add(long millis) {
        samples.add(millis);
    }

    int count() {
        return samples.size();
    }

    long percentile(double p) {
        if (samples.isEmpty()) {
            return -1;
        }
        long[] sorted = samples.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, Math.max(0, (int) Math.ceil(p * sorted.length) - 1))];
    }

    long max() {
        return percentile(1.0);
    }

    /** A Markdown table row: what, count, p50, p99, max, the goal and whether p99 meets it. */
    String row(String what, long goalMillis) {
        boolean met = count() > 0 && percentile(0.99) < goalMillis;
        return String.format(Locale.ROOT, "| %s | %,d | %d | %d | %d | < %,d ms | %s |%n", what, count(),
                percentile(0.5), percentile(0.99), max(), goalMillis, count() == 0 ? "no samples" : met ? "met"
                        : "not met");
    }

    static String header() {
        return "| figure | samples | p50 ms | p99 ms | max ms | goal (p99) | |\n|---|---:|---:|---:|---:|---|---|\n";
    }
}
