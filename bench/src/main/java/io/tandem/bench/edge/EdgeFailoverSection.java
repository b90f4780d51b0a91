package io.tandem.bench.edge;

import io.tandem.bench.BenchSection;
import io.tandem.bench.node.BenchUsers;
import io.tandem.bench.node.CallSection;
import io.tandem.bench.node.ChildProcess;
import io.tandem.bench.node.LoopbackPorts;
import io.tandem.bench.node.SippCalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Issue 17's failover goal: a node SIGKILLed behind the edge, then REGISTERs and calls (one at a time each, side by
 * side) through the edge until the first of each succeeds; the node is started again on its port and the next round
 * kills the other node. The callee registered before the first kill, on whichever node took its REGISTER, so every
 * round also shows that a dead node's phones are still reached (RFC 3327 Path through the edge).
 */
public final class EdgeFailoverSection implements BenchSection {

    private static final int USERS = 100;
    private static final int ROUNDS = 4;
    private static final int QUICK_ROUNDS = 2;
    private static final int CALLER = 0;
    private static final int CALLEE = 1;
    private static final int REGISTERING = 2;

    private final Path nodeJar;

    public EdgeFailoverSection(Path nodeJar) {
        this.nodeJar = nodeJar;
    }

    @Override
    public String title() {
        return "Node death: SIGKILL to the first REGISTER and the first call through the edge";
    }

    /** One kill: how long until the first success of each, in ms (-1: none within a minute), and attempts. */
    private record Round(String victim, long registerMillis, int registerAttempts, long callMillis, int callAttempts,
            long inactiveMillis) {
    }

    @Override
    public String run(boolean quick) throws Exception {
        Path work = Files.createTempDirectory("tandem-bench-edge-failover-");
        String loadBefore = EdgeSection.loadAverage();
        BenchUsers users = new BenchUsers(USERS);
        List<Round> rounds = new ArrayList<>();
        ExecutorService probes = Executors.newFixedThreadPool(3);
        try (EdgeCluster cluster = EdgeCluster.start(work.resolve("cluster"), nodeJar, users,
                EdgeSection.NODE_PROPERTIES)) {
            SippCalls sipp = new SippCalls(work.resolve("sipp"), cluster.sipPort());
            int uacPort = LoopbackPorts.udpAndTcp();
            int uasPort = LoopbackPorts.udpAndTcp();
            int registerPort = LoopbackPorts.udpAndTcp();
            sipp.register(CALLER, uacPort);
            sipp.register(CALLEE, uasPort);
            String callee = BenchUsers.extension(CALLEE);
            try (ChildProcess uas = sipp.startUas(uasPort, false)) {
                CallSection.awaitBound(uasPort, uas);
                sipp.call("warmup", uacPort, 5, 20, 0, false, callee);
                int count = quick ? QUICK_ROUNDS : ROUNDS;
                for (int r = 0; r < count; r++) {
                    int victim = r % 2;
                    awaitActive(cluster, 0);
                    awaitActive(cluster, 1);
                    String name = cluster.nodes().get(victim).name();
                    long killed = System.nanoTime();
                    cluster.nodes().get(victim).kill();
                    CompletableFuture<FirstSuccess> register = CompletableFuture.supplyAsync(() -> FirstSuccess.after(
                            killed, a -> sipp.attemptRegister("register-after-kill", REGISTERING, registerPort, 20)),
                            probes);
                    CompletableFuture<FirstSuccess> call = CompletableFuture.supplyAsync(() -> FirstSuccess.after(
                            killed,
                            a -> sipp.call("call-after-kill", uacPort, 1, 1, 0, false, callee).successful() == 1),
                            probes);
                    CompletableFuture<FirstSuccess> inactive = CompletableFuture.supplyAsync(() -> FirstSuccess.after(
                            killed, a -> {
                                Thread.sleep(a == 1 ? 0 : 50);
                                return !cluster.active(victim);
                            }), probes);
                    Round round = new Round(name, register.get().millis(), register.get().attempts(),
                            call.get().millis(), call.get().attempts(), inactive.get().millis());
                    rounds.add(round);
                    System.out.printf(Locale.ROOT, "round %d, %s killed: REGISTER %d ms (%d), call %d ms (%d), "
                            + "inactive %d ms%n", r + 1, name, round.registerMillis(), round.registerAttempts(),
                            round.callMillis(), round.callAttempts(), round.inactiveMillis());
                    if (r + 1 < count) {
                        cluster.restart(victim);
                    }
                }
            }
            Files.writeString(work.resolve("edge-tail.log"), cluster.edgeLog(400));
        } finally {
            probes.shutdownNow();
        }
        System.out.println("work files in " + work);
        return render(rounds, loadBefore, EdgeSection.loadAverage());
    }

    private static void awaitActive(EdgeCluster cluster, int node) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + FirstSuccess.GIVE_UP_NANOS;
        while (!cluster.active(node)) {
            if (System.nanoTime() > deadline) {
                throw new IOException("the edge did not take node " + node + " back within 60 s:\n"
                        + cluster.edgeLog(40));
            }
            Thread.sleep(100);
        }
    }

    private static String render(List<Round> rounds, String before, String after) {
        StringBuilder md = new StringBuilder();
        md.append("Method: `./tandem edge` in front of two nodes on one redis-server; SIPp over UDP registered the "
                + "caller and the callee (a SIPp UAS) through the edge first. Each round SIGKILLs one node (they "
                + "alternate), then from that instant two loops run side by side, each starting its next attempt "
                + "when the last one ends: a REGISTER with digest of a third user, and a call (INVITE, 407, INVITE "
                + "with digest, 180, 200, ACK, BYE, no hold) to the callee. Each time is from the kill to the end "
                + "of the first attempt that succeeded; \"marked inactive\" is when the edge's dispatcher "
                + "(`kamcmd dispatcher.list`, polled every 50 ms) stopped listing the node as active. The node is "
                + "then started again on its port and the next round waits until the edge has it active again. "
                + "The callee kept its one registration throughout: every successful call also reached a phone "
                + "whose REGISTER one of the killed nodes may have taken. Load average (1/5/15 min) ")
                .append(before).append(" at the start, ").append(after).append(" at the end.\n\n");
        md.append("| round | node killed | first REGISTER ms | attempts | first call ms | attempts "
                + "| marked inactive ms |\n|---:|---|---:|---:|---:|---:|---:|\n");
        for (int i = 0; i < rounds.size(); i++) {
            Round r = rounds.get(i);
            md.append(String.format(Locale.ROOT, "| %d | %s | %s | %d | %s | %d | %s |%n", i + 1, r.victim(),
                    millis(r.registerMillis()), r.registerAttempts(), millis(r.callMillis()), r.callAttempts(),
                    millis(r.inactiveMillis())));
        }
        long worstRegister = rounds.stream().mapToLong(Round::registerMillis).map(m -> m < 0 ? Long.MAX_VALUE : m)
                .max().orElse(-1);
        long worstCall = rounds.stream().mapToLong(Round::callMillis).map(m -> m < 0 ? Long.MAX_VALUE : m).max()
                .orElse(-1);
        md.append(String.format(Locale.ROOT, "%nWorst of %d rounds: first REGISTER %s, first call %s after the "
                + "kill (the issue's goal: within 3 s).%n", rounds.size(), worst(worstRegister), worst(worstCall)));
        return md.toString();
    }

    private static String millis(long m) {
        return m < 0 ? "none in 60 s" : String.format(Locale.ROOT, "%,d", m);
    }

    private static String worst(long m) {
        return m == Long.MAX_VALUE ? "**none within 60 s**" : String.format(Locale.ROOT, "**%,d ms**", m);
    }
}
