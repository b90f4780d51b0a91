package io.tandem.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code ./tandem bench telephony}: codec, mixer and relay figures in bench/results/telephony.md. */
public final class TelephonyBench {
    private TelephonyBench() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of("bench/results/telephony.md");
        boolean quick = false;
        boolean relayOnly = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--out" -> out = Path.of(args[++i]);
                case "--quick" -> quick = true;
                case "--suite" -> {
                    String part = i + 1 < args.length ? args[++i] : "";
                    if (!part.equals("all") && !part.equals("relay")) {
                        System.err.println("telephony bench: --suite takes all or relay, not '" + part + "'");
                        System.exit(2);
                    }
                    relayOnly = part.equals("relay");
                }
                default -> {
                    System.err.println("telephony bench: unknown option '" + args[i] + "'");
                    System.exit(2);
                }
            }
        }
        List<BenchSection> sections = new ArrayList<>(relayOnly ? TelephonySections.relay() : TelephonySections.all());
        MarkdownReport.write(out, "Telephony benchmarks",
                "Produced by `./tandem bench telephony`. Each figure is measured on this machine in one run; "
                        + "goals come from the telephony issue.", sections, quick);
    }
}
