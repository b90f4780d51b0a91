package io.tandem.telephony.rtp;

import io.tandem.telephony.media.AudioFrames;
import io.tandem.telephony.media.Goertzel;
import io.tandem.telephony.media.MediaSink;

import java.util.concurrent.atomic.AtomicInteger;

/** A sink that listens for one tone with Goertzel and counts tone, silent and other frames. */
final class ToneSink implements MediaSink {
    private final double frequency;
    final AtomicInteger toneFrames = new AtomicInteger();
    final AtomicInteger silentFrames = new AtomicInteger();
    final AtomicInteger otherFrames = new AtomicInteger();
    /** Silent frames in a row, ended by any audible frame. */
    final AtomicInteger silentRun = new AtomicInteger();

    ToneSink(double frequency) {
        this.frequency = frequency;
    }

    @Override
    public void write(short[] frame) {
        int n = AudioFrames.SAMPLES_PER_FRAME;
        double energy = Goertzel.energy(frame, 0, n);
        if (energy / n < 100) { // RMS below 10: silence
            silentFrames.incrementAndGet();
            silentRun.incrementAndGet();
            return;
        }
        silentRun.set(0);
        if (Goertzel.toneRatio(frame, 0, n, frequency, AudioFrames.SAMPLE_RATE) > 0.6) {
            toneFrames.incrementAndGet();
        } else {
            otherFrames.incrementAndGet();
        }
    }

    void reset() {
        toneFrames.set(0);
        silentFrames.set(0);
        otherFrames.set(0);
    }
}
