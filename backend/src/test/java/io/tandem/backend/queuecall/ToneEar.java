package io.tandem.backend.queuecall;

import io.tandem.telephony.media.AudioFrames;
import io.tandem.telephony.media.Goertzel;
import io.tandem.telephony.media.MediaSink;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counts, per frequency, the frames in which that tone is clearly present: more than a fifth of the frame's energy
 * at it. Two tones mixed at equal level give about half each, so an ear hears every voice of a three-way mix; a
 * tone that is not there gives nearly nothing (the tests' frequencies are 300 Hz and more apart).
 */
final class ToneEar implements MediaSink {

    private static final double PRESENT = 0.2;
    private final double[] frequencies;
    private final AtomicLongArray frames;
    private final AtomicLongArray total = new AtomicLongArray(1);

    ToneEar(double... frequencies) {
        this.frequencies = frequencies.clone();
        this.frames = new AtomicLongArray(frequencies.length);
    }

    @Override
    public void write(short[] frame) {
        int n = AudioFrames.SAMPLES_PER_FRAME;
        for (int i = 0; i < frequencies.length; i++) {
            if (Goertzel.toneRatio(frame, 0, n, frequencies[i], AudioFrames.SAMPLE_RATE) > PRESENT) {
                frames.incrementAndGet(i);
            }
        }
        total.incrementAndGet(0);
    }

    /** Frames so far in which {@code frequency} (one this ear listens for) was present. */
    long heard(double frequency) {
        for (int i = 0; i < frequencies.length; i++) {
            if (frequencies[i] == frequency) {
                return frames.get(i);
            }
        }
        throw new IllegalArgumentException("this ear does not listen for " + frequency + " Hz");
    }

    /** Frames received so far. */
    long frames() {
        return total.get(0);
    }
}
