package io.tandem.bench;

import io.tandem.bench.panel.PanelLatency;
import io.tandem.bench.panel.WallboardLatency;
import java.nio.file.Path;
import java.util.List;

/** {@code ./tandem bench panel}: the supervisor panel in Debian's headless Chromium against a real node. */
public final class PanelBench {

    private PanelBench() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of("bench/results/panel.md");
        boolean quick = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--out" -> out = Path.of(args[++i]);
                case "--quick" -> quick = true;
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        MarkdownReport.write(out, "Supervisor panel", "Two nodes (in this process, on the first one's embedded"
                + " Redis), 500 agents logged in, a page of the panel open in Debian's headless Chromium, served by"
                + " the first node; agents' states are changed over the REST API of either node at a steady rate and"
                + " the page notes when each change shows: in the agent grid's row, then on the wallboard's tile."
                + " Reproduce with `./tandem bench panel`.", List.of(new PanelLatency(), new WallboardLatency()),
                quick);
        System.exit(0); // the node's threads are not daemons
    }
}
