package io.tandem.bench;

import io.tandem.bench.node.RegisterRateSection;
import java.nio.file.Path;
import java.util.List;

/** {@code ./tandem bench node}: a Tandem node next to Kamailio 5.6, figures in bench/results/node.md. */
public final class NodeBench {
    private NodeBench() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of("bench/results/node.md");
        Path jar = Path.of("backend/target/tandem-node.jar");
        Path baseline = null;
        String baselineLabel = "";
        boolean quick = false;
        boolean kamailio = true;
        boolean tandem = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--out" -> out = Path.of(args[++i]);
                case "--node-jar" -> jar = Path.of(args[++i]);
                case "--baseline-jar" -> baseline = Path.of(args[++i]);
                case "--baseline-label" -> baselineLabel = args[++i];
                case "--quick" -> quick = true;
                case "--only" -> {
                    String only = args[++i];
                    kamailio = only.equals("kamailio");
                    tandem = only.equals("tandem");
                }
                default -> {
                    System.err.println("node bench: unknown option '" + args[i] + "'");
                    System.exit(2);
                }
            }
        }
        List<BenchSection> sections = List.of(new RegisterRateSection(jar, baseline, baselineLabel, kamailio, tandem));
        MarkdownReport.write(out, "Node benchmarks",
                "Produced by `./tandem bench node`: a Tandem node and Kamailio 5.6 doing the same job on this "
                        + "machine in one run; goals come from issue 3.", sections, quick);
        System.exit(0);
    }
}
