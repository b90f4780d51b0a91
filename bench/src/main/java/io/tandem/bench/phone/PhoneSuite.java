package io.tandem.bench.phone;

import io.tandem.agent.engine.EngineKind;
import io.tandem.bench.BenchSection;
import io.tandem.telephony.testing.TestPhone;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The phone bench's rig (node, callers) and its sections, in the order they run. */
public final class PhoneSuite implements AutoCloseable {
    private final PhoneRig rig;
    private final List<EngineKind> engines;
    private final String pjsua2Home;
    private final int cycles;
    private final List<TestPhone> callers = new ArrayList<>();
    private final TestPhone latencyCaller;
    private final String loadAtStart = LoadAverage.now();

    private PhoneSuite(PhoneRig rig, List<EngineKind> engines, String pjsua2Home, int cycles)
            throws IOException, InterruptedException {
        this.rig = rig;
        this.engines = engines;
        this.pjsua2Home = pjsua2Home;
        this.cycles = cycles;
        for (int i = 0; i < CallCostSection.CALLS; i++) {
            callers.add(rig.caller(Integer.toString(1010 + i)));
        }
        latencyCaller = rig.caller("1019");
    }

    /** Starts Redis, the node and the callers in {@code dir}. */
    public static PhoneSuite start(Path dir, Path nodeJar, List<EngineKind> engines, String pjsua2Home, int cycles)
            throws IOException, InterruptedException {
        PhoneRig rig = PhoneRig.start(dir, nodeJar);
        try {
            return new PhoneSuite(rig, engines, pjsua2Home, cycles);
        } catch (IOException | InterruptedException | RuntimeException | AssertionError e) {
            rig.close();
            throw e;
        }
    }

    public String intro() {
        String pjsua2 = engines.contains(EngineKind.PJSUA2) ? "pjsua2 from `" + pjsua2Home + "` (PJSIP 2.17, built "
                + "by `agent-client/src/native/build-pjsua2.sh`)" : "**pjsua2 could not be built here: Java engine only**";
        return "Produced by `./tandem bench phone`: the softphone's engines behind `PhoneEngine` — " + pjsua2
                + " and the pure-Java engine on `telephony` — each in its own JVM, against one Tandem node "
                + "(`backend/target/tandem-node.jar`, own JVM, demo tenant) on a redis-server, all on loopback; "
                + "goals from issue 20. Load average (1/5/15 min) when the bench started: " + loadAtStart
                + "; the machine's 2 cores are shared with other engineers' builds and tests. Work files (engine "
                + "and node logs, recordings) in `" + rig.dir() + "`.";
    }

    public List<BenchSection> sections() {
        return List.of(new CallCostSection(rig, engines, pjsua2Home, callers),
                new LatencySection(rig, engines, pjsua2Home, latencyCaller),
                new CyclesSection(rig, engines, pjsua2Home, cycles));
    }

    @Override
    public void close() {
        rig.close();
    }
}
