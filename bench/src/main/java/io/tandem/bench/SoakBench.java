package io.tandem.bench;

import io.tandem.bench.node.SoakSection;
import java.nio.file.Path;
import java.util.List;

/** {@code ./tandem bench soak}: two nodes under steady traffic for an hour, in bench/results/soak.md. */
public final class SoakBench {
    private SoakBench() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of("bench/results/soak.md");
        boolean quick = false;
        int minutes = 60;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--out" -> out = Path.of(args[++i]);
                case "--quick" -> quick = true;
                case "--minutes" -> minutes = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println("soak bench: unknown option '" + args[i] + "'");
                    System.exit(2);
                }
            }
        }
        if (quick && minutes == 60) {
            minutes = 3;
        }
        MarkdownReport.write(out, "Soak",
                "Produced by `./tandem bench soak`: two nodes under steady registrations, queue calls and callers "
                        + "who abandon or vanish; goals from issue 21 (heap after GC, threads, open sockets, RTP ports "
                        + "and Redis memory stay flat; nothing leaks when calls end abnormally).",
                List.of(new SoakSection(minutes)), quick);
        System.exit(0);
    }
}
