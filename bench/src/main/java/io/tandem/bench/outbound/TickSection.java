package io.tandem.bench.outbound;

import io.tandem.bench.BenchSection;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler's time per tick with 100 running campaigns, from the node's {@code tandem.campaigns.tick} timer: first
 * 100 progressive campaigns that want no call (no agent is available: each tick reads every campaign's figures and
 * pacing, and dials nothing), then 100 broadcast campaigns dialling the node's whole budget through one carrier.
 */
final class TickSection implements BenchSection {

    private static final Logger log = LoggerFactory.getLogger(TickSection.class);
    private static final int CAMPAIGNS = 100;
    private static final long POLL_MILLIS = 200;

    private final OutboundNode node;
    private final Path work;

    TickSection(OutboundNode node, Path work) {
        this.node = node;
        this.work = work;
    }

    @Override
    public String title() {
        return "Scheduler time per tick with 100 campaigns";
    }

    /** One phase: its tick times (ms), the INVITEs its carrier saw, its length. */
    private record Phase(String name, double[] ticks, int mergedPolls, long invites, double seconds, String load) {

        double percentile(double p) {
            if (ticks.length == 0) {
                return Double.NaN;
            }
            double[] sorted = ticks.clone();
            Arrays.sort(sorted);
            return sorted[Math.min(sorted.length - 1, Math.max(0, (int) Math.ceil(p * sorted.length) - 1))];
        }

        double max() {
            return Arrays.stream(ticks).max().orElse(Double.NaN);
        }

        double mean() {
            return Arrays.stream(ticks).average().orElse(Double.NaN);
        }
    }

    @Override
    public String run(boolean quick) throws Exception {
        String loadBefore = Contacts.loadAverage();
        int seconds = quick ? 12 : 30;
        List<Phase> phases = new ArrayList<>();
        try (Carrier carrier = Carrier.start(work.resolve("tick"), "t", 1, false)) {
            node.trunk("t", carrier.port(), 1, 0);
            try {
                phases.add(phase("idle", seconds, carrier, Contacts.progressive(), 10, 100));
                phases.add(phase("dialling", seconds, carrier, Contacts.broadcast(),
                        OutboundNode.BUDGET / CAMPAIGNS * (seconds + 5), 200));
            } finally {
                node.deleteTrunk("t");
            }
        }
        return render(quick, seconds, phases, loadBefore, Contacts.loadAverage());
    }

    private Phase phase(String name, int seconds, Carrier carrier, String body, int contacts, int series)
            throws Exception {
        String load = Contacts.loadAverage();
        List<String> ids = new ArrayList<>();
        try {
            for (int i = 0; i < CAMPAIGNS; i++) {
                String id = name + "-" + i;
                node.campaign(id, body, Contacts.csv(series + i, contacts));
                ids.add(id);
            }
            long invitesBefore = carrier.inviteMillis().length;
            for (String id : ids) {
                node.start(id);
            }
            // Every tick's time: the timer's count and total, polled well within a tick's period; a count that
            // went up by one gives that tick's time exactly.
            List<Double> ticks = new ArrayList<>();
            int merged = 0;
            long start = System.nanoTime();
            long end = start + seconds * 1_000_000_000L;
            double[] last = node.tickTimer();
            int skip = 2; // the first ticks after the starts meet cold caches and the start requests
            while (System.nanoTime() < end) {
                Thread.sleep(POLL_MILLIS); // the polling period: the timer is read, there is nothing to wait on
                double[] now = node.tickTimer();
                int count = (int) (now[0] - last[0]);
                if (count > 0) {
                    double each = (now[1] - last[1]) * 1000 / count;
                    if (count > 1) {
                        merged++;
                    }
                    for (int k = 0; k < count; k++) {
                        if (skip > 0) {
                            skip--;
                        } else {
                            ticks.add(each);
                        }
                    }
                }
                last = now;
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            for (String id : ids) {
                node.stop(id);
            }
            for (String id : ids) {
                node.awaitSettled(id, 60);
            }
            long invites = carrier.inviteMillis().length - invitesBefore;
            log.info("tick phase {}: {} ticks, {} INVITEs", name, ticks.size(), invites);
            return new Phase(name, ticks.stream().mapToDouble(Double::doubleValue).toArray(), merged, invites,
                    elapsed, load + " → " + Contacts.loadAverage());
        } finally {
            for (String id : ids) {
                try {
                    node.deleteCampaign(id);
                } catch (Exception e) {
                    log.warn("tick section: campaign {} not removed", id, e);
                }
            }
        }
    }

    private static String render(boolean quick, int seconds, List<Phase> phases, String loadBefore,
            String loadAfter) {
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "Load average (1/5/15 min) before this section: %s; after: %s.%n%n",
                loadBefore, loadAfter));
        md.append(String.format(Locale.ROOT, "One node, %d running campaigns of one tenant, %d s per phase (%s mode). "
                + "The node's timer `tandem.campaigns.tick` (the whole tick, its slices' times added up: listing the "
                + "running campaigns, each one's figures, pacing, claims, do-not-call and window checks, trunk "
                + "seizures and the INVITEs handed to the dialling thread) is read every %d ms from `/actuator/metrics`; a count that rose by one "
                + "gives that tick's time exactly (a rise by two is split evenly, counted in the last column). The first "
                + "two ticks of a phase are left out. *idle*: progressive campaigns whose queue has no available "
                + "agent, so every tick visits all %d and dials none. *dialling*: broadcast campaigns, %d calls a "
                + "tick shared by all %d (the node's budget), to one SIPp carrier with no CAPS that answers and "
                + "hangs up at once.%n%n", CAMPAIGNS, seconds, quick ? "quick" : "full", POLL_MILLIS, CAMPAIGNS,
                OutboundNode.BUDGET, CAMPAIGNS));
        md.append("| phase | ticks | p50 ms | p99 ms | max ms | mean ms | share of the 1 s period (p99) "
                + "| INVITEs at the carrier /s | load average before → after | polls holding two ticks |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|---|---:|\n");
        for (Phase p : phases) {
            md.append(String.format(Locale.ROOT, "| %s | %d | %.1f | %.1f | %.1f | %.1f | %.0f %% | %.1f | %s | %d |%n",
                    p.name(), p.ticks().length, p.percentile(0.5), p.percentile(0.99), p.max(), p.mean(),
                    p.percentile(0.99) / 10, p.invites() / p.seconds(), p.load(), p.mergedPolls()));
        }
        md.append("\nA tick longer than its 1 s period delays the next one (the loop runs at a fixed rate): the "
                + "node would then start fewer calls a second than its budget.\n");
        return md.toString();
    }
}
