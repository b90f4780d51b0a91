package io.tandem.bench.telephony;

import io.tandem.bench.BenchSection;
import io.tandem.telephony.relay.RtpRelay;
import io.tandem.telephony.relay.RtpRelayEngine;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Concurrent G.711 calls one relay thread (pinned to core 0) carries with less than 0.1 %
 * loss. Each call is a relay whose two legs each receive 50 packets/s and send 50 on, so
 * 200 packets/s cross the relay per call. The load generator on core 1 plays both phones
 * of every call and counts what reaches the far end; N steps up until loss passes the
 * limit.
 */
public final class RelayCapacitySection implements BenchSection {
    static final int GOAL_CALLS = 750;
    static final double LOSS_LIMIT = 0.001;
    /** Share of the nominal 200 packets/s per call the generator must reach for a step to count. */
    static final double MIN_PACE = 0.95;

    @Override
    public String title() {
        return "RTP relay capacity (concurrent G.711 calls per core)";
    }

    @Override
    public String run(boolean quick) throws Exception {
        int[] steps = quick ? new int[]{250, 500, 750, 1000, 1500}
                : new int[]{250, 500, 750, 1000, 1250, 1500, 2000, 2500};
        double seconds = quick ? 4 : 10;
        StringBuilder md = new StringBuilder();
        md.append("| calls | packets/s through relay | generator pace | sent | received at far ends | loss "
                + "| generator send failures | relay thread CPU (share of a core) | verdict |\n");
        md.append("|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        double bestCpuPerCall = Double.NaN;
        int best = 0;
        String relayPin;
        String genPin = "";
        try (RtpRelayEngine engine = new RtpRelayEngine(RelayBenchProcess.PORT_MIN, RelayBenchProcess.PORT_MAX)) {
            relayPin = RelayBenchProcess.pinThread(engine.threadName(), 0);
            List<RtpRelay> relays = new ArrayList<>();
            int failuresInARow = 0;
            for (int n : steps) {
                RelayBenchProcess.growTo(engine, relays, n);
                long[] r;
                long c0 = RelayBenchProcess.threadCpuNanos(engine.threadName());
                long f0 = RelayBenchProcess.forwarded(relays);
                try (RelayBenchProcess.Generator gen = new RelayBenchProcess.Generator("paced", relays, seconds)) {
                    genPin = gen.pinning;
                    r = gen.result();
                }
                // the relay idles while the generator starts and drains, so its CPU time over the
                // sending time is its load while the calls ran
                long cpu = RelayBenchProcess.threadCpuNanos(engine.threadName()) - c0;
                long forwarded = RelayBenchProcess.forwarded(relays) - f0;
                double cpuShare = c0 < 0 ? Double.NaN : cpu / (double) r[5];
                long sent = r[0] + r[2];
                long received = r[1] + r[3];
                double loss = sent == 0 ? 1 : Math.max(0, 1 - (double) received / sent);
                double pps = 2.0 * sent / (r[5] / 1e9); // in and out of the relay
                // the generator shares a core with other work: a step only counts if it kept the 20 ms pace
                double pace = pps / (200.0 * n);
                boolean clean = loss < LOSS_LIMIT && r[4] == 0;
                String verdict = !clean ? "loss over limit" : pace < MIN_PACE ? "generator could not keep pace" : "pass";
                md.append(String.format(Locale.ROOT, "| %d | %,.0f | %.0f %% | %,d | %,d | %.3f %% | %,d | %.0f %% | %s |%n",
                        n, pps, 100 * pace, sent, received, 100 * loss, r[4], 100 * cpuShare, verdict));
                // relay CPU per call (100 packets/s forwarded) at the largest clean step, for the per-core estimate
                if (c0 >= 0 && forwarded > 0 && loss < LOSS_LIMIT) {
                    bestCpuPerCall = (cpu / 1e9 / forwarded) * 100;
                }
                if (clean && pace >= MIN_PACE) {
                    best = n;
                    failuresInARow = 0;
                } else if (++failuresInARow >= 2) {
                    break; // two steps over the limit: the knee is found
                }
            }
        }
        double estimate = Double.isNaN(bestCpuPerCall) ? Double.NaN : 1 / bestCpuPerCall;
        md.append('\n').append(String.format(Locale.ROOT,
                "Setup: %s; load generator: %s; %.0f s per step; 1-min load average at the end: %s on %d cores. "
                        + "The CPU column is the relay thread's user + kernel time over the step's wall time "
                        + "while the generator was sending. CPU time per forwarded packet at the largest clean step, "
                        + "times 100 forwarded packets/s per call, extrapolates to a per-core estimate that does not "
                        + "depend on how busy the shared machine is: **≈ %,.0f calls per core**.%n%n",
                relayPin, genPin, seconds, RelayBenchProcess.loadAverage(),
                Runtime.getRuntime().availableProcessors(), estimate));
        md.append(String.format(Locale.ROOT,
                "Largest N measured under %.1f %% loss at full pace: **%d calls**. Goal ≥ %d calls per core: %s by "
                        + "measurement, %s by the CPU estimate.%n",
                100 * LOSS_LIMIT, best, GOAL_CALLS, best >= GOAL_CALLS ? "**met**" : "**not met**",
                estimate >= GOAL_CALLS ? "met" : "not met"));
        return md.toString();
    }
}
