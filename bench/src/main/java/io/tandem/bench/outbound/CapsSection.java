package io.tandem.bench.outbound;

import com.fasterxml.jackson.databind.JsonNode;
import io.tandem.bench.BenchSection;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.LongStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CAPS held at the carriers: three SIPp carriers behind trunks with CAPS 150, 100 and 50 (300 calls/s together), one
 * broadcast campaign with more contacts than the run can dial, and the node's scheduler offering
 * {@value OutboundNode#BUDGET} calls a tick. Counted at each carrier from the INVITE times it logged.
 */
final class CapsSection implements BenchSection {

    private static final Logger log = LoggerFactory.getLogger(CapsSection.class);
    private static final String[] TRUNKS = {"a", "b", "c"};
    private static final int[] CAPS = {150, 100, 50};
    private static final String CAMPAIGN = "caps";

    private final OutboundNode node;
    private final Path work;

    CapsSection(OutboundNode node, Path work) {
        this.node = node;
        this.work = work;
    }

    @Override
    public String title() {
        return "CAPS held per trunk at 300 calls/s offered (three SIPp carriers, one node)";
    }

    /** One carrier's figures. */
    private record TrunkRun(String trunk, int caps, long invites, int mostSliding, int mostClock, double mean,
            long answered, long failed, long seizures, int mostSeized) {
    }

    @Override
    public String run(boolean quick) throws Exception {
        String loadBefore = Contacts.loadAverage();
        int seconds = quick ? 8 : 30;
        List<Carrier> carriers = new ArrayList<>();
        List<TrunkRun> trunks = new ArrayList<>();
        long[] all;
        JsonNode figures;
        boolean settled;
        long startedAt;
        long stoppedAt;
        try {
            for (int i = 0; i < TRUNKS.length; i++) {
                Carrier carrier = Carrier.start(work.resolve("caps"), TRUNKS[i], 1, false);
                carriers.add(carrier);
                node.trunk(TRUNKS[i], carrier.port(), i + 1, CAPS[i]);
            }
            node.campaign(CAMPAIGN, Contacts.broadcast(), Contacts.csv(1, OutboundNode.BUDGET * (seconds + 5)));
            startedAt = System.currentTimeMillis();
            node.start(CAMPAIGN);
            Thread.sleep(seconds * 1000L); // the length of the run: the scheduler dials meanwhile
            node.stop(CAMPAIGN);
            stoppedAt = System.currentTimeMillis();
            settled = node.awaitSettled(CAMPAIGN, 60);
            Thread.sleep(2000); // SIPp writes its statistics once a second: let the last calls' row be written
            figures = node.figures(CAMPAIGN);
            Map<String, long[]> seized = node.seizures(CAMPAIGN);
            List<long[]> times = new ArrayList<>();
            for (int i = 0; i < carriers.size(); i++) {
                long[] t = carriers.get(i).inviteMillis();
                times.add(t);
                long[] stats = carriers.get(i).stats();
                TreeMap<Long, Integer> perSecond = InviteCounts.perClockSecond(t);
                trunks.add(new TrunkRun(TRUNKS[i], CAPS[i], t.length, InviteCounts.mostInAnySlidingSecond(t),
                        InviteCounts.mostInAClockSecond(t), meanOverInnerSeconds(perSecond), stats[0], stats[1],
                        seized.getOrDefault(TRUNKS[i], new long[0]).length,
                        InviteCounts.mostInAnySlidingSecond(seized.getOrDefault(TRUNKS[i], new long[0]))));
            }
            all = times.stream().flatMapToLong(LongStream::of).sorted().toArray();
        } finally {
            cleanUp(carriers);
        }
        for (TrunkRun t : trunks) {
            log.info("trunk {} (CAPS {}): {} INVITEs, most {} in any 1000 ms", t.trunk(), t.caps(), t.invites(),
                    t.mostSliding());
        }
        return render(quick, seconds, trunks, all, figures, settled, stoppedAt - startedAt, loadBefore,
                Contacts.loadAverage());
    }

    private void cleanUp(List<Carrier> carriers) {
        try {
            node.deleteCampaign(CAMPAIGN);
            for (String trunk : TRUNKS) {
                node.deleteTrunk(trunk);
            }
        } catch (Exception e) {
            log.warn("CAPS section: could not remove its campaign and trunks; the next sections may hunt them", e);
        }
        carriers.forEach(Carrier::close);
    }

    /** INVITEs per second over the whole clock seconds between the first and the last INVITE. */
    private static double meanOverInnerSeconds(TreeMap<Long, Integer> perSecond) {
        Map<Long, Integer> inner = InviteCounts.innerSeconds(perSecond);
        if (inner.isEmpty()) {
            return 0;
        }
        long span = perSecond.lastKey() - perSecond.firstKey() - 1;
        return inner.values().stream().mapToInt(Integer::intValue).sum() / (double) span;
    }

    private static String render(boolean quick, int seconds, List<TrunkRun> trunks, long[] all, JsonNode figures,
            boolean settled, long runMillis, String loadBefore, String loadAfter) {
        TreeMap<Long, Integer> perSecond = InviteCounts.perClockSecond(all);
        Map<Long, Integer> inner = InviteCounts.innerSeconds(perSecond);
        long span = perSecond.isEmpty() ? 0 : perSecond.lastKey() - perSecond.firstKey() - 1;
        int[] innerCounts = new int[(int) Math.max(0, span)];
        inner.forEach((second, count) -> innerCounts[(int) (second - perSecond.firstKey() - 1)] = count);
        int[] sorted = innerCounts.clone();
        Arrays.sort(sorted);
        double mean = Arrays.stream(innerCounts).average().orElse(0);
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "Load average (1/5/15 min) before this section: %s; after: %s.%n%n",
                loadBefore, loadAfter));
        md.append(String.format(Locale.ROOT, "Three SIPp UAS processes on loopback stand for three carriers "
                + "(`bench/src/main/resources/outbound/carrier-uas.xml`: log the INVITE's wall-clock time, 200 with "
                + "SDP, BYE at once after the ACK). Trunks a, b, c point at them with CAPS 150, 100 and 50 and "
                + "priorities 1, 2, 3 (hunted in that order); no channel limit. One broadcast campaign of %,d "
                + "contacts runs %d s (%s mode) on one node whose scheduler may start %d calls a tick "
                + "(`tandem.campaigns.budget`), so 300 calls/s are offered against 300 calls/s of CAPS. Counted at "
                + "the carriers, from the INVITE times each logged: the most INVITEs in any 1000 ms (a window slid "
                + "over every arrival, as `trunk/seize.lua` counts) and in any whole clock second. Beside them, the "
                + "node's own count: the `seizedAt` (Redis time) of every attempt in the campaign's attempt stream, "
                + "the instant `seize.lua` counted against the CAPS; the carrier's count differs from it by the "
                + "jitter between seizing and the INVITE's arrival (SIP stack, loopback, SIPp's loop).%n%n",
                OutboundNode.BUDGET * (seconds + 5), seconds, quick ? "quick" : "full", OutboundNode.BUDGET));
        md.append("| trunk | CAPS | INVITEs at the carrier | most in any 1000 ms (carrier) | most in a clock second "
                + "(carrier) | mean /s (inner seconds) | CAPS held at the carrier | seizures (node) "
                + "| most seizures in any 1000 ms (node) | calls ended well (carrier) | failed (carrier) |\n"
                + "|---|---:|---:|---:|---:|---:|:---:|---:|---:|---:|---:|\n");
        boolean held = true;
        for (TrunkRun t : trunks) {
            boolean ok = t.mostSliding() <= t.caps();
            held &= ok;
            md.append(String.format(Locale.ROOT, "| %s | %d | %,d | %d | %d | %.1f | %s | %,d | %d | %,d | %,d |%n",
                    t.trunk(), t.caps(), t.invites(), t.mostSliding(), t.mostClock(), t.mean(),
                    ok ? "yes" : "**no**", t.seizures(), t.mostSeized(), t.answered(), t.failed()));
        }
        md.append(String.format(Locale.ROOT, "%nAll carriers together: %,d INVITEs in %.1f s of campaign; "
                + "**%.1f calls/s** over the %d whole seconds between the first and the last INVITE (per second: "
                + "min %d, median %d, max %d; 300 offered).%n%n", all.length, runMillis / 1000.0, mean, span,
                sorted.length == 0 ? 0 : sorted[0], sorted.length == 0 ? 0 : sorted[sorted.length / 2],
                sorted.length == 0 ? 0 : sorted[sorted.length - 1]));
        md.append(String.format(Locale.ROOT, "The campaign's figures (`GET …/campaigns/caps/figures`): %,d attempts, "
                + "outcomes %s, %d still in flight%s.%n%n", figures.path("attempts").asLong(),
                figures.path("outcomes"), figures.path("inFlight").asLong(),
                settled ? "" : " (**not settled 60 s after the stop**)"));
        boolean heldAtNode = trunks.stream().allMatch(t -> t.mostSeized() <= t.caps());
        md.append(heldAtNode ? "At the node: no trunk was seized more often in any 1000 ms than its CAPS. "
                : "**At the node: a trunk was seized more often in some 1000 ms than its CAPS.** ");
        md.append(held ? "At the carriers: no carrier saw more INVITEs in any 1000 ms than its trunk's CAPS.\n"
                : "At the carriers: **a carrier saw more INVITEs in some 1000 ms than its trunk's CAPS** (see the "
                        + "table: by how many, and whether the node's own count was within the CAPS).\n");
        if (heldAtNode && !held) {
            md.append("\n`seize.lua` limits the seizures, which the node kept within every CAPS; the excess at a "
                    + "carrier is INVITEs that left the node later than their seizure (the SIP stack and the "
                    + "scheduler's thread share the loaded cores) and arrived bunched with the next second's.\n");
        }
        return md.toString();
    }
}
