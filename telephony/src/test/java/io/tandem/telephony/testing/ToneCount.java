package io.tandem.telephony.testing;

import io.tandem.telephony.media.AudioFrames;
import io.tandem.telephony.media.Goertzel;
import io.tandem.telephony.media.MediaSink;
import io.tandem.telephony.media.WavReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/** Counts 20 ms frames in which one frequency dominates (Goertzel): as a live sink, or over a recorded WAV. */
public final class ToneCount implements MediaSink {
    private final double frequency;
    private final AtomicLong frames = new AtomicLong();
    private final AtomicLong toneFrames = new AtomicLong();

    public ToneCount(double frequency) {
        this.frequency = frequency;
    }

    @Override
    public void write(short[] frame) {
        frames.incrementAndGet();
        if (dominates(frame, 0, frequency)) {
            toneFrames.incrementAndGet();
        }
    }

    public long frames() {
        return frames.get();
    }

    public long toneFrames() {
        return toneFrames.get();
    }

    private static boolean dominates(short[] samples, int offset, double frequency) {
        return Goertzel.toneRatio(samples, offset, AudioFrames.SAMPLES_PER_FRAME, frequency, AudioFrames.SAMPLE_RATE) > 0.5;
    }

    /** Frames of a WAV file in which {@code frequency} dominates. */
    public static long inWav(Path wav, double frequency) throws IOException {
        try (WavReader reader = WavReader.open(wav)) {
            short[] samples = reader.readAll(AudioFrames.SAMPLE_RATE * 600);
            long count = 0;
            for (int off = 0; off + AudioFrames.SAMPLES_PER_FRAME <= samples.length; off += AudioFrames.SAMPLES_PER_FRAME) {
                if (dominates(samples, off, frequency)) {
                    count++;
                }
            }
            return count;
        }
    }
}
