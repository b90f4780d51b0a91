package io.tandem.bench;

import io.tandem.bench.outbound.OutboundSections;
import java.nio.file.Path;

/** {@code ./tandem bench outbound}: the campaign scheduler and outbound calls of one node, in bench/results/outbound.md. */
public final class OutboundBench {
    private OutboundBench() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of("bench/results/outbound.md");
        Path jar = Path.of("backend/target/tandem-node.jar");
        boolean quick = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--out" -> out = Path.of(args[++i]);
                case "--node-jar" -> jar = Path.of(args[++i]);
                case "--quick" -> quick = true;
                default -> {
                    System.err.println("outbound bench: unknown option '" + args[i] + "'");
                    System.exit(2);
                }
            }
        }
        try (OutboundSections sections = OutboundSections.start(jar)) {
            MarkdownReport.write(out, "Outbound: campaign scheduler and outside calls",
                    "Produced by `./tandem bench outbound`: one Tandem node (the node jar, own JVM, -Xmx1g, "
                            + "`tandem.campaigns.budget=300`) on a redis-server, dialling SIPp carriers on loopback; "
                            + "goals from issue 19 (CAPS held exactly per trunk at 300 calls/s, the scheduler's time "
                            + "per second with 100 campaigns, concurrent outbound calls with media). **This machine "
                            + "is shared**: other engineers build and test on the same 2 cores while it runs, so "
                            + "each section gives the load average before and after it; read the figures as "
                            + "this machine's under that load, not as absolute capacity.",
                    sections.list(), quick);
        }
        System.exit(0);
    }
}
