package io.tandem.backend.queuecall;

import io.tandem.telephony.media.AudioFrames;
import io.tandem.telephony.media.Goertzel;
import io.tandem.telephony.media.MediaSink;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Counts, per frequency, the frames in which that tone is clearly present: more than a fifth of the frame's energy
 * at it. Two tones mixed at equal level give about half each, so an ear hears every voice of a three-way mix; a
 * tone that is not there gives nearly nothing (the tests' frequencies are 300 Hz and more apart).
 *
 * <p>A tone can also serve as a marker in the stream: the counts as they stood when it was first heard are kept, so
 * a test can count what was heard in the frames that came after something it knows was sent later
 * ({@link #heardSince}), whatever the frames still buffered on the way (jitter buffer, sockets) when it asked.
 */
final class ToneEar implements MediaSink {

    private static final double PRESENT = 0.2;
    private final double[] frequencies;
    private final AtomicLongArray frames;
    private final AtomicLongArray total = new AtomicLongArray(1);
    /** Per frequency: every frequency's count just before the first frame it was present in; null until then. */
    private final AtomicReferenceArray<long[]> atFirst;
    /** The media thread's scratch: which frequencies the current frame holds. */
    private final boolean[] present;

    ToneEar(double... frequencies) {
        this.frequencies = frequencies.clone();
        this.frames = new AtomicLongArray(frequencies.length);
        this.atFirst = new AtomicReferenceArray<>(frequencies.length);
        this.present = new boolean[frequencies.length];
    }

    @Override
    public void write(short[] frame) {
        int n = AudioFrames.SAMPLES_PER_FRAME;
        for (int i = 0; i < frequencies.length; i++) {
            present[i] = Goertzel.toneRatio(frame, 0, n, frequencies[i], AudioFrames.SAMPLE_RATE) > PRESENT;
        }
        for (int i = 0; i < frequencies.length; i++) {
            if (present[i] && atFirst.get(i) == null) {
                long[] counts = new long[frequencies.length];
                for (int j = 0; j < counts.length; j++) {
                    counts[j] = frames.get(j);
                }
                atFirst.set(i, counts);
            }
        }
        for (int i = 0; i < frequencies.length; i++) {
            if (present[i]) {
                frames.incrementAndGet(i);
            }
        }
        total.incrementAndGet(0);
    }

    /** Frames so far in which {@code frequency} (one this ear listens for) was present. */
    long heard(double frequency) {
        return frames.get(index(frequency));
    }

    /**
     * Frames in which {@code tone} was present from the first frame that held {@code marker} on (that frame
     * included); -1 while {@code marker} was never heard.
     */
    long heardSince(double marker, double tone) {
        long[] counts = atFirst.get(index(marker));
        return counts == null ? -1 : heard(tone) - counts[index(tone)];
    }

    private int index(double frequency) {
        for (int i = 0; i < frequencies.length; i++) {
            if (frequencies[i] == frequency) {
                return i;
            }
        }
        throw new IllegalArgumentException("this ear does not listen for " + frequency + " Hz");
    }

    /** Frames received so far. */
    long frames() {
        return total.get(0);
    }
}
