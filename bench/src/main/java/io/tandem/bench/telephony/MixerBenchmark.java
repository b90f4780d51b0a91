package io.tandem.bench.telephony;

import io.tandem.bench.BenchSection;
import io.tandem.bench.JmhSection;
import io.tandem.telephony.media.AudioFrames;
import io.tandem.telephony.media.SineSource;
import io.tandem.telephony.mixer.ConferenceMixer;
import io.tandem.telephony.mixer.Party;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.results.RunResult;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The cost of one 20 ms conference tick for N parties, end to end as the RTP engine drives
 * it: every party writes its input frame, the mixer ticks, every party reads its mix. One
 * speaker in ten is muted and one party whispers, so every mix path is on the measured path.
 *
 * <p>Single-threaded, so "ns per party per tick" is one core's work and
 * "parties per core = 20 ms / that".
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MixerBenchmark {
    /** The goal from the telephony issue. */
    static final double GOAL_PARTIES_PER_CORE = 2000;
    private static final double TICK_NANOS = AudioFrames.FRAME_MILLIS * 1_000_000.0;

    @Param({"3", "10", "50", "200"})
    public int parties;

    private ConferenceMixer mixer;
    private Party[] members;
    private short[][] voices;
    private short[] heard;

    @Setup
    public void setUp() {
        mixer = new ConferenceMixer("bench", Math.max(parties, 1));
        members = new Party[parties];
        voices = new short[parties][];
        for (int i = 0; i < parties; i++) {
            members[i] = mixer.join("p" + i);
            voices[i] = AudioFrames.newFrame();
            new SineSource(300 + 37 * i % 3000, 4000).read(voices[i]);
            if (i % 10 == 9) {
                members[i].setMuted(true);
            }
        }
        if (parties >= 3) {
            members[parties - 1].whisperTo(members[0]);
        }
        heard = AudioFrames.newFrame();
    }

    @TearDown
    public void tearDown() {
        mixer.close();
    }

    /** One tick with every party sending and receiving. */
    @Benchmark
    public short tick() {
        for (int i = 0; i < members.length; i++) {
            members[i].input().write(voices[i]);
        }
        mixer.tick();
        short sink = 0;
        for (Party p : members) {
            p.output().read(heard);
            sink ^= heard[7];
        }
        return sink;
    }

    /** The report section for {@code ./tandem bench telephony}. */
    public static BenchSection section() {
        return new JmhSection("Conference mixer: cost of one 20 ms tick", MixerBenchmark.class, MixerBenchmark::verdict);
    }

    /** Turns the per-tick scores into ns per party and parties per core, and compares with the goal. */
    static String verdict(Collection<RunResult> results) {
        List<RunResult> sorted = results.stream()
                .sorted(Comparator.comparingInt(r -> Integer.parseInt(r.getParams().getParam("parties"))))
                .toList();
        if (sorted.isEmpty()) {
            return "No mixer results.";
        }
        StringBuilder md = new StringBuilder();
        md.append("| parties | ns per tick | ns per party per tick | parties per core (20 ms / that) |\n");
        md.append("|---:|---:|---:|---:|\n");
        double atLargest = 0;
        int largest = 0;
        for (RunResult r : sorted) {
            int n = Integer.parseInt(r.getParams().getParam("parties"));
            double nsPerTick = toNanos(r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreUnit());
            double perParty = nsPerTick / n;
            double perCore = TICK_NANOS / perParty;
            md.append(String.format(Locale.ROOT, "| %d | %.0f | %.1f | %.0f |%n", n, nsPerTick, perParty, perCore));
            atLargest = perCore;
            largest = n;
        }
        md.append('\n').append(String.format(Locale.ROOT,
                "**Verdict:** at %d parties one core mixes %.0f parties within each 20 ms tick; goal ≥ %.0f → %s.",
                largest, atLargest, GOAL_PARTIES_PER_CORE, atLargest >= GOAL_PARTIES_PER_CORE ? "MET" : "NOT MET"));
        return md.toString();
    }

    private static double toNanos(double score, String unit) {
        return switch (unit) {
            case "ns/op" -> score;
            case "us/op" -> score * 1e3;
            case "ms/op" -> score * 1e6;
            case "s/op" -> score * 1e9;
            default -> throw new IllegalStateException("unexpected JMH unit " + unit);
        };
    }
}
