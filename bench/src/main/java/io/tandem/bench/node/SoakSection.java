package io.tandem.bench.node;

import io.tandem.backend.redis.Keys;
import io.tandem.bench.BenchSection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code ./tandem bench soak} (issue 21): two nodes on one redis-server under steady registrations, queue calls with
 * media, callers who abandon and callers whose phones vanish without a BYE, for an hour; heap after a full GC,
 * threads, open sockets, RTP ports and Redis memory sampled every minute, and compared idle before and idle after.
 */
public final class SoakSection implements BenchSection {

    private static final String TENANT = "soak";
    private static final String PASSWORD = "soak-password";
    private static final String ADMIN = "admin@" + TENANT;
    private static final int NODES = 2;
    private static final String SERVED = "7000";
    private static final String UNSERVED = "7001";
    private static final int FIRST_AGENT = 300_000;
    private static final int AGENTS = 40;
    private static final String ABSENT_AGENT = "300999";
    private static final int FIRST_REGISTERING = 310_000;
    private static final int REGISTERING = 1_000;
    private static final int QUEUE_CALLER = 390_001;
    private static final int ABANDONING_CALLER = 391_001;
    private static final int VANISHING_CALLER = 392_001;

    /** Per node: queue calls per second (held, with media), REGISTERs per second, abandoning callers per second. */
    private static final int CALLS_PER_SECOND = 2;
    private static final long CALL_HOLD_MILLIS = 8_000;
    private static final int REGISTERS_PER_SECOND = 10;
    private static final long ABANDON_AFTER_MILLIS = 5_000;
    /** Every this often, each node gets {@link #VANISHING} callers whose SIPp is then killed (no BYE, no RTP). */
    private static final Duration VANISH_EVERY = Duration.ofMinutes(2);
    private static final int VANISHING = 5;

    private final int minutes;

    public SoakSection(int minutes) {
        this.minutes = minutes;
    }

    @Override
    public String title() {
        return "Soak: two nodes for " + minutes + " minutes";
    }

    @Override
    public String run(boolean quick) throws Exception {
        Path work = Files.createTempDirectory("tandem-bench-soak-");
        String loadBefore = DispatchLatencySection.loadAverage();
        Duration sampleEvery = Duration.ofSeconds(minutes <= 5 ? 20 : 60);
        long seconds = minutes * 60L;
        try (QueueCluster cluster = QueueCluster.start(work, Path.of("backend/target/tandem-node.jar"), NODES, "s",
                TENANT, PASSWORD, writeUsers(work), writeQueues(work), List.of("-Xms512m", "-Xmx512m"))) {
            cluster.agentsAnswering(agents());
            List<Sample> samples = new ArrayList<>();
            Sample idleBefore = sample(cluster, 0);
            ExecutorService traffic = Executors.newFixedThreadPool(3);
            long start = System.nanoTime();
            try {
                Future<long[]> queueCalls = traffic.submit(() -> cluster.placeCallers("queue", SERVED, QUEUE_CALLER,
                        (int) (CALLS_PER_SECOND * seconds * NODES), CALLS_PER_SECOND, CALL_HOLD_MILLIS, true));
                Future<long[]> abandons = traffic.submit(() -> cluster.placeCallers("abandon", UNSERVED,
                        ABANDONING_CALLER, (int) (seconds * NODES), 1, ABANDON_AFTER_MILLIS, false));
                List<ChildProcess> registrations = new ArrayList<>();
                for (int i = 0; i < NODES; i++) {
                    registrations.add(cluster.registrations("load-" + (i + 1), i, registering(i),
                            REGISTERS_PER_SECOND, REGISTERS_PER_SECOND * seconds));
                }
                int vanishRounds = 0;
                long nextSample = sampleEvery.toNanos();
                long nextVanish = VANISH_EVERY.toNanos() / 2;
                long end = seconds * 1_000_000_000L;
                while (true) {
                    long now = System.nanoTime() - start;
                    if (now >= end) {
                        break;
                    }
                    if (now >= nextVanish) {
                        vanish(cluster, ++vanishRounds);
                        nextVanish += VANISH_EVERY.toNanos();
                    }
                    if (now >= nextSample) {
                        samples.add(sample(cluster, now / 1_000_000_000L));
                        System.out.printf(Locale.ROOT, "soak %s%n", samples.get(samples.size() - 1));
                        nextSample += sampleEvery.toNanos();
                    }
                    long wait = Math.min(Math.min(nextSample, nextVanish), end) - (System.nanoTime() - start);
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000L + 1);
                    }
                }
                long[] calls = queueCalls.get();
                long[] abandoned = abandons.get();
                long[] registered = new long[2];
                for (ChildProcess sipp : registrations) {
                    long[] r = QueueCluster.finish("registrations", 0, sipp, 120);
                    registered[0] += r[0];
                    registered[1] += r[1];
                    sipp.close();
                }
                double ran = (System.nanoTime() - start) / 1e9;
                Sample idleAfter = awaitIdle(cluster, idleBefore, ran);
                Map<String, Long> outcomes = queueLogEvents(cluster.redisPort());
                Map<String, Long> keyKinds = keyKinds(cluster.redisPort());
                Map<String, String> streams = streams(cluster.redisPort());
                String loadAfter = DispatchLatencySection.loadAverage();
                System.out.println("work files in " + work);
                return render(samples, idleBefore, idleAfter, calls, abandoned, registered, vanishRounds, outcomes,
                        ran, loadBefore, loadAfter) + renderKeys(keyKinds, streams);
            } finally {
                traffic.shutdownNow();
            }
        }
    }

    /** One round of vanishing callers: SIPp places them into the unserved queue and is killed 10 s later. */
    private static void vanish(QueueCluster cluster, int round) throws Exception {
        List<ChildProcess> sipps = new ArrayList<>();
        for (int i = 0; i < NODES; i++) {
            sipps.add(cluster.callers("vanish-" + round, UNSERVED, i, VANISHING_CALLER + i, VANISHING, VANISHING,
                    600_000, false));
        }
        Thread.sleep(10_000); // the callers are answered and waiting by then; what is measured is the node after
        for (ChildProcess sipp : sipps) {
            sipp.kill();
        }
    }

    /**
     * After the traffic: the nodes end the vanished callers by themselves (RTP silence, then an unanswered OPTIONS);
     * the idle sample is taken once every node holds no more RTP ports than before the run, or after 3 minutes.
     */
    private static Sample awaitIdle(QueueCluster cluster, Sample before, double at) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (true) {
            Sample now = sample(cluster, (long) at);
            boolean settled = true;
            for (int i = 0; i < NODES; i++) {
                settled &= now.nodes().get(i).rtpPorts() <= before.nodes().get(i).rtpPorts();
            }
            if (settled || System.nanoTime() > deadline) {
                return now;
            }
            Thread.sleep(5_000);
        }
    }

    record Sample(long second, List<SoakSample> nodes, double redisMb, long redisKeys) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "t=%ds nodes=%s redis=%.1fMB keys=%d", second, nodes, redisMb,
                    redisKeys);
        }
    }

    private static Sample sample(QueueCluster cluster, long second) throws IOException, InterruptedException {
        List<SoakSample> nodes = new ArrayList<>();
        for (int i = 0; i < NODES; i++) {
            int[] rtp = cluster.rtpRange(i);
            nodes.add(SoakSample.take(cluster.nodePid(i), cluster.httpPorts()[i], ADMIN, PASSWORD, rtp[0], rtp[1]));
        }
        String info = TandemRegistrar.redisCli(cluster.redisPort(), "INFO", "memory");
        double used = 0;
        for (String line : info.split("\r?\n")) {
            if (line.startsWith("used_memory:")) {
                used = Long.parseLong(line.substring(12).trim()) / (1024.0 * 1024.0);
            }
        }
        long keys = Long.parseLong(TandemRegistrar.redisCli(cluster.redisPort(), "DBSIZE").trim());
        return new Sample(second, nodes, used, keys);
    }

    /** How many queue-log records of each event the run left (CONNECT, ABANDON, VANISHED, …). */
    private static Map<String, Long> queueLogEvents(int redisPort) throws IOException, InterruptedException {
        String all = TandemRegistrar.redisCli(redisPort, "XRANGE", Keys.queueLog(TENANT), "-", "+");
        Map<String, Long> counts = new TreeMap<>();
        String[] lines = all.split("\r?\n");
        for (int i = 0; i + 1 < lines.length; i++) {
            if (lines[i].trim().equals("event")) {
                counts.merge(lines[i + 1].trim(), 1L, Long::sum);
            }
        }
        return counts;
    }

    /**
     * The keys left after the run by kind: each key's name with ids and numbers replaced, so what grows with the
     * traffic (records, nonces awaiting their expiry) is told apart from what a leak would leave.
     */
    private static Map<String, Long> keyKinds(int redisPort) throws IOException, InterruptedException {
        Map<String, Long> kinds = new TreeMap<>();
        for (String key : TandemRegistrar.redisCli(redisPort, "--scan").split("\r?\n")) {
            if (!key.isBlank()) {
                kinds.merge(kindOf(key.trim()), 1L, Long::sum);
            }
        }
        return kinds;
    }

    /**
     * Each stream's entries and bytes after the run: the node's streams (events, queue log, CDRs) are records, each
     * trimmed to its configured length ({@code XADD MAXLEN ~}), so they grow until that length and then stay.
     */
    private static Map<String, String> streams(int redisPort) throws IOException, InterruptedException {
        Map<String, String> streams = new TreeMap<>();
        for (String key : TandemRegistrar.redisCli(redisPort, "--scan").split("\\r?\\n")) {
            // Streams are one key each (no id or number in the name): TYPE only for those, not for every key.
            if (!key.isBlank() && kindOf(key.trim()).equals(key.trim())
                    && TandemRegistrar.redisCli(redisPort, "TYPE", key.trim()).equals("stream")) {
                streams.put(key.trim(), String.format(Locale.ROOT, "%,d entries, %.1f MB",
                        Long.parseLong(TandemRegistrar.redisCli(redisPort, "XLEN", key.trim())),
                        Long.parseLong(TandemRegistrar.redisCli(redisPort, "MEMORY", "USAGE", key.trim()))
                                / (1024.0 * 1024.0)));
            }
        }
        return streams;
    }

    private static String kindOf(String key) {
        return key.replaceAll("nc:.*", "nc:<nonce>").replaceAll("[0-9a-f]{8}-[0-9a-f-]{27}", "<id>")
                .replaceAll("[0-9a-f]{16,}", "<id>").replaceAll("[0-9]{4}-[0-9]{2}-[0-9]{2}", "<day>")
                .replaceAll("[0-9]{3,}", "<n>");
    }

    private static String renderKeys(Map<String, Long> kinds, Map<String, String> streams) {
        StringBuilder md = new StringBuilder("\nRedis keys after the run, by kind (`<n>` a number, `<id>` an id; "
                + "digest nonces expire by themselves after their lifetime):\n\n| kind | keys |\n|---|---:|\n");
        kinds.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(15)
                .forEach(e -> md.append("| `").append(e.getKey()).append("` | ").append(e.getValue()).append(" |\n"));
        md.append("\nStreams (records, each trimmed to its configured length with `XADD MAXLEN ~`: events, queue log "
                + "and CDRs keep about 100,000 entries by default, so Redis memory grows until they are full and then "
                + "stays):\n\n| stream | size |\n|---|---:|\n");
        streams.forEach((key, size) -> md.append("| `").append(key).append("` | ").append(size).append(" |\n"));
        return md.toString();
    }

    private static List<String> agents() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < AGENTS; i++) {
            ids.add(Integer.toString(FIRST_AGENT + i));
        }
        return ids;
    }

    /** The users whose REGISTERs node {@code node} takes: half of the registering users each. */
    private static List<String> registering(int node) {
        List<String> ids = new ArrayList<>();
        for (int i = node; i < REGISTERING; i += NODES) {
            ids.add(Integer.toString(FIRST_REGISTERING + i));
        }
        return ids;
    }

    private static Path writeUsers(Path dir) throws IOException {
        StringBuilder yaml = new StringBuilder("tenants:\n  ").append(TENANT).append(":\n    users:\n");
        List<String> all = new ArrayList<>(agents());
        all.add(ABSENT_AGENT);
        for (int i = 0; i < REGISTERING; i++) {
            all.add(Integer.toString(FIRST_REGISTERING + i));
        }
        for (int i = 0; i < NODES; i++) {
            all.addAll(List.of(Integer.toString(QUEUE_CALLER + i), Integer.toString(ABANDONING_CALLER + i),
                    Integer.toString(VANISHING_CALLER + i)));
        }
        for (String id : all) {
            yaml.append("      - {extension: \"").append(id).append("\", displayName: \"User ").append(id)
                    .append("\", password: \"").append(PASSWORD).append("\", roles: [agent]}\n");
        }
        yaml.append("      - {extension: \"admin\", displayName: \"Admin\", password: \"").append(PASSWORD)
                .append("\", roles: [admin]}\n");
        return Files.writeString(dir.resolve("users.yaml"), yaml, StandardCharsets.UTF_8);
    }

    /**
     * 7000 is served by every agent (longest-idle, no wrap-up); 7001's only member never logs in, so its callers wait
     * until they hang up or vanish.
     */
    private static Path writeQueues(Path dir) throws IOException {
        StringBuilder yaml = new StringBuilder("tenants:\n  ").append(TENANT).append(":\n    queues:\n")
                .append("      - number: \"").append(SERVED).append("\"\n        name: served\n")
                .append("        strategy: longest-idle\n        wrapUpSeconds: 0\n        retryDelaySeconds: 1\n")
                .append("        maxMisses: 0\n        members:\n");
        for (String id : agents()) {
            yaml.append("          - {agent: \"").append(id).append("\"}\n");
        }
        yaml.append("      - number: \"").append(UNSERVED).append("\"\n        name: unserved\n")
                .append("        strategy: longest-idle\n        maxWaitSeconds: 900\n        members:\n")
                .append("          - {agent: \"").append(ABSENT_AGENT).append("\"}\n");
        return Files.writeString(dir.resolve("queues.yaml"), yaml, StandardCharsets.UTF_8);
    }

    private String render(List<Sample> samples, Sample before, Sample after, long[] calls, long[] abandoned,
            long[] registered, int vanishRounds, Map<String, Long> outcomes, double ran, String loadBefore,
            String loadAfter) {
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "Two node processes (`backend/target/tandem-node.jar`, -Xms512m -Xmx512m "
                + "each) on one redis-server %s, loopback, for %.0f min. Per node, all the time: %d queue calls/s "
                + "into %s (SIPp, digest, G.711 streamed both ways, held %.0f s; %d agents answering, half registered "
                + "on each node, so about half the offers cross the inter-node trunk), %d authenticated REGISTERs/s "
                + "(SIPp, %,d users), and %d caller/s into %s, whose only member never logs in, hanging up after "
                + "%.0f s (ABANDON). Every %d min each node also gets %d callers into %s whose SIPp is then "
                + "killed: no BYE and no RTP any more, as a phone that loses its network; the node must find them "
                + "gone by itself (VANISHED). Every sample is taken right after a full GC the bench asks each node for "
                + "(`jcmd PID GC.run`): heap in use (Micrometer's `jvm.memory.used`, heap), live threads, open "
                + "sockets (/proc/PID/fd), UDP sockets in the node's RTP range (relay legs held); Redis "
                + "`used_memory` and `DBSIZE`. Load average (1/5/15 min) at the start: %s; at the end: %s.%n%n",
                TandemRegistrar.redisVersion(), ran / 60, CALLS_PER_SECOND, SERVED, CALL_HOLD_MILLIS / 1000.0, AGENTS,
                REGISTERS_PER_SECOND, REGISTERING, 1, UNSERVED, ABANDON_AFTER_MILLIS / 1000.0,
                VANISH_EVERY.toMinutes(), VANISHING, UNSERVED, loadBefore, loadAfter));
        md.append("| when | ").append(nodeColumns()).append("Redis MB | Redis keys |\n|---|")
                .append("---:|".repeat(4 * NODES + 2)).append('\n');
        md.append(row("idle, before the traffic", before));
        for (Sample s : samples) {
            md.append(row(String.format(Locale.ROOT, "%d:%02d", s.second() / 60, s.second() % 60), s));
        }
        md.append(row("idle, after the traffic", after));
        md.append(String.format(Locale.ROOT, "%nTraffic: queue calls %,d answered / %,d failed; abandoning callers "
                + "%,d / %,d failed; REGISTERs %,d / %,d failed; %d rounds of %d vanishing callers per node. Queue log "
                + "records: %s.%n%n", calls[0], calls[1], abandoned[0], abandoned[1], registered[0], registered[1],
                vanishRounds, VANISHING, outcomes));
        if (samples.size() >= 2) {
            Sample first = samples.get(Math.min(samples.size() - 1, samples.size() / 6));
            Sample last = samples.get(samples.size() - 1);
            md.append(String.format(Locale.ROOT, "Under load, from %d:%02d (after the first sixth, warm-up) to the "
                    + "end:%n%n| node | heap MB | threads | sockets | RTP ports |%n|---|---:|---:|---:|---:|%n",
                    first.second() / 60, first.second() % 60));
            for (int i = 0; i < NODES; i++) {
                SoakSample a = first.nodes().get(i);
                SoakSample b = last.nodes().get(i);
                md.append(String.format(Locale.ROOT, "| s%d | %.1f → %.1f | %d → %d | %d → %d | %d → %d |%n", i + 1,
                        a.heapMb(), b.heapMb(), a.threads(), b.threads(), a.sockets(), b.sockets(), a.rtpPorts(),
                        b.rtpPorts()));
            }
            md.append(String.format(Locale.ROOT, "%nRedis: %.1f → %.1f MB, %d → %d keys.%n%n", first.redisMb(),
                    last.redisMb(), first.redisKeys(), last.redisKeys()));
        }
        boolean flat = true;
        for (int i = 0; i < NODES; i++) {
            SoakSample a = before.nodes().get(i);
            SoakSample b = after.nodes().get(i);
            flat &= b.rtpPorts() <= a.rtpPorts() && b.threads() <= a.threads() + 5 && b.sockets() <= a.sockets() + 5;
        }
        md.append(String.format(Locale.ROOT, "Idle after vs idle before: %s (RTP ports back to the idle figure, "
                + "threads and sockets within 5 of it).%n", flat ? "**flat**" : "**not flat: see the table**"));
        return md.toString();
    }

    private static String nodeColumns() {
        StringBuilder h = new StringBuilder();
        for (int i = 1; i <= NODES; i++) {
            h.append("s").append(i).append(" heap MB | s").append(i).append(" threads | s").append(i)
                    .append(" sockets | s").append(i).append(" RTP ports | ");
        }
        return h.toString();
    }

    private static String row(String when, Sample s) {
        StringBuilder r = new StringBuilder("| ").append(when).append(" | ");
        for (SoakSample n : s.nodes()) {
            r.append(String.format(Locale.ROOT, "%.1f | %d | %d | %d | ", n.heapMb(), n.threads(), n.sockets(),
                    n.rtpPorts()));
        }
        return r.append(String.format(Locale.ROOT, "%.1f | %d |%n", s.redisMb(), s.redisKeys())).toString();
    }
}
