package io.tandem.bench;

import io.tandem.bench.edge.EdgeSection;
import java.nio.file.Path;
import java.util.List;

/** {@code ./tandem bench edge}: the edge in front of two nodes against one node straight, in bench/results/edge.md. */
public final class EdgeBench {
    private EdgeBench() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of("bench/results/edge.md");
        Path jar = Path.of("backend/target/tandem-node.jar");
        boolean quick = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--out" -> out = Path.of(args[++i]);
                case "--node-jar" -> jar = Path.of(args[++i]);
                case "--quick" -> quick = true;
                default -> {
                    System.err.println("edge bench: unknown option '" + args[i] + "'");
                    System.exit(2);
                }
            }
        }
        MarkdownReport.write(out, "Edge benchmarks",
                "Produced by `./tandem bench edge`: Kamailio and rtpengine (`./tandem edge`) in front of two Tandem "
                        + "nodes, against one node reached straight, on this machine in one run; goals come from "
                        + "issue 17.", List.of(new EdgeSection(jar)), quick);
        System.exit(0);
    }
}
