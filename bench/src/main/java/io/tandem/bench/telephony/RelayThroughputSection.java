package io.tandem.bench.telephony;

import io.tandem.bench.BenchSection;
import io.tandem.telephony.relay.RtpRelay;
import io.tandem.telephony.relay.RtpRelayEngine;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Packets per second one relay thread forwards on loopback: a child JVM on core 1 floods
 * G.711-sized RTP into the A legs of a few relays as fast as it can; the relay's selector
 * thread, pinned to core 0, forwards them out of the B legs. The figure is what the relay
 * counted as forwarded during the middle of the run (warm-up and tail excluded).
 */
public final class RelayThroughputSection implements BenchSection {
    /** Issue 21: past rtpengine's userspace figure (about 300,000) by a factor of two. */
    static final double GOAL_PPS = 600_000;
    private static final int RELAYS = 8;

    @Override
    public String title() {
        return "RTP relay throughput (packets/s, one relay thread)";
    }

    @Override
    public String run(boolean quick) throws Exception {
        double seconds = quick ? 5 : 12;
        double warmup = quick ? 1.5 : 3;
        double window = seconds - warmup - 1;
        try (RtpRelayEngine engine = new RtpRelayEngine(RelayBenchProcess.PORT_MIN, RelayBenchProcess.PORT_MAX)) {
            String relayPin = RelayBenchProcess.pinThread(engine.threadName(), 0);
            List<RtpRelay> relays = new ArrayList<>();
            RelayBenchProcess.growTo(engine, relays, RELAYS);
            long[] result;
            double pps;
            double cpuShare;
            double perCpuSecond;
            double kernelShare;
            String genPin;
            try (RelayBenchProcess.Generator gen = new RelayBenchProcess.Generator("flood", relays, seconds)) {
                genPin = gen.pinning;
                Thread.sleep((long) (warmup * 1000));
                long f0 = RelayBenchProcess.forwarded(relays);
                long c0 = RelayBenchProcess.threadCpuNanos(engine.threadName());
                long[] us0 = RelayBenchProcess.userSystemTicks(engine.threadName());
                long t0 = System.nanoTime();
                Thread.sleep((long) (window * 1000));
                long f1 = RelayBenchProcess.forwarded(relays);
                long c1 = RelayBenchProcess.threadCpuNanos(engine.threadName());
                long[] us1 = RelayBenchProcess.userSystemTicks(engine.threadName());
                kernelShare = us0 == null || us1 == null ? Double.NaN
                        : (us1[1] - us0[1]) / (double) Math.max(1, (us1[0] - us0[0]) + (us1[1] - us0[1]));
                long t1 = System.nanoTime();
                pps = (f1 - f0) / ((t1 - t0) / 1e9);
                cpuShare = c0 < 0 ? Double.NaN : (c1 - c0) / (double) (t1 - t0);
                perCpuSecond = c0 < 0 ? Double.NaN : (f1 - f0) / ((c1 - c0) / 1e9);
                result = gen.result();
            }
            double offered = result[0] / (result[5] / 1e9);
            StringBuilder md = new StringBuilder();
            md.append("| relays | payload | generator sent (pps) | relay forwarded (pps, wall clock) "
                    + "| relay thread CPU (share of a core) | of which kernel | forwarded per relay-thread CPU second |\n");
            md.append("|---:|---|---:|---:|---:|---:|---:|\n");
            md.append(String.format(Locale.ROOT,
                    "| %d | PCMU 160 B (172 B RTP) | %,.0f | %,.0f | %.0f %% | %.0f %% | **%,.0f** |%n",
                    RELAYS, offered, pps, 100 * cpuShare, 100 * kernelShare, perCpuSecond));
            md.append('\n').append(String.format(Locale.ROOT,
                    "Setup: %s; load generator: %s; 1-min load average at the end: %s on %d cores. "
                            + "Forwarded = received on a leg, payload type rewritten, sent on the other leg; the far-end "
                            + "sockets are not read in this run. The last column divides by the CPU time (user + "
                            + "kernel) the relay thread actually got, so it stays meaningful on a shared machine.%n%n",
                    relayPin, genPin, RelayBenchProcess.loadAverage(), Runtime.getRuntime().availableProcessors()));
            double figure = Double.isNaN(perCpuSecond) ? pps : perCpuSecond;
            md.append(String.format(Locale.ROOT,
                    "Goal ≥ %,.0f packets/s per core: %s (%,.0f per CPU second of the relay thread = %.0f %% of goal; "
                            + "wall-clock %,.0f pps).%n",
                    GOAL_PPS, figure >= GOAL_PPS ? "**met**" : "**not met**", figure, 100 * figure / GOAL_PPS, pps));
            return md.toString();
        }
    }
}
