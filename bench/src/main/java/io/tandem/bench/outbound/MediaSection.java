package io.tandem.bench.outbound;

import com.fasterxml.jackson.databind.JsonNode;
import io.tandem.bench.BenchSection;
import io.tandem.bench.node.RelaySocketDrops;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Concurrent outbound calls with media on one node: a broadcast campaign of N contacts dialled at
 * {@value #SETUP_RATE}/s (the trunk's CAPS) to a SIPp carrier that answers, echoes all RTP back ({@code -rtp_echo})
 * and hangs up after a hold long enough for all N calls to be up together; N rises until a step loses more than
 * 0.5 % of its packets or a call fails.
 */
final class MediaSection implements BenchSection {

    private static final Logger log = LoggerFactory.getLogger(MediaSection.class);
    private static final int[] FULL_STEPS = {25, 50, 100, 200, 400, 600, 800, 1000};
    private static final int[] QUICK_STEPS = {50, 150};
    private static final int SETUP_RATE = 100;
    /** RTP packets a second each way of a G.711 call with 20 ms packets. */
    private static final int PACKETS_PER_SECOND = 50;
    /**
     * Packets a call may miss at its edges without a frame being skipped: the node's first packet leaves once it has
     * handled the 200 OK, which on a loaded machine is tens of ms after the carrier's hold began (100 ms allowed).
     */
    private static final int EDGE_PACKETS = 5;

    private final OutboundNode node;
    private final Path work;

    MediaSection(OutboundNode node, Path work) {
        this.node = node;
        this.work = work;
    }

    @Override
    public String title() {
        return "Concurrent outbound calls with media on one node (SIPp carrier echoing RTP)";
    }

    /** One step of the ramp. */
    private record Step(int target, int holdSeconds, long attempts, long answered, long carrierFailed, long mostUp,
            int mostSockets, long sentByNode, long echoed, long captureDrops, long nodeDrops, long carrierDrops,
            long cpuTicks, String load) {

        /** Packets the node should have sent: answered calls × 50/s × the hold. */
        long expected() {
            return answered * PACKETS_PER_SECOND * holdSeconds;
        }

        /** Packets the node did not send of those it should have (late frames skipped, a stream not started). */
        double sendShortfallPercent() {
            long due = expected() - answered * EDGE_PACKETS;
            return due <= 0 ? 100 : Math.max(0, 100.0 * (1 - (double) sentByNode / due));
        }

        /** The carrier's echoes that reached the node's sockets but were dropped there (not read in time). */
        double receiveLossPercent() {
            return echoed == 0 ? 100 : 100.0 * nodeDrops / echoed;
        }

        /** Loss on the node's side: what it did not send plus what it did not read. */
        double nodeLossPercent() {
            return sendShortfallPercent() + receiveLossPercent();
        }

        /** The node's packets the carrier did not echo (the load generator's limit, not the node's). */
        double carrierLossPercent() {
            return sentByNode == 0 ? 100 : Math.max(0, 100.0 * (1 - (double) echoed / sentByNode));
        }

        double cpuMillisPerCallSecond() {
            double callSeconds = (double) answered * holdSeconds;
            return callSeconds == 0 ? 0 : cpuTicks * 10.0 / callSeconds;
        }

        boolean carried() {
            return attempts == target && answered == target && carrierFailed == 0 && captureDrops == 0
                    && nodeLossPercent() < 0.5;
        }
    }

    @Override
    public String run(boolean quick) throws Exception {
        String loadBefore = Contacts.loadAverage();
        int plateau = quick ? 6 : 12;
        List<Step> steps = new ArrayList<>();
        int series = 500;
        for (int n : quick ? QUICK_STEPS : FULL_STEPS) {
            Step step = step(n, n / SETUP_RATE + plateau, series++);
            steps.add(step);
            log.info("media {} calls: {} answered, {} carrier failures, {} up at once, node sent {} of {}, echoed {}, "
                    + "node drops {}", n, step.answered(), step.carrierFailed(), step.mostUp(), step.sentByNode(),
                    step.expected(), step.echoed(), step.nodeDrops());
            if (!step.carried()) {
                break;
            }
        }
        return render(quick, plateau, steps, loadBefore, Contacts.loadAverage());
    }

    private Step step(int n, int holdSeconds, int series) throws Exception {
        String load = Contacts.loadAverage();
        String campaign = "media-" + n;
        try (Carrier carrier = Carrier.start(work.resolve("media-" + n), "m" + n, holdSeconds * 1000L, true)) {
            node.trunk("m", carrier.port(), 1, SETUP_RATE);
            try {
                node.campaign(campaign, Contacts.broadcast(), Contacts.csv(series, n));
                JsonNode figures;
                long cpuBefore = cpuTicks(node.pid());
                long cpu;
                Path dir = work.resolve("media-" + n);
                try (PacketCount toCarrier = PacketCount.start(dir, "to-carrier",
                        "udp dst port " + carrier.mediaPort());
                     PacketCount fromCarrier = PacketCount.start(dir, "from-carrier",
                        "udp src port " + carrier.mediaPort());
                     RelaySocketDrops drops = new RelaySocketDrops(node.rtpRange()[0], node.rtpRange()[1])) {
                    node.start(campaign);
                    // A broadcast attempt is settled as answered at the answer: the calls end when the carrier
                    // hangs up, which its statistics (one row a second) count.
                    long deadline = System.nanoTime() + (n / SETUP_RATE + holdSeconds + 90) * 1_000_000_000L;
                    boolean over;
                    do {
                        Thread.sleep(1000); // polling the figures and the carrier's statistics: nothing to wait on
                        figures = node.figures(campaign);
                        long[] ended = carrier.stats();
                        over = figures.path("attempts").asLong() >= n && figures.path("inFlight").asLong() == 0
                                && ended[0] + ended[1] >= figures.path("outcomes").path("answered").asLong();
                    } while (System.nanoTime() < deadline && !over);
                    cpu = cpuTicks(node.pid()) - cpuBefore;
                    drops.close();
                    toCarrier.close();
                    fromCarrier.close();
                    Thread.sleep(2000); // SIPp writes its statistics once a second
                    long[] stats = carrier.stats();
                    return new Step(n, holdSeconds, figures.path("attempts").asLong(),
                            figures.path("outcomes").path("answered").asLong(), stats[1], stats[2],
                            drops.maxSockets(), toCarrier.captured(), fromCarrier.captured(),
                            toCarrier.dropped() + fromCarrier.dropped(), drops.drops(),
                            socketDrops(carrier.mediaPort()), cpu, load + " → " + Contacts.loadAverage());
                }
            } finally {
                node.stop(campaign);
                node.deleteCampaign(campaign);
                node.deleteTrunk("m");
            }
        }
    }

    /** Datagrams the kernel dropped at SIPp's IPv4 media socket (its echo did not read them in time). */
    private static long socketDrops(int port) throws IOException {
        String local = String.format(Locale.ROOT, "0100007F:%04X", port);
        long drops = 0;
        List<String> lines = Files.readAllLines(Path.of("/proc/net/udp"));
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 13 && f[1].equals(local)) {
                drops += Long.parseLong(f[12]);
            }
        }
        return drops;
    }

    /** CPU time (user + system, 1/100 s ticks) of a process so far, from /proc. */
    private static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    private static String render(boolean quick, int plateau, List<Step> steps, String loadBefore,
            String loadAfter) {
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "Load average (1/5/15 min) before this section: %s; after: %s.%n%n",
                loadBefore, loadAfter));
        md.append(String.format(Locale.ROOT, "Each step: one broadcast campaign of N contacts on one node, through "
                + "one trunk with CAPS %d (so N calls are set up in N/%d s) to a SIPp carrier started with "
                + "`-rtp_echo` that answers (PCMU, 20 ms) and hangs up N/%d + %d s after the ACK, so all N calls "
                + "are up together for the last %d s (%s mode). The node plays the campaign's prompt to every "
                + "answered call (50 packets/s) and the carrier sends each packet back. Packets are counted on "
                + "loopback by two tcpdump captures, outside node and carrier: to the carrier's media port (*sent by "
                + "the node*) and from it (*echoed*); a capture that dropped packets makes its step unmeasured. "
                + "*Expected* = answered × 50 × hold. *Node send shortfall* = 1 − sent / (expected − %d × answered): "
                + "frames the node's player skipped or never sent, less %d packets (%d ms) a call for its edges "
                + "(the node starts sending once it has handled the 200 OK, later than the carrier's hold begins "
                + "when the machine is loaded; the quick run saw ~2 packets a call at load 30). *Dropped at the node*: the kernel's "
                + "`drops` of the node's RTP sockets (`/proc/net/udp6`, sampled every 0.5 s): echoes that reached "
                + "the node but were not read in time. *Loss on the node's side* = send shortfall + dropped at the "
                + "node / echoed. *Carrier loss* = 1 − echoed / sent: the load generator's limit, not the node's "
                + "(one SIPp thread echoes every call; its socket's kernel drops are beside it). A step is *carried* "
                + "when every contact was answered, no call failed at the carrier, the captures dropped nothing and "
                + "the loss on the node's side is under 0.5 %%. Node CPU: the node process's user + system time over "
                + "the step per call-second carried.%n%n", SETUP_RATE, SETUP_RATE, SETUP_RATE, plateau, plateau,
                quick ? "quick" : "full", EDGE_PACKETS, EDGE_PACKETS, EDGE_PACKETS * 20));
        md.append("| N | hold s | attempts | answered | failed at carrier | most up at once (carrier) "
                + "| node RTP sockets (most) | expected | sent by the node | node send shortfall % | echoed "
                + "| dropped at node | loss on the node's side % | carrier loss % (socket drops) | capture drops "
                + "| node CPU ms per call-second | carried | load before → after |\n"
                + "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---:|---|\n");
        for (Step s : steps) {
            md.append(String.format(Locale.ROOT, "| %,d | %d | %,d | %,d | %,d | %,d | %,d | %,d | %,d | %.3f | %,d "
                    + "| %,d | %.3f | %.3f (%,d) | %,d | %.2f | %s | %s |%n",
                    s.target(), s.holdSeconds(), s.attempts(), s.answered(), s.carrierFailed(), s.mostUp(),
                    s.mostSockets(), s.expected(), s.sentByNode(), s.sendShortfallPercent(), s.echoed(),
                    s.nodeDrops(), s.nodeLossPercent(), s.carrierLossPercent(), s.carrierDrops(), s.captureDrops(),
                    s.cpuMillisPerCallSecond(), s.carried() ? "yes" : "no", s.load()));
        }
        int carried = steps.stream().filter(Step::carried).mapToInt(Step::target).max().orElse(0);
        Step last = steps.isEmpty() ? null : steps.get(steps.size() - 1);
        md.append(String.format(Locale.ROOT, "%nLast good step: **%,d concurrent outbound calls with media**%s.%n",
                carried, last != null && last.carried() ? " (the ramp's top step: the node was not pushed to its "
                        + "limit)" : ""));
        return md.toString();
    }
}
