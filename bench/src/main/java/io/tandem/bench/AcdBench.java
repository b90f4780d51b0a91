package io.tandem.bench;

import io.tandem.backend.acd.queues.Strategy;
import io.tandem.bench.acd.ClaimSection;
import io.tandem.bench.node.DispatchLatencySection;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code ./tandem bench acd}: Lua claims per second and claim latency in bench/results/acd.md. */
public final class AcdBench {
    private AcdBench() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of("bench/results/acd.md");
        boolean quick = false;
        String suite = "all";
        String only = "";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--out" -> out = Path.of(args[++i]);
                case "--quick" -> quick = true;
                case "--suite" -> suite = args[++i];
                case "--strategy" -> only = args[++i];
                default -> {
                    System.err.println("acd bench: unknown option '" + args[i] + "'");
                    System.exit(2);
                }
            }
        }
        if (!List.of("all", "dispatch", "claims").contains(suite)) {
            System.err.println("acd bench: --suite is all, dispatch or claims, not '" + suite + "'");
            System.exit(2);
        }
        List<BenchSection> sections = new ArrayList<>();
        if (!suite.equals("claims")) {
            sections.add(new DispatchLatencySection());
        }
        if (!suite.equals("dispatch")) {
            for (Strategy s : List.of(Strategy.LONGEST_IDLE, Strategy.ROUND_ROBIN, Strategy.FEWEST_CALLS,
                    Strategy.RANDOM, Strategy.SKILLS_BASED)) {
                if (only.isEmpty() || only.equals(s.wireName())) {
                    sections.add(new ClaimSection(s));
                }
            }
        }
        MarkdownReport.write(out, "ACD benchmarks",
                "Produced by `./tandem bench acd`. Dispatch latency on a cluster of three node processes with SIPp "
                        + "agents and callers; then the node's own claim script on the embedded Redis (one process, "
                        + "loopback), three dispatcher connections standing for three nodes. Goals come from issue 4.",
                sections, quick);
        System.exit(0); // Lettuce's threads are daemons, but the embedded Redis is stopped by close() already
    }
}
