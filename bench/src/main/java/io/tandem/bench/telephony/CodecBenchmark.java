package io.tandem.bench.telephony;

import io.tandem.bench.BenchSection;
import io.tandem.bench.JmhSection;
import io.tandem.telephony.codec.AudioCodec;
import io.tandem.telephony.codec.CodecSpec;
import io.tandem.telephony.codec.Codecs;
import io.tandem.telephony.media.AudioFrames;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.results.RunResult;

import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * What one 20 ms frame costs to encode and decode (one call leg, both directions) for each
 * codec we offer. The signal is a second of speech-like audio (two formant-ish tones with a
 * syllable-rate envelope), cycled frame by frame so stateful codecs see varying input.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CodecBenchmark {
    private static final int FRAMES = 50;
    private static final long FRAME_NANOS = 20_000_000L;

    @Param({"PCMU", "PCMA", "G722", "opus"})
    public String codec;

    private AudioCodec instance;
    private short[][] frames;
    private byte[] payload;
    private short[] decoded;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        CodecSpec spec = Codecs.supported().stream()
                .filter(s -> s.encodingName().equalsIgnoreCase(codec))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no such codec " + codec));
        instance = Codecs.create(spec);
        payload = new byte[instance.maxPayloadSize()];
        decoded = AudioFrames.newFrame();
        frames = new short[FRAMES][AudioFrames.SAMPLES_PER_FRAME];
        int n = 0;
        for (short[] frame : frames) {
            for (int i = 0; i < frame.length; i++, n++) {
                double t = (double) n / AudioFrames.SAMPLE_RATE;
                double envelope = 0.5 + 0.5 * Math.sin(2 * Math.PI * 4 * t);
                double v = 9000 * Math.sin(2 * Math.PI * 310 * t) + 4000 * Math.sin(2 * Math.PI * 1270 * t)
                        + 1500 * Math.sin(2 * Math.PI * 2450 * t);
                frame[i] = (short) Math.round(envelope * v);
            }
        }
    }

    /** Encode one frame and decode the payload: the per-leg, per-20 ms codec work. */
    @Benchmark
    public short encodeDecode() {
        short[] frame = frames[next];
        next = next + 1 == FRAMES ? 0 : next + 1;
        int bytes = instance.encode(frame, payload, 0);
        instance.decode(payload, 0, bytes, decoded);
        return decoded[AudioFrames.SAMPLES_PER_FRAME - 1];
    }

    /** The report section: cost per frame, and how many legs one core could code in real time. */
    public static BenchSection section() {
        return new JmhSection("Codec cost per 20 ms frame", CodecBenchmark.class, CodecBenchmark::verdict);
    }

    static String verdict(Collection<RunResult> results) {
        StringBuilder line = new StringBuilder("One core codes, in real time, about ");
        results.stream()
                .sorted(Comparator.comparingDouble(r -> r.getPrimaryResult().getScore()))
                .forEach(r -> {
                    double nanos = r.getPrimaryResult().getScore();
                    long legs = nanos > 0 ? (long) (FRAME_NANOS / nanos) : 0;
                    line.append(String.format(Locale.ROOT, "%,d %s", legs, r.getParams().getParam("codec")))
                            .append(", ");
                });
        line.setLength(Math.max(0, line.length() - 2));
        line.append(" legs (encode + decode every 20 ms); a node's media capacity is bounded by its")
                .append(" slowest negotiated codec, so Opus-heavy traffic (mobile apps) sizes the CPU.");
        return line.toString();
    }
}
