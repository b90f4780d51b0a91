package io.tandem.bench.edge;

import io.tandem.bench.BenchSection;
import io.tandem.bench.node.BenchUsers;
import io.tandem.bench.node.CallSection;
import io.tandem.bench.node.ChildProcess;
import io.tandem.bench.node.LoopbackPorts;
import io.tandem.bench.node.RegistrarUnderTest;
import io.tandem.bench.node.SipProbe;
import io.tandem.bench.node.SippCalls;
import io.tandem.bench.node.SippRegisterLoad;
import io.tandem.bench.node.TandemRegistrar;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Issue 17's figures: authenticated REGISTERs and call set-ups per second through the edge to two nodes against
 * straight to one node (SIPp, a short ramp each). The failover is {@link EdgeFailoverSection}'s.
 */
public final class EdgeSection implements BenchSection {

    private static final int USERS = 5_000;
    private static final int[] REGISTER_RATES = {200, 400, 800, 1200, 1600, 2000, 2400};
    private static final int[] QUICK_REGISTER_RATES = {200, 400};
    private static final int[] CALL_RATES = {50, 100, 200, 300, 400, 500, 750};
    // 200 in the quick ramp too: whether the edge gets past 100 calls/s is the question it answers (issue 17).
    private static final int[] QUICK_CALL_RATES = {50, 100, 200};
    private static final long HOLD_MILLIS = 1000;
    private static final int MISSES = 2;
    static final List<String> NODE_PROPERTIES = List.of("--tandem.sip.rtp-port-min=40000",
            "--tandem.sip.rtp-port-max=44999");
    /** The second node of the cluster relays on ports of its own. */
    static final List<String> SECOND_NODE_PROPERTIES = List.of("--tandem.sip.rtp-port-min=45000",
            "--tandem.sip.rtp-port-max=49999");

    private static final int REGISTER_ATTEMPTS = 6;
    private static final long RETRY_AFTER_MILLIS = 5_000;

    private final Path nodeJar;
    /** 0: the ramps; otherwise one call step at this rate and no REGISTER ramp ({@code --calls-at}). */
    private final int callsAt;

    public EdgeSection(Path nodeJar, int callsAt) {
        this.nodeJar = nodeJar;
        this.callsAt = callsAt;
    }

    @Override
    public String title() {
        return "Through the edge (Kamailio + rtpengine, two nodes) vs straight to one node";
    }

    /**
     * What one set-up measured: the REGISTER ramp and the call ramp, and how many times under each the edge took a
     * live node out of the rotation for leaving a request unanswered past its failover timer (none straight).
     */
    private record Outcome(String name, String setup, List<SippRegisterLoad.Step> registers,
            List<SippCalls.Run> calls, long registerTimeOuts, long callTimeOuts) {
    }

    /** A count read from the set-up, before and after a ramp. */
    @FunctionalInterface
    private interface Count {
        long read() throws IOException;
    }

    @Override
    public String run(boolean quick) throws Exception {
        Path work = Files.createTempDirectory("tandem-bench-edge-");
        String loadBefore = loadAverage();
        BenchUsers users = new BenchUsers(USERS);
        SippRegisterLoad load = new SippRegisterLoad(work.resolve("sipp-register"), users.writeSippInjection(work));
        int seconds = quick ? 2 : 5;
        List<Outcome> outcomes = new ArrayList<>();
        try (TandemRegistrar node = TandemRegistrar.start("one node, straight", work.resolve("straight"), nodeJar,
                users, NODE_PROPERTIES)) {
            outcomes.add(measure(node, () -> 0, load, work.resolve("sipp-straight"), quick, seconds, callsAt));
        }
        String loadMiddle = loadAverage();
        String takenOut;
        try (EdgeCluster cluster = EdgeCluster.start(work.resolve("edge"), nodeJar, users, NODE_PROPERTIES)) {
            outcomes.add(measure(cluster, cluster::nodeTimeOuts, load, work.resolve("sipp-edge"), quick, seconds,
                    callsAt));
            takenOut = cluster.nodesTakenOut();
        }
        System.out.println("work files in " + work);
        return render(outcomes, seconds, loadBefore, loadMiddle, loadAverage())
                + "\nLive nodes under the ramps' load, as the edge saw them (its log): " + takenOut + ".\n";
    }

    private static Outcome measure(RegistrarUnderTest target, Count timeOuts, SippRegisterLoad load, Path sippDir,
            boolean quick, int seconds, int callsAt) throws IOException, InterruptedException {
        String label = target.name().replaceAll("[^a-z0-9]+", "-");
        long beforeRegisters = timeOuts.read();
        List<SippRegisterLoad.Step> registers = new ArrayList<>();
        int misses = 0;
        int[] registerRates = callsAt > 0 ? new int[0] : quick ? QUICK_REGISTER_RATES : REGISTER_RATES;
        if (registerRates.length > 0) {
            load.run(label + "-warmup", target, 100, 1000);
        }
        for (int rate : registerRates) {
            awaitIdle(target);
            SippRegisterLoad.Step step = load.run(label, target, rate, (long) rate * seconds);
            registers.add(step);
            System.out.printf(Locale.ROOT, "%s REGISTER %d/s: %d ok, %d failed, %.0f/s%n", target.name(), rate,
                    step.successful(), step.failed(), step.achievedRate());
            misses = step.sustained() ? 0 : misses + 1;
            if (misses >= MISSES) {
                break;
            }
        }
        long registerTimeOuts = timeOuts.read() - beforeRegisters;
        SippCalls sipp = new SippCalls(sippDir, target.sipPort());
        int uacPort = LoopbackPorts.udpAndTcp();
        int uasPort = LoopbackPorts.udpAndTcp();
        awaitIdle(target);
        registerAfterLoad(sipp, 0, uacPort);
        registerAfterLoad(sipp, 1, uasPort);
        String callee = BenchUsers.extension(1);
        List<SippCalls.Run> calls = new ArrayList<>();
        long beforeCalls;
        try (ChildProcess uas = sipp.startUas(uasPort, false)) {
            CallSection.awaitBound(uasPort, uas);
            sipp.call("warmup", uacPort, 20, 100, HOLD_MILLIS, false, callee);
            beforeCalls = timeOuts.read();
            misses = 0;
            int[] callRates = callsAt > 0 ? new int[] {callsAt} : quick ? QUICK_CALL_RATES : CALL_RATES;
            for (int rate : callRates) {
                awaitIdle(target);
                SippCalls.Run run = sipp.call("setup", uacPort, rate, (long) rate * seconds, HOLD_MILLIS, false,
                        callee);
                calls.add(run);
                System.out.printf(Locale.ROOT, "%s calls %d/s: %d ok, %d failed, %.1f s%n", target.name(), rate,
                        run.successful(), run.failed(), run.seconds());
                misses = sustained(run, seconds) ? 0 : misses + 1;
                if (misses >= MISSES) {
                    break;
                }
            }
        }
        return new Outcome(target.name(), target.setup(), registers, calls, registerTimeOuts,
                timeOuts.read() - beforeCalls);
    }

    private static boolean sustained(SippCalls.Run run, int seconds) {
        return run.failed() * 1000 < run.calls() && run.successful() == (long) run.rate() * seconds
                && run.seconds() <= seconds + HOLD_MILLIS / 1000.0 + 2;
    }

    /**
     * Registers {@code user} once the REGISTER ramp is over: a node the ramp overloaded may still shed REGISTERs with
     * 503 Retry-After 5 (its overload valve) while it answers OPTIONS, so a refused attempt is tried again after
     * that Retry-After, a few times.
     */
    private static void registerAfterLoad(SippCalls sipp, int user, int port)
            throws IOException, InterruptedException {
        for (int attempt = 0; attempt < REGISTER_ATTEMPTS; attempt++) {
            if (sipp.attemptRegister("register-" + user + "-" + attempt, user, port, 30)) {
                return;
            }
            System.out.println("user " + BenchUsers.extension(user) + " not registered yet (attempt " + (attempt + 1)
                    + "): trying again after the overload valve's Retry-After");
            Thread.sleep(RETRY_AFTER_MILLIS); // RFC 3261 §21.5.4: the 503's Retry-After, 5 s
        }
        throw new IOException("user " + BenchUsers.extension(user) + " did not register after " + REGISTER_ATTEMPTS
                + " attempts");
    }

    private static void awaitIdle(RegistrarUnderTest target) throws IOException {
        for (int i = 0; i < 60 && !SipProbe.answers(target.sipPort()); i++) {
            System.out.println(target.name() + " still busy");
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

    private static String render(List<Outcome> outcomes, int seconds, String before, String middle, String after) {
        StringBuilder md = new StringBuilder();
        md.append("Method: SIPp (`sip-tester`) over UDP from one loopback address, the same scenarios as the node "
                + "bench (bench/src/main/resources/node). First one node straight, then "
                + "`./tandem edge --no-flood-limit` in front of two nodes on one shared redis-server (the edge's "
                + "pike flood limit, 64 requests / 2 s per "
                + "source, would block a load generator on one address; it stays on by default). ")
                .append(USERS).append(" users; REGISTER steps of ").append(seconds)
                .append(" s (REGISTER, 401, REGISTER with digest, 200) after a 1,000-registration warm-up; ")
                .append("call steps of ")
                .append(seconds).append(" s, each call INVITE/407/INVITE with digest/180/200/ACK, held ")
                .append(HOLD_MILLIS / 1000).append(" s, BYE, no RTP (the SDP still crosses rtpengine at the edge). ")
                .append("A step is sustained with under 0.1 % failures and no backlog (REGISTERs: ≥ 90 % of the "
                        + "offered rate completed; calls: all completed, SIPp done within 2 s of the last hold). ")
                .append("**The machine is shared** (2 cores; other builds and tests may run beside the bench): "
                        + "load average (1/5/15 min) ").append(before)
                .append(" at the start, ").append(middle).append(" between the two set-ups, ").append(after)
                .append(" at the end. SIPp, the edge, both nodes and Redis all share those cores, so the edge set-up "
                        + "does more work on the same CPUs than the straight one: read the figures as relative and "
                        + "noisy, not as capacity.\n\n");
        for (Outcome o : outcomes) {
            md.append("### ").append(o.name()).append("\n\n").append(o.setup()).append("\n\n");
            md.append("| offered REGISTER/s | calls | ok | failed | retransmissions | wall s | completed /s "
                    + "| sustained |\n")
                    .append("|---:|---:|---:|---:|---:|---:|---:|:---:|\n");
            for (SippRegisterLoad.Step s : o.registers()) {
                md.append(String.format(Locale.ROOT, "| %,d | %,d | %,d | %,d | %,d | %.1f | %,.0f | %s |%n",
                        s.targetRate(), s.calls(), s.successful(), s.failed(), s.retransmissions(), s.seconds(),
                        s.achievedRate(), s.sustained() ? "yes" : "no"));
            }
            md.append("\n| offered calls/s | calls | ok | failed | retransmissions | wall s | sustained "
                    + "| INVITE→180 p50 ms | p99 ms |\n")
                    .append("|---:|---:|---:|---:|---:|---:|:---:|---:|---:|\n");
            for (SippCalls.Run r : o.calls()) {
                md.append(String.format(Locale.ROOT, "| %,d | %,d | %,d | %,d | %,d | %.1f | %s | %.0f | %.0f |%n",
                        r.rate(), r.calls(), r.successful(), r.failed(), r.retransmissions(), r.seconds(),
                        sustained(r, seconds) ? "yes" : "no", r.percentile(0.5), r.percentile(0.99)));
            }
            md.append('\n');
            if (o.registerTimeOuts() + o.callTimeOuts() > 0) {
                md.append(String.format(Locale.ROOT, "Live nodes taken out by the edge for a request unanswered "
                        + "past its failover timer: %,d under the REGISTER ramp, %,d under the call ramp.%n%n",
                        o.registerTimeOuts(), o.callTimeOuts()));
            }
        }
        md.append("### Summary\n\n| set-up | best sustained REGISTER/s | best sustained calls/s |\n|---|---:|---:|\n");
        for (Outcome o : outcomes) {
            double reg = o.registers().stream().filter(SippRegisterLoad.Step::sustained)
                    .mapToDouble(SippRegisterLoad.Step::achievedRate).max().orElse(0);
            int call = o.calls().stream().filter(r -> sustained(r, seconds)).mapToInt(SippCalls.Run::rate).max()
                    .orElse(0);
            md.append(String.format(Locale.ROOT, "| %s | %,.0f | %,d |%n", o.name(), reg, call));
        }
        return md.toString();
    }
}
