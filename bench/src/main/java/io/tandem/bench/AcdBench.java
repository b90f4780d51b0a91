package io.tandem.bench;

import io.tandem.backend.acd.Strategy;
import io.tandem.bench.acd.ClaimSection;
import java.nio.file.Path;
import java.util.List;

/** {@code ./tandem bench acd}: Lua claims per second and claim latency in bench/results/acd.md. */
public final class AcdBench {
    private AcdBench() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of("bench/results/acd.md");
        boolean quick = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--out" -> out = Path.of(args[++i]);
                case "--quick" -> quick = true;
                default -> {
                    System.err.println("acd bench: unknown option '" + args[i] + "'");
                    System.exit(2);
                }
            }
        }
        MarkdownReport.write(out, "ACD benchmarks",
                "Produced by `./tandem bench acd`. The node's own claim script on the embedded Redis (one process, "
                        + "loopback); three dispatcher connections stand for three nodes. Goals come from issue 4.",
                List.of(new ClaimSection(Strategy.LONGEST_IDLE), new ClaimSection(Strategy.ROUND_ROBIN),
                        new ClaimSection(Strategy.FEWEST_CALLS), new ClaimSection(Strategy.RANDOM),
                        new ClaimSection(Strategy.SKILLS_BASED)), quick);
        System.exit(0); // Lettuce's threads are daemons, but the embedded Redis is stopped by close() already
    }
}
