package io.tandem.bench.edge;

import io.tandem.bench.BenchSection;
import io.tandem.bench.node.BenchUsers;
import io.tandem.bench.node.LoopbackPorts;
import io.tandem.bench.node.SippCalls;
import io.tandem.bench.node.TandemRegistrar;
import io.tandem.telephony.testing.SentinelGroup;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Issue 17's Redis figure: the Redis master SIGKILLed under two nodes on a {@code redis-sentinel://} URI (the
 * Sentinel ITs' group: a master, two replicas, three sentinels), then queue calls and REGISTERs to a node, one at a
 * time each, side by side, until the first of each succeeds.
 */
public final class SentinelFailoverSection implements BenchSection {

    private static final int USERS = 100;
    private static final String QUEUE = "7600";
    private static final int CALLER = 0;
    private static final int REGISTERING = 2;
    /** The nodes' Redis command timeout in production: a request waits that long for the new master. */
    private static final String COMMAND_TIMEOUT = "--tandem.redis.command-timeout=5s";

    private final Path nodeJar;

    public SentinelFailoverSection(Path nodeJar) {
        this.nodeJar = nodeJar;
    }

    @Override
    public String title() {
        return "Redis master death (Sentinel): SIGKILL to the first queue call and the first REGISTER";
    }

    /** One kill of the master: the first queue call, the first REGISTER, and when the sentinels agreed. */
    private record Round(int oldMaster, int newMaster, FirstSuccess call, FirstSuccess register, long agreedMillis) {
    }

    @Override
    public String run(boolean quick) throws Exception {
        Path work = Files.createTempDirectory("tandem-bench-sentinel-");
        String loadBefore = EdgeSection.loadAverage();
        BenchUsers users = new BenchUsers(USERS);
        // A queue whose agent never logs in: a caller is answered and waits (joinEmpty), which needs Redis.
        Path queues = Files.writeString(work.resolve("queues.yaml"), "tenants:\n  " + TandemRegistrar.TENANT
                + ":\n    queues:\n      - {number: \"" + QUEUE + "\", name: \"failover\", strategy: longest-idle, "
                + "ringTimeoutSeconds: 15, serviceLevelSeconds: 20, wrapUpSeconds: 0, members: [{agent: \""
                + BenchUsers.extension(USERS - 1) + "\", tier: 1, penalty: 0}]}\n", StandardCharsets.UTF_8);
        List<String> properties = List.of(COMMAND_TIMEOUT, "--tandem.acd.seed-file=" + queues.toAbsolutePath(),
                "--tandem.sip.rtp-port-min=40000", "--tandem.sip.rtp-port-max=44999");
        List<String> secondProperties = List.of(COMMAND_TIMEOUT, "--tandem.sip.rtp-port-min=45000",
                "--tandem.sip.rtp-port-max=49999");
        byte[] secret = new byte[24];
        ThreadLocalRandom.current().nextBytes(secret);
        String hex = HexFormat.of().formatHex(secret);
        List<Round> rounds = new ArrayList<>();
        ExecutorService probes = Executors.newFixedThreadPool(2);
        try (SentinelGroup redis = new SentinelGroup()) {
            redis.start();
            try (TandemRegistrar a = TandemRegistrar.startOnRedis("node sentinel-a", work.resolve("a"), nodeJar,
                    users, properties, redis.uri(), "sentinel-a", hex);
                 TandemRegistrar b = TandemRegistrar.startOnRedis("node sentinel-b", work.resolve("b"), nodeJar,
                    users, secondProperties, redis.uri(), "sentinel-b", hex)) {
                SippCalls calls = new SippCalls(work.resolve("sipp-a"), a.sipPort());
                SippCalls registers = new SippCalls(work.resolve("sipp-b"), b.sipPort());
                int uacPort = LoopbackPorts.udpAndTcp();
                int registerPort = LoopbackPorts.udpAndTcp();
                SippCalls.Run warm = calls.call("warmup", uacPort, 2, 4, 1, false, QUEUE);
                if (warm.successful() == 0) {
                    throw new IllegalStateException("no queue call succeeded before the kill (see " + work + ")");
                }
                for (int r = 0; r < (quick ? 1 : 2); r++) {
                    int oldMaster = redis.masterPort();
                    long killed = System.nanoTime();
                    redis.killMaster();
                    CompletableFuture<FirstSuccess> call = CompletableFuture.supplyAsync(() -> FirstSuccess.after(
                            killed, n -> calls.call("queue-call-after-kill", uacPort, 1, 1, 1, false, QUEUE)
                                    .successful() == 1), probes);
                    CompletableFuture<FirstSuccess> register = CompletableFuture.supplyAsync(() -> FirstSuccess
                            .after(killed, n -> registers.attemptRegister("register-after-kill", REGISTERING,
                                    registerPort, 20)), probes);
                    int newMaster = redis.awaitFailover(Duration.ofSeconds(60));
                    long agreed = (System.nanoTime() - killed) / 1_000_000;
                    Round round = new Round(oldMaster, newMaster, call.get(), register.get(), agreed);
                    rounds.add(round);
                    System.out.printf(Locale.ROOT, "master %d killed: sentinels agree on %d after %d ms, queue call "
                            + "%d ms (%d), REGISTER %d ms (%d)%n", oldMaster, newMaster, agreed,
                            round.call().millis(), round.call().attempts(), round.register().millis(),
                            round.register().attempts());
                }
            }
        } finally {
            probes.shutdownNow();
        }
        System.out.println("work files in " + work);
        return render(rounds, loadBefore, EdgeSection.loadAverage());
    }

    private static String render(List<Round> rounds, String before, String after) {
        StringBuilder md = new StringBuilder();
        md.append("Method: the group of the Sentinel ITs (telephony's `SentinelGroup`: a redis-server master, two "
                + "replicas, three redis-sentinel with quorum 2, `down-after-milliseconds` 1000; production runs "
                + "5000-30000, which adds as much to every figure), two node JVMs on its `redis-sentinel://` URI "
                + "with production's 5 s Redis command timeout, a queue (" + QUEUE + ") whose only agent is not "
                + "logged in, so a caller is answered and waits. The master is SIGKILLed; from that instant SIPp "
                + "calls the queue on node a (INVITE, 407, INVITE with digest, 200, ACK, BYE) and registers a user "
                + "on node b, one attempt after another each, side by side; each time is from the kill to the end "
                + "of the first attempt that succeeded. A second round kills the master the sentinels promoted. "
                + "Straight to the nodes: the edge does not take part in a Redis failover. Load average "
                + "(1/5/15 min) ").append(before).append(" at the start, ").append(after).append(" at the end.\n\n");
        md.append("| round | master killed (port) | sentinels agree on a new master ms | first queue call ms "
                + "| attempts | first REGISTER ms | attempts |\n|---:|---:|---:|---:|---:|---:|---:|\n");
        for (int i = 0; i < rounds.size(); i++) {
            Round r = rounds.get(i);
            md.append(String.format(Locale.ROOT, "| %d | %d | %,d | %s | %d | %s | %d |%n", i + 1, r.oldMaster(),
                    r.agreedMillis(), r.call().cell(), r.call().attempts(), r.register().cell(),
                    r.register().attempts()));
        }
        return md.toString();
    }
}
