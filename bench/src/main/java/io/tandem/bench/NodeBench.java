package io.tandem.bench;

import io.tandem.bench.node.CallSection;
import io.tandem.bench.node.RegisterRateSection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
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
        String suite = "all";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--out" -> out = Path.of(args[++i]);
                case "--node-jar" -> jar = Path.of(args[++i]);
                case "--baseline-jar" -> baseline = Path.of(args[++i]);
                case "--baseline-label" -> baselineLabel = args[++i];
                case "--quick" -> quick = true;
                case "--suite" -> suite = args[++i];
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
        if (!List.of("all", "register", "calls").contains(suite)) {
            System.err.println("node bench: --suite is all, register or calls, not '" + suite + "'");
            System.exit(2);
        }
        List<BenchSection> sections = new ArrayList<>();
        if (!suite.equals("calls")) {
            sections.add(new RegisterRateSection(jar, baseline, baselineLabel, kamailio, tandem));
        }
        if (!suite.equals("register")) {
            sections.add(new CallSection(jar, baseline, baselineLabel));
        }
        // Only the calls: keep the REGISTER figures already in the report and append the call sections after them.
        Path target = out;
        boolean append = suite.equals("calls") && Files.exists(out);
        if (append) {
            out = Files.createTempFile("node-calls-", ".md");
        }
        MarkdownReport.write(out, "Node benchmarks",
                "Produced by `./tandem bench node`: a Tandem node and Kamailio 5.6 doing the same job on this "
                        + "machine in one run; goals come from issues 3 and 21.", sections, quick);
        if (append) {
            String report = Files.readString(out);
            String dated = report.substring(report.indexOf("- date: "), report.indexOf("## "));
            Files.writeString(target, "\n<!-- ./tandem bench node --suite calls -->\n" + dated
                    + report.substring(report.indexOf("## ")), StandardOpenOption.APPEND);
            Files.delete(out);
            System.out.println("appended to " + target);
        }
        System.exit(0);
    }
}
