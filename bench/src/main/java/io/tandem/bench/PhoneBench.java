package io.tandem.bench;

import io.tandem.agent.engine.EngineKind;
import io.tandem.bench.phone.PhoneSuite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code ./tandem bench phone}: the softphone's engines (pjsua2 and Java) against one real node: CPU and memory per
 * call, audio latency into the agent's recording, and native memory over many register / call cycles, in
 * bench/results/phone.md.
 */
public final class PhoneBench {
    private PhoneBench() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of("bench/results/phone.md");
        Path jar = Path.of("backend/target/tandem-node.jar");
        String pjsua2Home = "";
        boolean quick = false;
        int cycles = 300;
        String only = ""; // cost, latency or cycles: one section, for working on the bench itself
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--out" -> out = Path.of(args[++i]);
                case "--node-jar" -> jar = Path.of(args[++i]);
                case "--pjsua2-home" -> pjsua2Home = args[++i];
                case "--cycles" -> cycles = Integer.parseInt(args[++i]);
                case "--quick" -> quick = true;
                case "--only" -> only = args[++i];
                default -> {
                    System.err.println("phone bench: unknown option '" + args[i] + "'");
                    System.exit(2);
                }
            }
        }
        List<EngineKind> engines = new ArrayList<>();
        if (!pjsua2Home.isBlank()) {
            engines.add(EngineKind.PJSUA2);
        }
        engines.add(EngineKind.JAVA);
        Path dir = Files.createTempDirectory("tandem-bench-phone-");
        try (PhoneSuite suite = PhoneSuite.start(dir, jar, engines, pjsua2Home, cycles)) {
            String section = only;
            List<BenchSection> sections = suite.sections().stream()
                    .filter(s -> section.isEmpty() || s.getClass().getSimpleName().toLowerCase(Locale.ROOT).contains(section))
                    .toList();
            MarkdownReport.write(out, "Softphone engine benchmarks", suite.intro(), sections, quick);
        }
        System.exit(0);
    }
}
