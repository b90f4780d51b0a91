package io.tandem.bench.node;

import io.tandem.bench.BenchSection;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Dispatch latency as issue 4 defines it — a caller enqueued while agents are free → the INVITE sent to an agent —
 * on a real cluster: three node processes (the node jar) on one redis-server, agents logged in over REST and
 * registered (SIPp, digest) with bindings that point at SIPp UAS processes answering 180 then 200, and callers placed
 * by SIPp UACs spread over the three nodes into queue 7000. The figure is each node's own timer
 * ({@code tandem.queue.dispatch}, recorded when the first offer INVITE of a caller is sent), read from
 * {@code /actuator/prometheus} of every node after the run.
 */
public final class DispatchLatencySection implements BenchSection {

    private static final String TENANT = "bench";
    private static final String QUEUE = "7000";
    private static final String PASSWORD = "bench-password";
    private static final int NODES = 3;
    private static final int FIRST_AGENT = 300_000;
    private static final int FIRST_CALLER = 390_000;

    /**
     * Warm-up rounds of {@code warmUpRoundSeconds} of calls held {@code warmUpHoldMillis}, the first at
     * {@code warmUpFirstRate} per node, each next one at twice the rate up to {@code warmUpTopRate}; at most
     * {@code warmUpRounds} rounds (see {@link #warmUp}).
     */
    private record Load(int agents, int callers, int warmUpRounds, int warmUpRoundSeconds, int warmUpFirstRate,
            int warmUpTopRate, long warmUpHoldMillis, int ratePerNode, long holdMillis) {

        /** Calls per node per second in warm-up round {@code round} (from 1). */
        int warmUpRateIn(int round) {
            return (int) Math.min(warmUpTopRate, (long) warmUpFirstRate << Math.min(round - 1, 16));
        }
    }

    /**
     * How a warm-up ended: its rounds, the calls each node carried in them, and the nodes' JIT compilation in the
     * last one over that round's seconds.
     */
    private record WarmUp(int rounds, long callsPerNode, double lastCompileSeconds, double lastSeconds) {
    }

    /** The JIT counts as settled once the three nodes compiled for under this share of a round's time. */
    private static final double SETTLED_COMPILE_SHARE = 0.02;

    // Measured at 15 callers/s in all, held 5 s: the three nodes use under half of the 2 cores they share with Redis
    // and SIPp, so the figure is dispatch, not overload (at 40/s per node, as in the warm-up, the nodes take ~1.6
    // cores and the odd call times out).
    // The warm-up carries calls much faster, held 1 s: C2 compiles a method after ~5,000 invocations, so code that
    // runs once per call is compiled only after thousands of calls; at the measured 5/s per node that is a quarter
    // of an hour of a node's life, and a node measured before it would be measured while its JIT works. Rounds of
    // 25 s at 10, 20, then 40 calls/s per node: about 4,750 calls per node in six rounds.
    private static final Load FULL = new Load(500, 1_000, 6, 25, 10, 40, 1_000, 5, 5_000);
    private static final Load QUICK = new Load(30, 60, 1, 6, 5, 5, 1_000, 5, 2_000);

    @Override
    public String title() {
        return "Dispatch latency: three nodes, SIPp agents and callers";
    }

    @Override
    public String run(boolean quick) throws Exception {
        Load load = quick ? QUICK : FULL;
        Path work = Files.createTempDirectory("tandem-bench-dispatch-");
        String loadBefore = loadAverage();
        Path jar = Path.of("backend/target/tandem-node.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IOException("no node jar at " + jar + " (build the backend module first)");
        }
        List<ChildProcess> children = new ArrayList<>();
        try {
            int redisPort = LoopbackPorts.tcp();
            ChildProcess redis = ChildProcess.start("redis-server", work, List.of("redis-server", "--port",
                    Integer.toString(redisPort), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                    "--dir", work.toAbsolutePath().toString()), Map.of());
            children.add(redis);
            TandemRegistrar.awaitRedis(redisPort, redis);
            Path users = writeUsers(work, load);
            Path queues = writeQueue(work, load);
            byte[] secret = new byte[24];
            ThreadLocalRandom.current().nextBytes(secret);
            int[] sip = new int[NODES];
            int[] http = new int[NODES];
            List<ChildProcess> nodes = new ArrayList<>();
            for (int i = 0; i < NODES; i++) {
                sip[i] = LoopbackPorts.udpAndTcp();
                http[i] = LoopbackPorts.tcp();
                int rtp = 40_000 + i * 6_000;
                ChildProcess node = ChildProcess.start("node-d" + (i + 1), work, nodeCommand(
                        "-jar", jar.toAbsolutePath().toString(), "--tandem.node.id=d" + (i + 1),
                        "--tandem.redis.uri=redis://127.0.0.1:" + redisPort, "--tandem.sip.bind-address=127.0.0.1",
                        "--tandem.sip.udp-port=" + sip[i], "--tandem.sip.tcp-port=" + sip[i],
                        "--server.port=" + http[i], "--tandem.directory.default-tenant=" + TENANT,
                        "--tandem.directory.seed-file=" + users.toAbsolutePath(),
                        "--tandem.acd.seed-file=" + queues.toAbsolutePath(),
                        "--tandem.sip.rtp-port-min=" + rtp, "--tandem.sip.rtp-port-max=" + (rtp + 5_998)),
                        Map.of("TANDEM_NODE_CLUSTERSECRET", HexFormat.of().formatHex(secret)));
                children.add(node);
                nodes.add(node);
            }
            for (int i = 0; i < NODES; i++) {
                TandemRegistrar.awaitReady(http[i], nodes.get(i));
                SipProbe.awaitAnswer(sip[i], nodes.get(i), 60);
            }
            // Agents of node i register there from the port their UAS then answers on.
            int[] uasPort = new int[NODES];
            for (int i = 0; i < NODES; i++) {
                uasPort[i] = LoopbackPorts.udpAndTcp();
                register(work, i, sip[i], uasPort[i], agentsOf(i, load));
            }
            for (int i = 0; i < NODES; i++) {
                ChildProcess uas = startUas(work, i, uasPort[i]);
                children.add(uas);
            }
            AgentLogins.loginAvailable(http, TENANT, PASSWORD, agentIds(load));
            String available = TandemRegistrar.redisCli(redisPort, "ZCARD", "tandem:{" + TENANT + "}:agents:available");
            if (Integer.parseInt(available) != load.agents()) {
                throw new IOException(available + " agents available, expected " + load.agents());
            }
            WarmUp warmUp = warmUp(work, sip, http, load);
            List<DispatchTimer> warm = new ArrayList<>();
            List<JvmActivity> jvmBefore = jvm(http);
            for (int i = 0; i < NODES; i++) {
                warm.add(DispatchTimer.read(http[i], "admin@" + TENANT, PASSWORD));
            }
            String loadAtCalls = loadAverage();
            long start = System.nanoTime();
            long[] result;
            WakeUpProbe.Lateness wakeUps;
            try (WakeUpProbe probe = WakeUpProbe.start()) {
                result = placeCallers(work, "measured", sip, load.callers(), load.ratePerNode(), load.holdMillis());
                wakeUps = probe.stop();
            }
            long ok = result[0];
            long failed = result[1];
            double seconds = (System.nanoTime() - start) / 1e9;
            List<DispatchTimer> timers = new ArrayList<>();
            for (int i = 0; i < NODES; i++) {
                timers.add(DispatchTimer.read(http[i], "admin@" + TENANT, PASSWORD).minus(warm.get(i)));
            }
            List<JvmActivity> jvmAfter = jvm(http);
            List<JvmActivity> jvmDuring = new ArrayList<>();
            for (int i = 0; i < NODES; i++) {
                jvmDuring.add(jvmAfter.get(i).minus(jvmBefore.get(i)));
            }
            String loadAfter = loadAverage();
            System.out.println("work files in " + work);
            return render(load, warmUp, ok, failed, seconds, timers, jvmDuring, wakeUps, loadBefore, loadAtCalls,
                    loadAfter);
        } finally {
            for (int i = children.size() - 1; i >= 0; i--) {
                children.get(i).close();
            }
        }
    }

    /**
     * Warm-up (JIT, pools, connections): rounds of the same calls, subtracted from the histograms afterwards, until
     * the nodes' JIT compilation in a round falls under {@value #SETTLED_COMPILE_SHARE} of the round's time (three
     * JVMs compiling on two cores is what the first measured calls would otherwise queue behind), or the rounds run
     * out.
     */
    private static WarmUp warmUp(Path work, int[] sip, int[] http, Load load) throws Exception {
        JvmActivity before = total(jvm(http));
        long callsPerNode = 0;
        for (int round = 1; ; round++) {
            int rate = load.warmUpRateIn(round);
            int perNode = rate * load.warmUpRoundSeconds();
            long start = System.nanoTime();
            long[] result = placeCallers(work, "warmup-" + round, sip, perNode * NODES, rate, load.warmUpHoldMillis());
            double seconds = (System.nanoTime() - start) / 1e9;
            callsPerNode += perNode;
            JvmActivity after = total(jvm(http));
            double compiled = after.compileSeconds() - before.compileSeconds();
            System.out.printf(Locale.ROOT, "warm-up round %d: %,d calls at %d/s per node (%,d answered, %,d failed), "
                    + "%.1f s, JIT compilation %.2f s on the three nodes%n", round, perNode * NODES, rate, result[0],
                    result[1], seconds, compiled);
            if (round >= load.warmUpRounds() || compiled < SETTLED_COMPILE_SHARE * NODES * seconds) {
                return new WarmUp(round, callsPerNode, compiled, seconds);
            }
            before = after;
        }
    }

    private static List<JvmActivity> jvm(int[] http) throws IOException, InterruptedException {
        List<JvmActivity> all = new ArrayList<>();
        for (int port : http) {
            all.add(JvmActivity.parse(DispatchTimer.scrape(port, "admin@" + TENANT, PASSWORD)));
        }
        return all;
    }

    private static JvmActivity total(List<JvmActivity> nodes) {
        JvmActivity sum = new JvmActivity(0, 0, 0);
        for (JvmActivity node : nodes) {
            sum = sum.plus(node);
        }
        return sum;
    }

    private static List<String> agentIds(Load load) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < load.agents(); i++) {
            ids.add(Integer.toString(FIRST_AGENT + i));
        }
        return ids;
    }

    private static List<String> agentsOf(int node, Load load) {
        List<String> all = agentIds(load);
        List<String> mine = new ArrayList<>();
        for (int i = node; i < all.size(); i += NODES) {
            mine.add(all.get(i));
        }
        return mine;
    }

    /** The bench tenant: the agents, one caller user per node and an administrator (reads the metrics). */
    private static Path writeUsers(Path dir, Load load) throws IOException {
        StringBuilder yaml = new StringBuilder("tenants:\n  ").append(TENANT).append(":\n    users:\n");
        for (String id : agentIds(load)) {
            yaml.append("      - {extension: \"").append(id).append("\", displayName: \"Agent ").append(id)
                    .append("\", password: \"").append(PASSWORD).append("\", roles: [agent]}\n");
        }
        for (int i = 0; i < NODES; i++) {
            yaml.append("      - {extension: \"").append(FIRST_CALLER + i).append("\", displayName: \"Caller ")
                    .append(i).append("\", password: \"").append(PASSWORD).append("\", roles: [agent]}\n");
        }
        yaml.append("      - {extension: \"admin\", displayName: \"Admin\", password: \"").append(PASSWORD)
                .append("\", roles: [admin]}\n");
        return Files.writeString(dir.resolve("users.yaml"), yaml, StandardCharsets.UTF_8);
    }

    /** Queue 7000, longest-idle, every agent a member, no wrap-up (agents are free again at once). */
    private static Path writeQueue(Path dir, Load load) throws IOException {
        StringBuilder yaml = new StringBuilder("tenants:\n  ").append(TENANT).append(":\n    queues:\n")
                .append("      - number: \"").append(QUEUE).append("\"\n        name: support\n")
                .append("        strategy: longest-idle\n        wrapUpSeconds: 0\n        retryDelaySeconds: 1\n")
                .append("        maxMisses: 0\n        members:\n");
        for (String id : agentIds(load)) {
            yaml.append("          - {agent: \"").append(id).append("\"}\n");
        }
        return Files.writeString(dir.resolve("queues.yaml"), yaml, StandardCharsets.UTF_8);
    }

    private static void register(Path work, int node, int nodePort, int port, List<String> agents)
            throws IOException, InterruptedException {
        Path run = Files.createDirectories(work.resolve("register-d" + (node + 1)));
        copy("register-digest-uac.xml", run, Map.of());
        StringBuilder csv = new StringBuilder("SEQUENTIAL\n");
        for (String id : agents) {
            csv.append(id).append(";[authentication username=").append(id).append(" password=").append(PASSWORD)
                    .append("]\n");
        }
        Files.writeString(run.resolve("users.csv"), csv);
        try (ChildProcess sipp = ChildProcess.start("sipp", run, List.of("sipp", "127.0.0.1:" + nodePort, "-sf",
                "register-digest-uac.xml", "-inf", "users.csv", "-i", "127.0.0.1", "-p", Integer.toString(port),
                "-t", "u1", "-r", "50", "-m", Integer.toString(agents.size()), "-timeout", "120s", "-timeout_error",
                "-nostdin", "-trace_stat", "-stf", "stats.csv"), Map.of())) {
            if (!sipp.waitFor(150) || SippCalls.number(SippCalls.lastStats(run.resolve("stats.csv")), "SuccessfulCall(C)")
                    != agents.size()) {
                throw new IOException("agents of node d" + (node + 1) + " did not all register:\n" + sipp.tail(20));
            }
        }
    }

    /** The agents' phones of one node: 180, 200 with SDP, wait for the BYE. */
    private static ChildProcess startUas(Path work, int node, int port) throws IOException, InterruptedException {
        Path run = Files.createDirectories(work.resolve("uas-d" + (node + 1)));
        copy("call-uas.xml", run, Map.of());
        ChildProcess uas = ChildProcess.start("sipp-uas", run, List.of("sipp", "-sf", "call-uas.xml", "-i",
                "127.0.0.1", "-p", Integer.toString(port), "-mi", "127.0.0.1", "-mp",
                Integer.toString(LoopbackPorts.sippMedia()), "-t", "u1", "-l", "20000", "-nostdin", "-trace_err",
                "-error_file", "errors.log"), Map.of());
        CallSection.awaitBound(port, uas);
        return uas;
    }

    /**
     * {@code total} callers spread over the nodes, each node's caller starting a third of a call interval after the
     * one before; returns {answered, failed}.
     */
    private static long[] placeCallers(Path work, String label, int[] sip, int total, int ratePerNode,
            long holdMillis) throws Exception {
        ScheduledExecutorService pool = Executors.newScheduledThreadPool(NODES);
        try {
            List<Future<long[]>> runs = new ArrayList<>();
            // SIPp spaces a node's calls evenly (1/rate apart). Started together, the three UACs would send their
            // INVITEs at the same instants, every call of the run; three independent sources have no reason to be in
            // step, so each starts a third of that spacing after the one before.
            long phaseMicros = 1_000_000L / ratePerNode / NODES;
            for (int i = 0; i < NODES; i++) {
                int node = i;
                int calls = total / NODES + (node < total % NODES ? 1 : 0);
                runs.add(pool.schedule(() -> callers(work, label, node, sip[node], calls, ratePerNode, holdMillis),
                        node * phaseMicros, TimeUnit.MICROSECONDS));
            }
            long[] sum = new long[2];
            for (Future<long[]> run : runs) {
                long[] r = run.get();
                sum[0] += r[0];
                sum[1] += r[1];
            }
            return sum;
        } finally {
            pool.shutdown();
        }
    }

    /** One node's callers: calls to 7000 at the node's rate, each held, then BYE. */
    private static long[] callers(Path work, String label, int node, int nodePort, int calls, int ratePerNode,
            long holdMillis) throws Exception {
        Path run = Files.createDirectories(work.resolve(label + "-uac-d" + (node + 1)));
        copy("call-uac.xml", run, Map.of("HOLD_MS", Long.toString(holdMillis), "<!--RTP-->", ""));
        String caller = Integer.toString(FIRST_CALLER + node);
        Files.writeString(run.resolve("users.csv"), "SEQUENTIAL\n" + caller + ";[authentication username=" + caller
                + " password=" + PASSWORD + "]\n");
        long timeout = calls / ratePerNode + holdMillis / 1000 + 120;
        try (ChildProcess sipp = ChildProcess.start("sipp-uac", run, List.of("sipp", "127.0.0.1:" + nodePort, "-sf",
                "call-uac.xml", "-inf", "users.csv", "-s", QUEUE, "-i", "127.0.0.1", "-p",
                Integer.toString(LoopbackPorts.udpAndTcp()), "-mi", "127.0.0.1", "-mp",
                Integer.toString(LoopbackPorts.sippMedia()), "-t", "u1", "-r", Integer.toString(ratePerNode),
                "-rp", "1000", "-m", Integer.toString(calls), "-l", "20000", "-recv_timeout", "60000", "-timeout",
                timeout + "s", "-timeout_error", "-nostdin", "-trace_stat", "-stf", "stats.csv", "-fd", "1",
                "-trace_err", "-error_file", "errors.log"), Map.of())) {
            if (!sipp.waitFor(timeout + 30)) {
                throw new IOException("SIPp callers of node d" + (node + 1) + " did not finish");
            }
        }
        Map<String, String> last = SippCalls.lastStats(run.resolve("stats.csv"));
        return new long[] {SippCalls.number(last, "SuccessfulCall(C)"), SippCalls.number(last, "FailedCall(C)")};
    }

    private static void copy(String scenario, Path run, Map<String, String> replacements) throws IOException {
        try (InputStream in = DispatchLatencySection.class.getResourceAsStream("/node/" + scenario)) {
            String text = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            for (Map.Entry<String, String> r : replacements.entrySet()) {
                text = text.replace(r.getKey(), r.getValue());
            }
            Files.writeString(run.resolve(scenario), text, StandardCharsets.ISO_8859_1);
        }
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " / " + f[1] + " / " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String render(Load load, WarmUp warmUp, long ok, long failed, double seconds,
            List<DispatchTimer> timers, List<JvmActivity> jvm, WakeUpProbe.Lateness wakeUps, String before,
            String atCalls, String after) {
        DispatchTimer cluster = DispatchTimer.merge(timers);
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "Three node processes (`backend/target/tandem-node.jar`, -Xms1g -Xmx1g each"
                + extraJavaOptions() + ") on "
                + "one redis-server %s, loopback. %,d agents (a third per node) log in over REST, go available and "
                + "register with digest (SIPp) from the port a SIPp UAS then answers on (180, 200 with SDP, hold "
                + "until BYE); queue %s is longest-idle with every agent a member and no wrap-up. Three SIPp UACs, "
                + "one per node and a third of a call interval apart (SIPp spaces a node's calls evenly; started "
                + "together, the three would send every INVITE at the same instant), place %,d callers into %s at "
                + "%d/s each (%d/s in all), each held %.0f s after the "
                + "node answers it, so at most ~%d callers are in the queue or talking at once and agents are free "
                + "whenever a caller is enqueued. Latency is the node's timer `tandem.queue.dispatch` (caller "
                + "joins → first offer INVITE sent: the enqueue with the claim behind it in one round trip, the "
                + "agent's route, the INVITE to the agent or over the inter-node trunk, before the caller's 200 OK; "
                + "a caller "
                + "not offered then waits for a claim by any node's dispatcher), read from "
                + "`/actuator/prometheus` of each node after the run.%n%n",
                TandemRegistrar.redisVersion(), load.agents(), QUEUE, load.callers(), QUEUE, load.ratePerNode(),
                load.ratePerNode() * NODES, load.holdMillis() / 1000.0,
                (int) (load.ratePerNode() * NODES * (load.holdMillis() / 1000.0 + 1))));
        md.append("| node | samples | p50 ms | p99 ms | p50 bucket | p99 bucket | highest bucket "
                + "| JIT compiling s | GC pauses | GC paused ms |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (int i = 0; i <= timers.size(); i++) {
            DispatchTimer t = i < timers.size() ? timers.get(i) : cluster;
            JvmActivity j = i < timers.size() ? jvm.get(i) : total(jvm);
            String name = i < timers.size() ? "d" + (i + 1) : "**cluster**";
            md.append(String.format(Locale.ROOT, "| %s | %,d | %.1f | %.1f | ≤ %s | ≤ %s | ≤ %s | %.2f | %d | %.0f |%n",
                    name, t.count(), t.interpolatedMillis(0.5), t.interpolatedMillis(0.99),
                    bound(t.bucketBoundMillis(0.5)), bound(t.bucketBoundMillis(0.99)), bound(t.bucketBoundMillis(1.0)),
                    j.compileSeconds(), j.gcPauses(), j.gcPauseSeconds() * 1000));
        }
        md.append(String.format(Locale.ROOT, "%nCalls measured: %,d answered, %,d failed, %.1f s, after %d warm-up "
                + "round(s) of %d s, %,d calls per node in all, each held %.0f s (the first round at %d calls/s per "
                + "node, each next at twice the rate up to %d/s: C2 compiles code run once per call only after "
                + "thousands of calls, which the measured rate would take a quarter of an hour to reach; rounds go "
                + "on, up to %d, until the three JVMs' JIT compilation in a round is "
                + "under %.0f %% of the round's time; the last round compiled %.2f s, summed over the three JVMs' compiler threads, in %.1f s), whose samples are "
                + "subtracted (the histograms are read before and after). JIT compiling, GC pauses and paused time "
                + "are the nodes' own `jvm.compilation.time` and `jvm.gc.pause` over the measured calls. Percentiles come "
                + "from the histogram buckets (1 ms steps to 10 ms, then 12, 14, … 20, 25, 30, 40, 50, 75, 100 ms, "
                + "then Micrometer's own): p50/p99 interpolated within the bucket as Prometheus' "
                + "`histogram_quantile` does, and the bucket bound they fall under; the cluster row adds the three "
                + "nodes' buckets. Load average (1/5/15 min) at the start of this section: %s; when the measured "
                + "callers started: %s; at the end: %s.%n%n"
                + "How noisy the machine was meanwhile: a thread of the bench's JVM, idle otherwise, slept 1 ms "
                + "again and again during the measured calls and woke late by p50 %.2f ms, p99 %.2f ms, p99.9 %.2f "
                + "ms, at worst %.1f ms (%,d wake-ups). Any thread on the machine (a node's SIP thread, Redis, SIPp) "
                + "waited for a core as long.%n%n", ok,
                failed, seconds, warmUp.rounds(), load.warmUpRoundSeconds(), warmUp.callsPerNode(),
                load.warmUpHoldMillis() / 1000.0, load.warmUpFirstRate(), load.warmUpTopRate(), load.warmUpRounds(),
                SETTLED_COMPILE_SHARE * 100, warmUp.lastCompileSeconds(), warmUp.lastSeconds(), before, atCalls,
                after, wakeUps.p50(), wakeUps.p99(), wakeUps.p999(), wakeUps.max(), wakeUps.samples()));
        double p99 = cluster.bucketBoundMillis(0.99);
        md.append(String.format(Locale.ROOT, "Goal (issue 4): p99 < 20 ms → %s.%n",
                p99 <= 20 ? "**met**" : "**not met** on this run"));
        return md.toString();
    }

    private static String bound(double millis) {
        return Double.isInfinite(millis) ? "∞" : String.format(Locale.ROOT, "%.0f ms", millis);
    }

    /** The node JVM options added with TANDEM_BENCH_NODE_JAVA_OPTS, for the report ("" without). */
    private static String extraJavaOptions() {
        String extra = System.getenv("TANDEM_BENCH_NODE_JAVA_OPTS");
        // spliced into a format string: a % of the options (a GC log file name) is escaped
        return extra == null || extra.isBlank() ? "" : ", plus `" + extra.trim().replace("%", "%%") + "`";
    }

    /** java, the node JVM's options (-Xms1g -Xmx1g, then TANDEM_BENCH_NODE_JAVA_OPTS), then the given arguments. */
    private static List<String> nodeCommand(String... args) {
        List<String> command = new ArrayList<>(List.of("java", "-Xms1g", "-Xmx1g"));
        String extra = System.getenv("TANDEM_BENCH_NODE_JAVA_OPTS");
        if (extra != null && !extra.isBlank()) {
            command.addAll(List.of(extra.trim().split("\\s+")));
        }
        command.addAll(List.of(args));
        return command;
    }
}
