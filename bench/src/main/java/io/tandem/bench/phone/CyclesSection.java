package io.tandem.bench.phone;

import io.tandem.agent.engine.EngineKind;
import io.tandem.bench.BenchSection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Issue 20's open question: the 1,000-cycle run showed native memory growing by ~12 KB a cycle. Runs of different
 * lengths, and one with glibc's malloc arenas capped, tell a leak (grows by the same amount per cycle however long the
 * run) from the allocator (grows, then levels off; or shrinks with fewer arenas).
 */
final class CyclesSection implements BenchSection {
    private static final Duration RUN_WAIT = Duration.ofMinutes(60);

    private final PhoneRig rig;
    private final List<EngineKind> engines;
    private final String pjsua2Home;
    private final int longRun;

    CyclesSection(PhoneRig rig, List<EngineKind> engines, String pjsua2Home, int longRun) {
        this.rig = rig;
        this.engines = engines;
        this.pjsua2Home = pjsua2Home;
        this.longRun = longRun;
    }

    @Override
    public String title() {
        return "Native memory over register / call / hang-up cycles";
    }

    /** One run: its name, length, environment, and memory after the warm-up and every checkpoint. */
    record Run(String name, EngineKind kind, int cycles, Map<String, String> env, String extension) {
    }

    @Override
    public String run(boolean quick) throws Exception {
        int shortRun = Math.max(EngineCycles.WARM_UP * 4, (quick ? Math.min(60, longRun) : longRun) / 3);
        int longCycles = quick ? Math.min(60, longRun) : longRun;
        List<Run> runs = new ArrayList<>();
        EngineKind main = engines.contains(EngineKind.PJSUA2) ? EngineKind.PJSUA2 : EngineKind.JAVA;
        runs.add(new Run(main.id() + ", short", main, shortRun, Map.of(), "1005"));
        runs.add(new Run(main.id() + ", long", main, longCycles, Map.of(), "1006"));
        runs.add(new Run(main.id() + ", long, MALLOC_ARENA_MAX=2", main, longCycles,
                Map.of("MALLOC_ARENA_MAX", "2"), "1007"));
        if (main != EngineKind.JAVA) {
            runs.add(new Run("java, short (reference)", EngineKind.JAVA, shortRun, Map.of(), "1008"));
        }
        StringBuilder md = new StringBuilder();
        md.append("Each run is a fresh JVM (`EngineHost --cycles N`) doing what agent-client's `EngineCyclesIT` does, "
                + "longer: per cycle a new engine (pjsua2: `libCreate` … `libDestroy`) registers on the node, takes a "
                + "call from a caller in the same process (straight to the phone's contact), the caller hangs up, the "
                + "engine closes. After cycle ").append(EngineCycles.WARM_UP).append(" (warm-up) and at "
                + "checkpoints, after `System.gc()`, the process reads its own memory; *native* = VmRSS − heap "
                + "committed − non-heap committed. Growth per cycle is taken after the warm-up, over the whole run "
                + "and over its second half alone: a leak grows the same in both, an allocator settling grows less "
                + "in the second half. Load average at the start: ").append(LoadAverage.now()).append(".\n\n");
        md.append("| run | cycles | failed | native after warm-up MB | at half MB | at end MB | KB / cycle (all) "
                + "| KB / cycle (2nd half) | non-heap warm-up → end MB | threads warm-up → end | RSS at end MB |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|---|---|---:|\n");
        StringBuilder curves = new StringBuilder();
        List<String> verdicts = new ArrayList<>();
        for (Run run : runs) {
            System.out.println("   cycles: " + run.name());
            TreeMap<Integer, ProcessMemory> points = new TreeMap<>();
            int failed = cycles(run, points);
            ProcessMemory warm = points.firstEntry().getValue();
            Map.Entry<Integer, ProcessMemory> end = points.lastEntry();
            Map.Entry<Integer, ProcessMemory> half = points.floorEntry(Math.max(EngineCycles.WARM_UP,
                    run.cycles() / 2));
            double all = (end.getValue().nativeKb() - warm.nativeKb()) / (double) Math.max(1,
                    end.getKey() - points.firstKey());
            double second = (end.getValue().nativeKb() - half.getValue().nativeKb()) / (double) Math.max(1,
                    end.getKey() - half.getKey());
            md.append(String.format(
                    "| %s | %d | %d | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f → %.1f | %d → %d | %.1f |%n",
                    run.name(), end.getKey(), failed, warm.nativeKb() / 1024.0, half.getValue().nativeKb() / 1024.0,
                    end.getValue().nativeKb() / 1024.0, all, second, warm.nonHeapCommittedKb() / 1024.0,
                    end.getValue().nonHeapCommittedKb() / 1024.0, warm.threads(), end.getValue().threads(),
                    end.getValue().rssKb() / 1024.0));
            verdicts.add(run.name() + ": " + (second < all / 4 ? "levels off" : "keeps growing"));
            curves.append("- ").append(run.name()).append(": ");
            points.forEach((cycle, m) -> curves.append(cycle).append(" → ")
                    .append(String.format("%.1f", m.nativeKb() / 1024.0)).append(", "));
            curves.setLength(curves.length() - 2);
            curves.append(" MB\n");
        }
        md.append("\nNative memory at each checkpoint (cycle → MB):\n\n").append(curves);
        md.append("\nReading: a run whose second half grows by less than a quarter of its whole-run rate per cycle has "
                + "levelled off (").append(String.join("; ", verdicts)).append(").\n");
        md.append("\nLoad average at the end: ").append(LoadAverage.now()).append(".\n");
        return md.toString();
    }

    private int cycles(Run run, TreeMap<Integer, ProcessMemory> points) throws Exception {
        int every = Math.max(5, run.cycles() / 10);
        String name = "cycles-" + run.extension();
        try (EngineProcess engine = EngineProcess.start(name, rig.dir().resolve(name), run.kind(), pjsua2Home,
                List.of("--extension", run.extension(), "--password", PhoneRig.PASSWORD, "--registrar",
                        rig.registrar(), "--cycles", Integer.toString(run.cycles()), "--every",
                        Integer.toString(every)), run.env())) {
            while (true) {
                String line = engine.await("", RUN_WAIT);
                String[] words = line.split(" ", 3);
                switch (words[0]) {
                    case "cycle" -> points.put(Integer.parseInt(words[1]), ProcessMemory.parse(words[2]));
                    case "done" -> {
                        return Integer.parseInt(words[1]);
                    }
                    default -> {
                        // "failed N ...": counted by the host in "done"
                    }
                }
            }
        }
    }
}
