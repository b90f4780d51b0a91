package io.tandem.bench.node;

import io.tandem.bench.BenchSection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Calls through one Tandem node (issue 3): the call setup rate a node sustains with SIPp as registered caller and
 * callee (digest, SDP, media ports allocated), INVITE→180 latency at 200/s, and concurrent anchored G.711 calls
 * with RTP both ways.
 */
public final class CallSection implements BenchSection {

    // Past the 2,000/s goal (issue 21) to 3,000/s: a node sustained 1,000/s where 1,000/s was the ramp's top.
    private static final int[] FULL_RATES = {100, 200, 300, 400, 500, 750, 1000, 1500, 2000, 2500, 3000};
    private static final int[] QUICK_RATES = {100, 200, 400};
    private static final int LATENCY_RATE = 200;
    private static final int[] FULL_CONCURRENT = {250, 500, 750, 1000, 1500, 2000};
    private static final int[] QUICK_CONCURRENT = {100};
    private static final long SHORT_HOLD_MILLIS = 1000;
    private static final long MEDIA_HOLD_MILLIS = 20_000;
    private static final int MEDIA_SETUP_RATE = 100;
    /**
     * Node RTP range: 4 ports a call (RTP, RTCP, both legs). 3,000 set-ups/s held 1 s keep 3,000–4,000 calls up at
     * once (16,000 ports); 2,000 concurrent media calls need 8,000.
     */
    private static final int RTP_FIRST = 40_000;
    private static final int RTP_LAST = 59_999;
    private static final int MISSES = 2;

    /** Warm-up rounds of the setup ramp: until the JIT settles, at most this many. */
    private static final int WARMUP_ROUNDS = 12;
    private static final int QUICK_WARMUP_ROUNDS = 3;
    private static final int WARMUP_RATE = 200;
    private static final int WARMUP_CALLS = 1000;
    /** The JIT has settled once its compiler threads spent under this share of a round's node CPU. */
    private static final double JIT_SETTLED = 0.05;

    private final Path nodeJar;
    private final Path baselineJar;
    private final String baselineLabel;

    public CallSection(Path nodeJar) {
        this(nodeJar, null, "");
    }

    /**
     * {@code baselineJar}: an older node jar whose setup ramp runs interleaved with this one's, step by step in the
     * same run (null: none), so a change's CPU per call is compared under the same load; {@code baselineLabel} says
     * what it is, e.g. a commit.
     */
    public CallSection(Path nodeJar, Path baselineJar, String baselineLabel) {
        this.nodeJar = nodeJar;
        this.baselineJar = baselineJar;
        this.baselineLabel = baselineLabel;
    }

    @Override
    public String title() {
        return "Calls through one node (SIPp UAC → node → SIPp UAS, digest, SDP)";
    }

    /**
     * A setup-rate step and the CPU the node and its Redis spent on it: per answered call, a figure that holds however
     * loaded the shared machine was (the peak rate does not).
     */
    private record SetupStep(SippCalls.Run run, long cpuTicks, long jitTicks) {

        double cpuMillisPerCall() {
            return run.successful() == 0 ? 0 : cpuTicks * 10.0 / run.successful();
        }

        /** Of {@link #cpuMillisPerCall()}, what the JIT compiler threads spent. */
        double jitMillisPerCall() {
            return run.successful() == 0 ? 0 : jitTicks * 10.0 / run.successful();
        }
    }

    /** A node in the setup ramp: its SIPp parties registered, its callee answering, how its warm-up went. */
    private static final class Subject implements AutoCloseable {
        final String label;
        final TandemRegistrar node;
        final SippCalls sipp;
        final int uacPort;
        final int uasPort;
        final ChildProcess uas;
        final List<SetupStep> ramp = new ArrayList<>();
        int warmupRounds;
        double warmupJitShare = 1;
        int misses;

        Subject(String label, TandemRegistrar node, Path work) throws IOException, InterruptedException {
            this.label = label;
            this.node = node;
            this.sipp = new SippCalls(work, node.sipPort());
            this.uacPort = LoopbackPorts.udpAndTcp();
            this.uasPort = LoopbackPorts.udpAndTcp();
            sipp.register(0, uacPort);
            sipp.register(1, uasPort);
            this.uas = sipp.startUas(uasPort, false);
            awaitBound(uasPort, uas);
        }

        /**
         * JIT warm-up, not reported: a node fresh from its start compiles for minutes under load (C2 took a third
         * of the node's CPU over the first 2,000 calls), which a ramp's first steps would count as its calls'
         * cost. A gentle round, then rounds at {@value #WARMUP_RATE}/s until the compiler threads' share of a
         * round's CPU falls under {@value #JIT_SETTLED}.
         */
        void warmUp(String callee, int maxRounds) throws IOException, InterruptedException {
            sipp.call("warmup", uacPort, 50, 500, SHORT_HOLD_MILLIS, false, callee);
            while (warmupRounds < maxRounds && warmupJitShare >= JIT_SETTLED) {
                awaitIdle(node);
                long cpu = node.cpuTicks();
                long jit = node.jitTicks();
                sipp.call("warmup", uacPort, WARMUP_RATE, WARMUP_CALLS, SHORT_HOLD_MILLIS, false, callee);
                warmupRounds++;
                warmupJitShare = (node.jitTicks() - jit) / (double) Math.max(1, node.cpuTicks() - cpu);
                System.out.printf(Locale.ROOT, "%s warm-up round %d: JIT %.0f %% of the node's CPU%n", label,
                        warmupRounds, 100 * warmupJitShare);
            }
        }

        void step(int rate, int seconds) throws IOException, InterruptedException {
            awaitIdle(node);
            long cpuBefore = node.cpuTicks();
            long jitBefore = node.jitTicks();
            SippCalls.Run run = sipp.call("setup", uacPort, rate, (long) rate * seconds, SHORT_HOLD_MILLIS, false,
                    BenchUsers.extension(1));
            ramp.add(new SetupStep(run, node.cpuTicks() - cpuBefore, node.jitTicks() - jitBefore));
            System.out.printf(Locale.ROOT, "%s calls %d/s: %d ok, %d failed, %.1f s, 180 p50 %.0f ms, %.2f CPU ms"
                    + " per call%n", label, rate, run.successful(), run.failed(), run.seconds(), run.percentile(0.5),
                    ramp.get(ramp.size() - 1).cpuMillisPerCall());
            misses = sustained(run, seconds) ? 0 : misses + 1;
        }

        @Override
        public void close() {
            uas.close();
        }
    }

    /** A media step: how many calls were up at once, and what the relay's sockets dropped. */
    private record MediaStep(int target, SippCalls.Run run, int maxSockets, long drops, long[] udp, long cpuTicks) {

        /** CPU the node and its Redis spent per second of one call (setup, relaying, teardown), in ms. */
        double cpuMillisPerCallSecond() {
            double callSeconds = run.successful() * (MEDIA_HOLD_MILLIS / 1000.0);
            return callSeconds == 0 ? 0 : cpuTicks * 10.0 / callSeconds;
        }

        /** Calls one core of the node's machine holds at that cost. */
        double callsPerCore() {
            double ms = cpuMillisPerCallSecond();
            return ms == 0 ? 0 : 1000 / ms;
        }

        /** RTP packets the calls sent towards the node: 50/s (20 ms ptime) each way per answered call. */
        long expectedPackets() {
            return run.successful() * 2 * 50 * (MEDIA_HOLD_MILLIS / 1000);
        }

        double lossPercent() {
            return expectedPackets() == 0 ? 100 : 100.0 * drops / expectedPackets();
        }

        /**
         * Packets the node sent on towards SIPp: every datagram that reached a socket on the host (delivered or
         * dropped for a full buffer; SIPp's rtp_stream never reads its RTP socket) less what the node was sent.
         * Other processes' traffic makes it an upper bound.
         */
        long forwarded() {
            return udp[0] + udp[1] - (expectedPackets() - drops);
        }

        double forwardLossPercent() {
            return expectedPackets() == 0 ? 100 : Math.max(0, 100.0 * (expectedPackets() - forwarded())
                    / expectedPackets());
        }

        boolean carried() {
            return run.failed() == 0 && run.successful() == target && lossPercent() < 0.5 && forwardLossPercent() < 0.5;
        }
    }

    @Override
    public String run(boolean quick) throws Exception {
        Path work = Files.createTempDirectory("tandem-bench-calls-");
        String load = loadAverage();
        List<MediaStep> media = new ArrayList<>();
        int seconds = quick ? 2 : 5;
        Subject current;
        Subject baseline = null;
        String callee = BenchUsers.extension(1);
        try (TandemRegistrar node = TandemRegistrar.start("Tandem node", work.resolve("tandem"), nodeJar,
                new BenchUsers(2), List.of("--tandem.sip.rtp-port-min=" + RTP_FIRST,
                        "--tandem.sip.rtp-port-max=" + RTP_LAST))) {
            current = new Subject("current", node, work.resolve("sipp"));
            try (TandemRegistrar old = baselineJar == null ? null : TandemRegistrar.start("Tandem node, baseline",
                    work.resolve("baseline"), baselineJar, new BenchUsers(2), List.of(
                            "--tandem.sip.rtp-port-min=" + RTP_FIRST, "--tandem.sip.rtp-port-max=" + RTP_LAST))) {
                List<Subject> subjects = new ArrayList<>(List.of(current));
                if (old != null) {
                    baseline = new Subject("baseline " + baselineLabel, old, work.resolve("sipp-baseline"));
                    subjects.add(baseline);
                }
                try {
                    for (Subject subject : subjects) {
                        subject.warmUp(callee, quick ? QUICK_WARMUP_ROUNDS : WARMUP_ROUNDS);
                    }
                    // Step by step, each node in turn: the baseline and the change see the same load.
                    for (int rate : quick ? QUICK_RATES : FULL_RATES) {
                        List<Subject> running = subjects.stream().filter(sub -> sub.misses < MISSES).toList();
                        if (running.isEmpty()) {
                            break;
                        }
                        for (Subject subject : running) {
                            subject.step(rate, seconds);
                        }
                    }
                } finally {
                    for (Subject subject : subjects) {
                        subject.close();
                    }
                }
            }
            SippCalls sipp = current.sipp;
            int uacPort = current.uacPort;
            int uasPort = current.uasPort; // the callee's binding: the media UAS answers where the first did
            try (ChildProcess uas = sipp.startUas(uasPort, true)) {
                awaitBound(uasPort, uas);
                for (int n : quick ? QUICK_CONCURRENT : FULL_CONCURRENT) {
                    awaitIdle(node);
                    SippCalls.Run run;
                    try (RelaySocketDrops drops = new RelaySocketDrops(RTP_FIRST, RTP_LAST)) {
                        long cpuBefore = node.cpuTicks();
                        run = sipp.call("media", uacPort, MEDIA_SETUP_RATE, n, MEDIA_HOLD_MILLIS, true, callee);
                        long cpu = node.cpuTicks() - cpuBefore;
                        drops.close();
                        media.add(new MediaStep(n, run, drops.maxSockets(), drops.drops(), drops.udpDelta(), cpu));
                    }
                    MediaStep step = media.get(media.size() - 1);
                    System.out.printf(Locale.ROOT, "media %d calls: %d ok, %d failed, %d relay sockets, %d drops%n",
                            n, run.successful(), run.failed(), step.maxSockets(), step.drops());
                    if (!step.carried()) {
                        break;
                    }
                }
            }
        }
        System.out.println("work files in " + work);
        return render(current, baseline, media, seconds, load, loadAverage());
    }

    /** Under 0.1 % failures, every call completed, and no backlog: SIPp ended within 2 s of its last call's BYE. */
    private static boolean sustained(SippCalls.Run run, int seconds) {
        return run.failed() * 1000 < run.calls() && run.successful() == (long) run.rate() * seconds
                && run.seconds() <= seconds + SHORT_HOLD_MILLIS / 1000.0 + 2;
    }

    /** SIPp's UAS is up once its port is bound (an OPTIONS would count as a failed call of its scenario). */
    public static void awaitBound(int port, ChildProcess uas) throws IOException, InterruptedException {
        String local = String.format(Locale.ROOT, "0100007F:%04X ", port);
        for (int i = 0; i < 100; i++) {
            if (!uas.isAlive()) {
                throw new IOException("SIPp UAS exited:\n" + uas.tail(20));
            }
            if (Files.readString(Path.of("/proc/net/udp")).contains(local)) {
                return;
            }
            Thread.sleep(100); // polling a process start: there is nothing to wait on
        }
        throw new IOException("SIPp UAS did not bind port " + port);
    }

    private static void awaitIdle(TandemRegistrar node) throws IOException {
        for (int i = 0; i < 60 && !SipProbe.answers(node.sipPort()); i++) {
            System.out.println("node still busy");
        }
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " / " + f[1] + " / " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String baselineLabelOf(Subject subject) {
        return subject.label.substring("baseline ".length()).strip();
    }

    private static void renderRamp(StringBuilder md, Subject subject, int seconds) {
        md.append(String.format(Locale.ROOT, "Warm-up: %d round(s); JIT %.0f %% of the node's CPU in the last.%n%n",
                subject.warmupRounds, 100 * subject.warmupJitShare));
        md.append("| offered calls/s | calls | ok | failed | retransmissions | wall s | sustained "
                + "| INVITE→180 p50 ms | p99 ms | node CPU ms per call | of which JIT ms |\n"
                + "|---:|---:|---:|---:|---:|---:|:---:|---:|---:|---:|---:|\n");
        for (SetupStep step : subject.ramp) {
            SippCalls.Run r = step.run();
            md.append(String.format(Locale.ROOT,
                    "| %,d | %,d | %,d | %,d | %,d | %.1f | %s | %.0f | %.0f | %.2f | %.2f |%n",
                    r.rate(), r.calls(), r.successful(), r.failed(), r.retransmissions(), r.seconds(),
                    sustained(r, seconds) ? "yes" : "no", r.percentile(0.5), r.percentile(0.99),
                    step.cpuMillisPerCall(), step.jitMillisPerCall()));
        }
        int best = subject.ramp.stream().map(SetupStep::run).filter(r -> sustained(r, seconds))
                .mapToInt(SippCalls.Run::rate).max().orElse(0);
        SippCalls.Run at200 = subject.ramp.stream().map(SetupStep::run).filter(r -> r.rate() == LATENCY_RATE)
                .findFirst().orElse(null);
        md.append(String.format(Locale.ROOT, "%nBest sustained: **%,d calls/s** (goal ≥ 2,000/s, issue 21: %s).",
                best, best >= 2000 ? "met" : "not met"));
        if (at200 != null) {
            double p99 = at200.percentile(0.99);
            md.append(String.format(Locale.ROOT, " INVITE→180 at %d/s: **p50 %.0f ms, p99 %.0f ms** (%,d samples; "
                    + "goal p99 < 10 ms: %s).", LATENCY_RATE, at200.percentile(0.5), p99,
                    at200.ringingMillis().length, p99 < 10 ? "met" : "not met"));
        }
        md.append("\n\n");
    }

    private static String render(Subject current, Subject baseline, List<MediaStep> media, int seconds,
            String loadBefore, String loadAfter) {
        StringBuilder md = new StringBuilder();
        md.append("Section `--suite calls`. One Tandem node (`backend/target/tandem-node.jar`, own JVM, -Xmx2g, ")
                .append("redis-server on loopback). SIPp registers user A (caller) and user B (callee) with digest ")
                .append("from the ports they then call from and answer on; `call-uac.xml` (bench/src/main/resources/")
                .append("node) sends INVITE with SDP (PCMU), is challenged (407), ACKs, sends INVITE with digest, gets ")
                .append("180 and 200, ACKs, holds, sends BYE; `call-uas.xml` answers 180, 200 with SDP, waits for BYE. ")
                .append("The node anchors media: it allocates relay ports for both legs of every call. Load average ")
                .append("(1/5/15 min) at the start of this section: ").append(loadBefore).append("; at its end: ")
                .append(loadAfter).append(". Other builds shared the 2 cores during the run, so figures are low ")
                .append("and noisy.\n\n");
        md.append("### Call setup rate\n\nOne SIPp UAC process per step of a fixed-rate ramp, ").append(seconds)
                .append(" s of calls per step, each call held ").append(SHORT_HOLD_MILLIS / 1000)
                .append(" s, no RTP. A step is *sustained* when under 0.1 % of ")
                .append("its calls failed, all completed and SIPp finished within 2 s of the last call's hold ")
                .append("(no backlog). INVITE→180 is SIPp's response time `ringing` (`start_rtd` on sending the ")
                .append("authenticated INVITE, `rtd` on receiving the first 180, one sample per call via ")
                .append("`-trace_rtt`), so it covers digest check, lookup of B's binding, media port allocation, ")
                .append("the INVITE to B and B's 180 relayed back. A call whose 180 arrived after its 200 (or not at all) has no ")
                .append("sample. Node CPU per call is the node's and its Redis's CPU time over the step (from /proc) ")
                .append("divided by the calls answered: what a call costs, whatever else shared the cores.\n\n");
        md.append(String.format(Locale.ROOT, "Before the ramp each node warms up (not reported): 500 calls at "
                + "50/s, then rounds of %,d calls at %d/s until its JIT compiler threads spent under %.0f %% of a "
                + "round's CPU (at most %d rounds, %d in a quick run): a node fresh from its start compiles for minutes, and a ramp "
                + "that begins before it settles counts the compiling as its first steps' cost. *JIT ms* is the part "
                + "of a step's CPU per call its compiler threads spent (from /proc).", WARMUP_CALLS, WARMUP_RATE,
                100 * JIT_SETTLED, WARMUP_ROUNDS, QUICK_WARMUP_ROUNDS));
        if (baseline != null) {
            md.append(" The baseline node ran its steps interleaved with the current one's, each step right after "
                    + "the current node's at the same rate, under the same load.");
        }
        md.append("\n\n");
        for (Subject subject : baseline == null ? List.of(current) : List.of(current, baseline)) {
            if (baseline != null) {
                md.append("#### ").append(subject == current ? "Current build" : "Baseline " + baselineLabelOf(subject))
                        .append("\n\n");
            }
            renderRamp(md, subject, seconds);
        }
        md.append("### Concurrent anchored G.711 calls, RTP both ways\n\nSIPp UAC and UAS both stream G.711 ")
                .append("u-law (`<exec rtp_stream=\"audio.pcmu,-1,0\"/>`, 20 ms packets, 50/s each way) from the ")
                .append("ACK to the BYE; N calls set up at ").append(MEDIA_SETUP_RATE).append("/s, each held ")
                .append(MEDIA_HOLD_MILLIS / 1000).append(" s, so all N are up together for the last ")
                .append("seconds. The node relays on one engine per core (`tandem.sip.rtp-relay-threads`). ")
                .append("Loss is measured in the kernel, outside the node: the `drops` column of `/proc/net/udp6` for the node's (dual-stack) relay ")
                .append("ports (").append(RTP_FIRST).append("–").append(RTP_LAST).append("), sampled every 0.5 s, ")
                .append("highest count per socket: datagrams that reached the relay's socket but were dropped ")
                .append("because the relay did not read them in time. Loss = drops / packets the calls sent to the ")
                .append("node (answered calls × 2 directions × 50/s × hold). Drops inside the relay after the read, ")
                .append("or at SIPp's receiving sockets, are not counted; the last two columns show the RTP did flow: ")
                .append("UDP datagrams delivered on this host during the step (`/proc/net/snmp` `InDatagrams`, every ")
                .append("process, so about twice the packets sent to the node: node in, SIPp in) and receive-buffer ")
                .append("overflows anywhere on the host (`RcvbufErrors`: SIPp's rtp_stream never reads its RTP socket, so what the ")
                .append("node relays to SIPp overflows there). Their sum less the packets the node received is what ")
                .append("the node forwarded; *forward loss* = 1 − forwarded / packets sent to the node (a lower bound: ")
                .append("other processes' datagrams count as forwarded). A step is *carried* with no failed call and ")
                .append("both losses under 0.5 %. The node's CPU (node and Redis processes, from /proc) over the step, ")
                .append("divided by the call-seconds carried, gives its cost per call, and from it the calls one ")
                .append("core holds — a figure that does not depend on what else shares the machine's cores.\n\n");
        md.append("| calls N | ok | failed | most relay sockets open | packets sent to node | dropped at relay "
                + "| loss at relay % | host UDP datagrams in | host receive-buffer overflows | forwarded by node "
                + "| forward loss % | carried | node CPU ms per call-second | calls per node core |\n"
                + "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---:|---:|---:|\n");
        for (MediaStep m : media) {
            md.append(String.format(Locale.ROOT,
                    "| %,d | %,d | %,d | %,d | %,d | %,d | %.3f | %,d | %,d | %,d | %.3f | %s | %.2f | %,.0f |%n",
                    m.target(),
                    m.run().successful(), m.run().failed(), m.maxSockets(), m.expectedPackets(), m.drops(),
                    m.lossPercent(), m.udp()[0], m.udp()[1], m.forwarded(), m.forwardLossPercent(),
                    m.carried() ? "yes" : "no", m.cpuMillisPerCallSecond(), m.callsPerCore()));
        }
        int carried = media.stream().filter(MediaStep::carried).mapToInt(MediaStep::target).max().orElse(0);
        md.append(String.format(Locale.ROOT, "%nLargest N carried with no failed call and < 0.5 %% loss: **%,d** "
                + "(goal ≥ 2,000, issue 21: %s).%n", carried, carried >= 2000 ? "met" : "not met"));
        return md.toString();
    }
}
