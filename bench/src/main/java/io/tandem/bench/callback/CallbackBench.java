package io.tandem.bench.callback;

import io.tandem.bench.BenchSection;
import io.tandem.bench.MarkdownReport;
import io.tandem.bench.node.BenchUsers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code ./tandem bench callback}: a node, a callback service, Redis and a mock APNs, figures in
 * bench/results/callback.md (issue 15's goals).
 */
public final class CallbackBench {

    private CallbackBench() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of("bench/results/callback.md");
        Path nodeJar = Path.of("backend/target/tandem-node.jar");
        Path serviceJar = Path.of("callback-service/target/tandem-callback.jar");
        boolean quick = false;
        int callers = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--out" -> out = Path.of(args[++i]);
                case "--node-jar" -> nodeJar = Path.of(args[++i]);
                case "--service-jar" -> serviceJar = Path.of(args[++i]);
                case "--quick" -> quick = true;
                case "--callers" -> callers = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println("callback bench: unknown option '" + args[i] + "'");
                    System.exit(2);
                }
            }
        }
        int rounds = quick ? WakeSection.QUICK_ROUNDS : WakeSection.FULL_ROUNDS;
        int firstCapacityMember = WakeSection.member(rounds, 0);
        BenchUsers users = new BenchUsers(firstCapacityMember + CapacitySection.MEMBERS);
        Set<String> tokens = new HashSet<>();
        for (int user = 1; user < users.count(); user++) {
            tokens.add(SleepingDevice.token(user));
        }
        String queues = "tenants:\n  " + CallbackCluster.TENANT + ":\n    queues:\n" + WakeSection.queuesYaml(rounds)
                + CapacitySection.queueYaml(firstCapacityMember);
        Path work = Files.createTempDirectory("tandem-bench-callback-");
        String loadBefore = loadAverage();
        try (CallbackCluster cluster = CallbackCluster.start(work, nodeJar, serviceJar, users, queues, tokens)) {
            List<BenchSection> sections = List.of(new WakeSection(cluster, rounds),
                    new CapacitySection(cluster, work, firstCapacityMember, callers));
            MarkdownReport.write(out, "Callback service benchmarks",
                    "Produced by `./tandem bench callback`: one Tandem node (`backend/target/tandem-node.jar`, own "
                            + "JVM, -Xmx1g), one callback service instance (`callback-service/target/"
                            + "tandem-callback.jar`, own JVM, -Xmx512m), redis-server " + cluster.redisVersion()
                            + " on loopback without persistence, and Pushy's `MockApnsServer` (HTTP/2 over TLS, "
                            + "certificates and the .p8 signing key made by the bench) standing in for Apple; goals "
                            + "from issue 15. Load average (1/5/15 min) when the bench started: " + loadBefore
                            + ". Work files (logs, SIPp statistics) in `" + work + "`.", sections, quick);
        }
        System.exit(0);
    }

    /** One queue of the node's seed file that parks a caller at once when none of {@code members} is available. */
    static String parkingQueue(String number, String name, List<Integer> members, int parkTimeoutSeconds) {
        return "      - {number: \"" + number + "\", name: \"" + name + "\", strategy: longest-idle, "
                + "wrapUpSeconds: 0, members: [" + members.stream().map(m -> "{agent: \"" + BenchUsers.extension(m)
                        + "\", tier: 1, penalty: 0}").collect(Collectors.joining(", ")) + "], "
                + "announcements: {position: true, estimatedWait: true, firstAfterSeconds: "
                + CapacitySection.FIRST_ANNOUNCEMENT + ", everySeconds: " + CapacitySection.ANNOUNCEMENT_EVERY + "}, "
                + "park: {enabled: true, whenNoAgent: true, onExitKey: false, afterSeconds: 0, timeoutSeconds: "
                + parkTimeoutSeconds + "}}\n";
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " / " + f[1] + " / " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }
}
