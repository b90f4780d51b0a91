package io.tandem.bench.edge;

import io.tandem.bench.BenchSection;
import io.tandem.bench.node.BenchUsers;
import io.tandem.bench.node.CallSection;
import io.tandem.bench.node.ChildProcess;
import io.tandem.bench.node.LoopbackPorts;
import io.tandem.bench.node.SippCalls;
import io.tandem.bench.node.TandemRegistrar;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Issue 17's media cost: CPU per call of the edge's rtpengine against the node's own relay, with N concurrent G.711
 * calls carrying RTP both ways (SIPp {@code rtp_stream}) through the edge, read from /proc over a steady window and
 * against an idle window of the same length.
 */
public final class MediaCpuSection implements BenchSection {

    private static final int USERS = 100;
    private static final int CALLS = 60;
    private static final int QUICK_CALLS = 10;
    private static final int SETUP_RATE = 10;
    /** Long enough that every call is up through the whole window. */
    private static final long HOLD_MILLIS = 60_000;
    private static final long SETTLE_MILLIS = 10_000;
    private static final long WINDOW_MILLIS = 30_000;
    private static final long QUICK_WINDOW_MILLIS = 10_000;
    /** /proc's clock ticks per second (USER_HZ). */
    private static final double TICKS_PER_SECOND = 100;

    private final Path nodeJar;

    public MediaCpuSection(Path nodeJar) {
        this.nodeJar = nodeJar;
    }

    @Override
    public String title() {
        return "Media CPU per call: the edge's rtpengine against the node's relay";
    }

    /** CPU ticks of the edge's parts and the nodes at one instant. */
    private record Ticks(long rtpengine, long kamailio, long nodes, long nanos) {

        static Ticks of(EdgeCluster cluster) {
            long rtpengine = cluster.rtpengineCpuTicks();
            return new Ticks(rtpengine, cluster.edgeCpuTicks() - rtpengine,
                    cluster.nodes().stream().mapToLong(TandemRegistrar::cpuTicks).sum(), System.nanoTime());
        }

        /** Per cent of one core each part used from {@code start} to this instant. */
        double[] percentSince(Ticks start) {
            double seconds = (nanos - start.nanos) / 1e9;
            return new double[] {percent(rtpengine - start.rtpengine, seconds),
                    percent(kamailio - start.kamailio, seconds), percent(nodes - start.nodes, seconds)};
        }

        private static double percent(long ticks, double seconds) {
            return ticks / TICKS_PER_SECOND / seconds * 100;
        }
    }

    @Override
    public String run(boolean quick) throws Exception {
        Path work = Files.createTempDirectory("tandem-bench-edge-media-");
        String loadBefore = EdgeSection.loadAverage();
        int calls = quick ? QUICK_CALLS : CALLS;
        long window = quick ? QUICK_WINDOW_MILLIS : WINDOW_MILLIS;
        double[] idle;
        double[] busy;
        SippCalls.Run run;
        String loadDuring;
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try (EdgeCluster cluster = EdgeCluster.start(work.resolve("cluster"), nodeJar, new BenchUsers(USERS),
                EdgeSection.NODE_PROPERTIES)) {
            SippCalls sipp = new SippCalls(work.resolve("sipp"), cluster.sipPort());
            int uacPort = LoopbackPorts.udpAndTcp();
            int uasPort = LoopbackPorts.udpAndTcp();
            sipp.register(0, uacPort);
            sipp.register(1, uasPort);
            String callee = BenchUsers.extension(1);
            try (ChildProcess uas = sipp.startUas(uasPort, true)) {
                CallSection.awaitBound(uasPort, uas);
                CompletableFuture<SippCalls.Run> media = CompletableFuture.supplyAsync(() -> {
                    try {
                        return sipp.call("media", uacPort, SETUP_RATE, calls, HOLD_MILLIS, true, callee);
                    } catch (IOException | InterruptedException e) {
                        throw new IllegalStateException("SIPp media calls: " + e.getMessage(), e);
                    }
                }, caller);
                // Every call set up (calls / rate s) and settled, then the window, all within the hold.
                Thread.sleep(calls * 1000L / SETUP_RATE + SETTLE_MILLIS); // set-up time at SIPp's fixed rate
                Ticks busyStart = Ticks.of(cluster);
                Thread.sleep(window); // the measured window
                busy = Ticks.of(cluster).percentSince(busyStart);
                loadDuring = EdgeSection.loadAverage();
                run = media.get();
                // The same parts with every call over, warmed up as they were during the window.
                Ticks idleStart = Ticks.of(cluster);
                Thread.sleep(window); // the idle window is a length of time, not a condition to wait for
                idle = Ticks.of(cluster).percentSince(idleStart);
            }
        } finally {
            caller.shutdownNow();
        }
        System.out.printf(Locale.ROOT, "media: %d/%d calls ok; rtpengine %.1f%% (idle %.1f%%), nodes %.1f%% "
                + "(idle %.1f%%)%n",
                run.successful(), run.calls(), busy[0], idle[0], busy[2], idle[2]);
        System.out.println("work files in " + work);
        return render(calls, window, run, idle, busy, loadBefore, loadDuring);
    }

    private static String render(int calls, long window, SippCalls.Run run, double[] idle, double[] busy,
            String before, String during) {
        StringBuilder md = new StringBuilder();
        md.append("Method: `./tandem edge` in front of two nodes; SIPp over UDP registered a caller and a callee "
                + "through the edge, then placed ").append(calls).append(" calls at ").append(SETUP_RATE)
                .append("/s, each held ").append(HOLD_MILLIS / 1000).append(" s with G.711 RTP both ways (SIPp "
                        + "`rtp_stream`, 50 packets/s each way). A call crosses the edge twice (caller ↔ node, "
                        + "node ↔ callee: two rtpengine sessions, so rtpengine forwards every packet twice) and the "
                        + "node's relay once (its bridge between the two legs forwards every packet once). CPU "
                        + "(user + system, /proc/<pid>/stat) over ").append(window / 1000)
                .append(" s once every call was up, less the same parts idle over a window of the same length once "
                        + "the calls had ended. **The phones' leg is plain RTP**: the SIPp here (3.6.1) speaks no "
                        + "SRTP, so rtpengine's SRTP encryption and authentication (AES-CM + HMAC-SHA1, RFC 3711) "
                        + "towards phones is not in these figures; they are its userspace forwarding cost only. "
                        + "Load average (1/5/15 min) ").append(before)
                .append(" at the start, ").append(during).append(" during the window.\n\n");
        md.append(String.format(Locale.ROOT, "%d of %d calls completed (%d failed).%n%n", run.successful(),
                run.calls(), run.failed()));
        md.append("| part | idle, % of a core | with the calls | per call, % of a core | per call, CPU ms/s |\n"
                + "|---|---:|---:|---:|---:|\n");
        String[] parts = {"rtpengine (2 sessions per call)", "Kamailio (signalling only)",
            "both node JVMs (relay, 1 bridge per call)"};
        for (int i = 0; i < parts.length; i++) {
            double perCall = (busy[i] - idle[i]) / calls;
            md.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.3f | %.2f |%n", parts[i], idle[i],
                    busy[i], perCall, perCall * 10));
        }
        double rtpengine = (busy[0] - idle[0]) / calls;
        double nodes = (busy[2] - idle[2]) / calls;
        md.append(String.format(Locale.ROOT, "%nrtpengine per call / node relay per call: **%.2f** (both plain "
                + "RTP; rtpengine forwards each packet twice, the relay once; CPU ms/s = ms of CPU per second of "
                + "call).%n", nodes > 0 ? rtpengine / nodes : Double.NaN));
        return md.toString();
    }
}
