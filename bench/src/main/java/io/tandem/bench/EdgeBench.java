package io.tandem.bench;

import io.tandem.bench.edge.EdgeFailoverSection;
import io.tandem.bench.edge.EdgeSection;
import io.tandem.bench.edge.MediaCpuSection;
import io.tandem.bench.edge.SentinelFailoverSection;
import io.tandem.bench.edge.SrtpCpuSection;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code ./tandem bench edge}: the edge in front of two nodes against one node straight, in bench/results/edge.md. */
public final class EdgeBench {
    private static final Logger LOG = LoggerFactory.getLogger(EdgeBench.class);

    private EdgeBench() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of("bench/results/edge.md");
        Path jar = Path.of("backend/target/tandem-node.jar");
        boolean quick = false;
        int callsAt = 0;
        Set<String> only = new LinkedHashSet<>(List.of("failover", "sentinel", "media", "srtp", "rates"));
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--out" -> out = Path.of(args[++i]);
                case "--node-jar" -> jar = Path.of(args[++i]);
                case "--quick" -> quick = true;
                // One call step at this rate, no REGISTER ramp: reproduces the edge's stall in a minute.
                case "--calls-at" -> callsAt = Integer.parseInt(args[++i]);
                // A part of the suite only (comma-separated), e.g. "--only failover" while tuning the edge.
                case "--only", "--suite" -> only = new LinkedHashSet<>(List.of(args[++i].split(",")));
                default -> {
                    System.err.println("edge bench: unknown option '" + args[i] + "'");
                    System.exit(2);
                }
            }
        }
        MarkdownReport.write(out, "Edge benchmarks",
                "Produced by `./tandem bench edge`: Kamailio and rtpengine (`./tandem edge`) in front of two Tandem "
                        + "nodes, against one node reached straight, on this machine in one run; goals come from "
                        + "issue 17.", sections(only, jar, callsAt), quick);
        System.exit(0);
    }

    private static List<BenchSection> sections(Set<String> only, Path jar, int callsAt) {
        List<BenchSection> sections = new ArrayList<>();
        for (String part : only) {
            switch (part) {
                case "rates" -> sections.add(new EdgeSection(jar, callsAt));
                case "failover" -> sections.add(new EdgeFailoverSection(jar));
                case "media" -> sections.add(new MediaCpuSection(jar));
                case "srtp" -> sections.add(new SrtpCpuSection(jar));
                case "sentinel" -> sections.add(new SentinelFailoverSection(jar));
                default -> {
                    System.err.println("edge bench: unknown part '" + part + "' (rates, failover, media, srtp, sentinel)");
                    System.exit(2);
                }
            }
        }
        return sections.stream().map(EdgeBench::reportingFailure).toList();
    }

    /**
     * The section, or when it throws, a section body saying so: one part that fails (a process that would not
     * start on a loaded machine) must not cost the figures of the others, which MarkdownReport writes as it goes.
     */
    private static BenchSection reportingFailure(BenchSection section) {
        return new BenchSection() {
            @Override
            public String title() {
                return section.title();
            }

            @Override
            public String run(boolean quick) {
                try {
                    return section.run(quick);
                } catch (Exception | AssertionError e) {
                    // AssertionError: the telephony test-jar's waits (Await, TestPhone) fail with it.
                    LOG.error("edge bench: '{}' failed", section.title(), e);
                    String why = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
                    return "**Not measured: this part failed** (" + e.getClass().getSimpleName() + ": " + why
                            + "; the bench's output has the rest).\n";
                }
            }
        };
    }
}
