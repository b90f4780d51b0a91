package io.tandem.bench;

import io.tandem.bench.fuzz.FuzzSection;

import java.nio.file.Path;
import java.util.List;

/** {@code ./tandem bench fuzz}: SIP, SDP, RTP and RTCP parsers under seeded mutations, in bench/results/fuzz.md. */
public final class FuzzBench {
    private FuzzBench() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of("bench/results/fuzz.md");
        boolean quick = false;
        long seed = System.currentTimeMillis();
        long mutations = 1_000_000;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--out" -> out = Path.of(args[++i]);
                case "--quick" -> quick = true;
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--mutations" -> mutations = Long.parseLong(args[++i]);
                default -> {
                    System.err.println("fuzz bench: unknown option '" + args[i] + "'");
                    System.exit(2);
                }
            }
        }
        MarkdownReport.write(out, "Parser fuzzing",
                "Produced by `./tandem bench fuzz`. A seeded mutator (telephony's test package `fuzz`) mutates the "
                        + "RFC 4475 torture corpus and captured traffic (messages, SDP, RTP and RTCP as our own "
                        + "classes produce them) with bit flips, byte insertion, deletion and duplication, header "
                        + "line duplication, removal and swaps, numeric fields set to edge values, RTP/RTCP header "
                        + "fields (version, CSRC count, extension length, padding, payload type) set to edge values, "
                        + "truncation and splicing of two seeds. Replay any input with the seed and its index "
                        + "(`new Mutator(seed, seeds, binary).mutate(index)`).",
                List.of(new FuzzSection(seed, mutations)), quick);
    }
}
