package io.tandem.bench.phone;

import io.tandem.agent.engine.EngineKind;
import io.tandem.bench.BenchSection;
import io.tandem.telephony.media.AudioFrames;
import io.tandem.telephony.testing.TestPhone;
import io.tandem.telephony.ua.Call;
import io.tandem.telephony.ua.CallState;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Mouth-to-recorder latency of each engine: tone bursts with a sharp onset from a caller, through the node, to the
 * engine's recording; each onset found in the recording is set against the time its first packet left the caller.
 */
final class LatencySection implements BenchSection {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final long BURST_PERIOD_NANOS = ToneBursts.PERIOD_FRAMES * RecordingClock.NANOS_PER_FRAME;

    private final PhoneRig rig;
    private final List<EngineKind> engines;
    private final String pjsua2Home;
    private final TestPhone caller;

    LatencySection(PhoneRig rig, List<EngineKind> engines, String pjsua2Home, TestPhone caller) {
        this.rig = rig;
        this.engines = engines;
        this.pjsua2Home = pjsua2Home;
        this.caller = caller;
    }

    @Override
    public String title() {
        return "Audio latency: caller's tone onset to the agent's recording";
    }

    /** What one engine gave: latencies in ms, and the bursts sent whose onset was not found. */
    record Result(double[] millis, int missed, String clock) {
    }

    @Override
    public String run(boolean quick) throws Exception {
        int calls = quick ? 1 : 3;
        int bursts = quick ? 10 : 20;
        String loadBefore = LoadAverage.now();
        StringBuilder md = new StringBuilder();
        md.append("A caller (our user agent, demo extension on the node, G.711 µ-law, 20 ms packets) dials the agent's "
                + "extension through the node; the engine answers at once in file mode (pjsua2: null sound device, "
                + "conference bridge at 8 kHz, WAV recorder port; Java: telephony's `WavRecorder` behind its jitter "
                + "buffer). One second into the call the caller sends ").append(bursts).append(" bursts of 1 kHz ("
                + ToneBursts.BURST_FRAMES * AudioFrames.FRAME_MILLIS + " ms, every "
                + ToneBursts.PERIOD_FRAMES * AudioFrames.FRAME_MILLIS + " ms), each starting on the first sample of "
                + "a frame at the cosine's peak; ").append(calls).append(" call(s) per engine, one at a time. *Sent* "
                + "is when the caller's media clock read the burst's first frame, which it packetises and sends at "
                + "once (`System.nanoTime`, CLOCK_MONOTONIC, shared by every process here). *Received* is when the "
                + "frame holding the onset was handed to the engine's recorder, plus the onset's place in that frame: "
                + "Java engine: the time its media clock wrote that frame to the recorder (a wrapper notes each "
                + "frame); pjsua2: PJSIP's WAV writer hands 12 frames at a time to stdio on the bridge tick of the "
                + "frame that no longer fits its buffer, and stdio's 4,096-byte writes reach the file inside those "
                + "hand-overs, so a watcher polling the file's size every 0.5 ms timestamps those ticks (`FlushWatch`) "
                + "and each frame is placed 20 ms per frame before the next such tick (±1 tick if the bridge ran a "
                + "late tick in between). The onset "
                + "is the first sample above 4000 after 50 ms below 1000 in the WAV.\n\n"
                + "The figure therefore holds: the caller's send, loopback UDP to the node, the node's RTP relay "
                + "(packets forwarded, no jitter buffer, no transcoding), loopback UDP to the engine, the engine's "
                + "jitter buffer and its playout clock (the Java engine's adaptive buffer, 40 ms minimum; pjsua2's "
                + "adaptive jitter buffer and the conference bridge's tick). It leaves out what a person adds at both "
                + "ends: the caller's capture and 20 ms packetisation, and the agent's sound card output buffer. "
                + "Load average at the start: ").append(loadBefore).append(".\n\n");
        md.append("| engine | samples | missed | min ms | p50 ms | p90 ms | max ms | mean ms |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (EngineKind kind : engines) {
            Result r = measure(kind, calls, bursts);
            double[] v = r.millis().clone();
            Arrays.sort(v);
            if (v.length == 0) {
                md.append("| ").append(kind.id()).append(" | 0 | ").append(r.missed()).append(" | | | | | |\n");
                continue;
            }
            md.append(String.format("| %s | %d | %d | %.1f | %.1f | %.1f | %.1f | %.1f |%n", kind.id(), v.length,
                    r.missed(), v[0], percentile(v, 50), percentile(v, 90), v[v.length - 1],
                    Arrays.stream(v).average().orElse(0)));
        }
        md.append("\nLoad average at the end: ").append(LoadAverage.now()).append(".\n");
        return md.toString();
    }

    static double percentile(double[] sorted, int p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private Result measure(EngineKind kind, int calls, int bursts) throws Exception {
        String extension = kind == EngineKind.JAVA ? "1003" : "1004";
        List<Double> millis = new ArrayList<>();
        int missed = 0;
        String clock = "";
        try (EngineProcess engine = EngineProcess.start("latency-" + kind.id(),
                rig.dir().resolve("latency-" + kind.id()), kind, pjsua2Home, List.of("--extension", extension,
                        "--password", PhoneRig.PASSWORD, "--registrar", rig.registrar(), "--latency"), Map.of())) {
            engine.await("registered", WAIT);
            for (int c = 1; c <= calls; c++) {
                ToneBursts voice = new ToneBursts(bursts);
                Call call = caller.ua.call(rig.extensionUri(extension));
                call.setSource(voice);
                engine.await("connected " + c, WAIT);
                caller.awaitState(call, CallState.CONNECTED);
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (!voice.done() && System.nanoTime() < deadline) {
                    Thread.sleep(100); // the bursts play in real time: nothing to wait on but the clock
                }
                call.hangup();
                engine.await("ended " + c, WAIT);
                String line = engine.await("onsets " + c + " ", WAIT);
                String[] words = line.split(" ");
                if (words[2].equals("failed")) {
                    throw new IOException(kind.id() + " call " + c + ": " + line);
                }
                clock = words[2];
                long[] onsets = Arrays.stream(words, 3, words.length).mapToLong(Long::parseLong).toArray();
                for (long sent : voice.sent()) {
                    // A frame of slack below: a clock placed a tick early shows as a small figure, not a miss.
                    long match = Arrays.stream(onsets).filter(o -> o >= sent - RecordingClock.NANOS_PER_FRAME
                            && o < sent + BURST_PERIOD_NANOS).findFirst().orElse(-1);
                    if (match < 0) {
                        missed++;
                    } else {
                        millis.add((match - sent) / 1e6);
                    }
                }
            }
        }
        return new Result(millis.stream().mapToDouble(Double::doubleValue).toArray(), missed, clock);
    }
}
