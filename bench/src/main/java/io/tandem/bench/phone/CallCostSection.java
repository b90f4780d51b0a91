package io.tandem.bench.phone;

import io.tandem.agent.engine.EngineKind;
import io.tandem.bench.BenchSection;
import io.tandem.telephony.testing.TestPhone;
import io.tandem.telephony.ua.Call;
import io.tandem.telephony.ua.CallState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * CPU and memory of each engine with 0, 1 and {@value #CALLS} calls up: the engine alone in its JVM, the callers
 * and the node elsewhere; each state held for a steady window.
 */
final class CallCostSection implements BenchSection {
    static final int CALLS = 4;
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final PhoneRig rig;
    private final List<EngineKind> engines;
    private final String pjsua2Home;
    private final List<TestPhone> callers;

    CallCostSection(PhoneRig rig, List<EngineKind> engines, String pjsua2Home, List<TestPhone> callers) {
        this.rig = rig;
        this.engines = engines;
        this.pjsua2Home = pjsua2Home;
        this.callers = callers;
    }

    @Override
    public String title() {
        return "CPU and memory per call";
    }

    /** One steady window: CPU of the engine's process and of the node, and the engine's memory at its end. */
    record Window(double enginePercent, double nodePercent, ProcessMemory memory) {
    }

    @Override
    public String run(boolean quick) throws Exception {
        Duration window = Duration.ofSeconds(quick ? 5 : 30);
        String loadBefore = LoadAverage.now();
        StringBuilder md = new StringBuilder();
        md.append("Each engine runs alone in its own JVM (`EngineHost`, `" + String.join(" ", EngineProcess.JVM_OPTIONS)
                + "`, G1: a fixed heap touched at start, so that the heap's committed memory is all resident and the "
                + "rest of the resident set is what lives outside it) as a registered agent (auto-answer, file mode: "
                + "the caller recorded to WAV, silence "
                + "sent back; pjsua2 on its null sound device with its WAV recorder port, the Java engine with "
                + "telephony's `WavRecorder`). Callers (our user agent in the bench JVM, demo extensions registered on "
                + "the node) dial the agent's extension through the node (B2BUA, RTP relay), G.711 µ-law, each "
                + "sending a 1 kHz tone. Each state is held ").append(window.toSeconds()).append(" s after a "
                + "settling pause; CPU is the engine process's user + system time from `/proc/<pid>/stat` over the "
                + "window, in % of one core; memory is read by the process itself at the window's end: resident "
                + "(VmRSS), Java heap used / committed, and native = resident − heap committed − non-heap committed "
                + "(metaspace, code cache): PJSIP, JNI, thread stacks, malloc. *Per call* is (").append(CALLS)
                .append(" calls − registered idle) / ").append(CALLS).append(". Load average at the start: ")
                .append(loadBefore).append(".\n\n");
        md.append("| engine | state | engine CPU % | node CPU % | RSS MB | heap used / committed MB | native MB "
                + "| threads |\n|---|---|---:|---:|---:|---:|---:|---:|\n");
        StringBuilder perCall = new StringBuilder("| engine | CPU per call (% of a core) | RSS per call (MB) "
                + "| native per call (MB) |\n|---|---:|---:|---:|\n");
        for (EngineKind kind : engines) {
            List<Window> windows = measure(kind, window);
            String[] states = {"registered, idle", "1 call", CALLS + " calls"};
            for (int i = 0; i < windows.size(); i++) {
                Window w = windows.get(i);
                ProcessMemory m = w.memory();
                md.append(String.format("| %s | %s | %.1f | %.1f | %.1f | %.1f / %.1f | %.1f | %d |%n", kind.id(),
                        states[i], w.enginePercent(), w.nodePercent(), mb(m.rssKb()), mb(m.heapUsedKb()),
                        mb(m.heapCommittedKb()), mb(m.nativeKb()), m.threads()));
            }
            Window idle = windows.get(0);
            Window full = windows.get(2);
            perCall.append(String.format("| %s | %.2f | %.2f | %.2f |%n", kind.id(),
                    (full.enginePercent() - idle.enginePercent()) / CALLS,
                    mb(full.memory().rssKb() - idle.memory().rssKb()) / CALLS,
                    mb(full.memory().nativeKb() - idle.memory().nativeKb()) / CALLS));
        }
        md.append('\n').append(perCall).append('\n');
        md.append("Load average at the end: ").append(LoadAverage.now()).append(". Node CPU is the relay of the same "
                + "calls (two legs each), for scale. The Java heap grows and shrinks with the collector, so RSS per "
                + "call is indicative; native per call is the figure to compare across engines.\n");
        return md.toString();
    }

    private static double mb(long kb) {
        return kb / 1024.0;
    }

    private List<Window> measure(EngineKind kind, Duration window) throws Exception {
        String extension = kind == EngineKind.JAVA ? "1001" : "1002";
        List<Window> windows = new ArrayList<>();
        try (EngineProcess engine = EngineProcess.start("cost-" + kind.id(), rig.dir().resolve("cost-" + kind.id()),
                kind, pjsua2Home, List.of("--extension", extension, "--password", PhoneRig.PASSWORD, "--registrar",
                        rig.registrar()), Map.of())) {
            engine.await("registered", WAIT);
            settle();
            windows.add(window(engine, window));
            List<Call> calls = new ArrayList<>();
            for (int i = 0; i < CALLS; i++) {
                TestPhone caller = callers.get(i);
                Call call = caller.dial(rig.extensionUri(extension));
                calls.add(call);
                engine.await("connected", WAIT);
                caller.awaitState(call, CallState.CONNECTED);
                if (i == 0 || i == CALLS - 1) {
                    settle();
                    windows.add(window(engine, window));
                }
            }
            for (Call call : calls) {
                call.hangup();
                engine.await("ended", WAIT);
            }
        }
        return windows;
    }

    /** Lets start-up work (JIT, the first GCs, PJSIP's first allocations) pass before a window opens. */
    private static void settle() throws InterruptedException {
        Thread.sleep(5_000); // a measuring pause, not a synchronisation: nothing to wait on
    }

    private Window window(EngineProcess engine, Duration window) throws Exception {
        long engineBefore = engine.cpuTicks();
        long nodeBefore = rig.nodeCpuTicks();
        long start = System.nanoTime();
        Thread.sleep(window.toMillis()); // the measuring window itself
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        double engineCpu = (engine.cpuTicks() - engineBefore) * 10.0 * 100 / elapsedMs;
        double nodeCpu = (rig.nodeCpuTicks() - nodeBefore) * 10.0 * 100 / elapsedMs;
        return new Window(engineCpu, nodeCpu, engine.memory());
    }
}
