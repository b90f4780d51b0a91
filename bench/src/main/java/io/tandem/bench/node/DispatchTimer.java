package io.tandem.bench.node;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A node's {@code tandem.queue.dispatch} timer as {@code /actuator/prometheus} shows it: sample count, max, the
 * node's own p50/p99 and the cumulative histogram buckets (seconds → count), which add up across nodes.
 */
record DispatchTimer(long count, double maxSeconds, Map<Double, Double> quantiles, TreeMap<Double, Double> buckets) {

    private static final String NAME = "tandem_queue_dispatch_seconds";
    private static final Pattern LINE = Pattern.compile("^(" + NAME + "\\w*)(\\{[^}]*\\})?\\s+(\\S+)");
    private static final Pattern LE = Pattern.compile("le=\"([^\"]+)\"");
    private static final Pattern QUANTILE = Pattern.compile("quantile=\"([^\"]+)\"");

    static DispatchTimer read(int httpPort, String login, String password) throws IOException, InterruptedException {
        return parse(scrape(httpPort, login, password));
    }

    /** The node's {@code /actuator/prometheus} exposition. */
    public static String scrape(int httpPort, String login, String password) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort
                + "/actuator/prometheus")).timeout(Duration.ofSeconds(30)).header("Authorization", "Basic "
                + Base64.getEncoder().encodeToString((login + ":" + password).getBytes(StandardCharsets.UTF_8)))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("/actuator/prometheus: " + response.statusCode() + " " + response.body());
        }
        return response.body();
    }

    static DispatchTimer parse(String exposition) {
        long count = 0;
        double max = 0;
        Map<Double, Double> quantiles = new TreeMap<>();
        TreeMap<Double, Double> buckets = new TreeMap<>();
        for (String line : exposition.split("\n")) {
            Matcher m = LINE.matcher(line);
            if (!m.find()) {
                continue;
            }
            String labels = m.group(2) == null ? "" : m.group(2);
            double value = Double.parseDouble(m.group(3));
            switch (m.group(1)) {
                case NAME + "_count" -> count = (long) value;
                case NAME + "_max" -> max = value;
                case NAME + "_bucket" -> {
                    Matcher le = LE.matcher(labels);
                    if (le.find()) {
                        buckets.put(le.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY
                                : Double.parseDouble(le.group(1)), value);
                    }
                }
                case NAME -> {
                    Matcher q = QUANTILE.matcher(labels);
                    if (q.find()) {
                        quantiles.put(Double.parseDouble(q.group(1)), value);
                    }
                }
                default -> {
                    // _sum, _created: not needed
                }
            }
        }
        return new DispatchTimer(count, max, quantiles, buckets);
    }

    /** The nodes' buckets added up (the same bounds on every node: one configuration). */
    static DispatchTimer merge(List<DispatchTimer> timers) {
        TreeMap<Double, Double> buckets = new TreeMap<>();
        long count = 0;
        double max = 0;
        for (DispatchTimer t : timers) {
            count += t.count();
            max = Math.max(max, t.maxSeconds());
            t.buckets().forEach((le, n) -> buckets.merge(le, n, Double::sum));
        }
        return new DispatchTimer(count, max, Map.of(), buckets);
    }

    /** What was recorded between {@code earlier} and this reading (counts and buckets; max is not a counter). */
    DispatchTimer minus(DispatchTimer earlier) {
        TreeMap<Double, Double> delta = new TreeMap<>();
        buckets.forEach((le, n) -> delta.put(le, n - earlier.buckets().getOrDefault(le, 0.0)));
        return new DispatchTimer(count - earlier.count(), maxSeconds, Map.of(), delta);
    }

    /** The q-quantile (ms), linear within its bucket as Prometheus' histogram_quantile interpolates. */
    double interpolatedMillis(double q) {
        double total = buckets.isEmpty() ? 0 : buckets.lastEntry().getValue();
        if (total <= 0) {
            return Double.NaN;
        }
        double rank = q * total;
        double lower = 0;
        double below = 0;
        for (Map.Entry<Double, Double> b : buckets.entrySet()) {
            if (b.getValue() >= rank) {
                if (Double.isInfinite(b.getKey())) {
                    return lower * 1000;
                }
                double inBucket = b.getValue() - below;
                double fraction = inBucket <= 0 ? 1 : (rank - below) / inBucket;
                return (lower + (b.getKey() - lower) * fraction) * 1000;
            }
            lower = b.getKey();
            below = b.getValue();
        }
        return Double.NaN;
    }

    /** The upper bound (ms) of the first bucket holding at least a fraction q of the samples. */
    double bucketBoundMillis(double q) {
        double total = buckets.isEmpty() ? 0 : buckets.lastEntry().getValue();
        double rank = Math.ceil(q * total);
        for (Map.Entry<Double, Double> b : buckets.entrySet()) {
            if (b.getValue() >= rank && total > 0) {
                return b.getKey() * 1000;
            }
        }
        return Double.NaN;
    }
}
