package io.tandem.telephony.ua;

import io.tandem.telephony.media.AudioFrames;
import io.tandem.telephony.media.Goertzel;
import io.tandem.telephony.media.MediaSink;

import java.util.concurrent.atomic.AtomicLong;

/** A speaker that listens for one frequency: counts frames where it dominates (Goertzel). */
final class ToneMeter implements MediaSink {
    private final double frequency;
    private final AtomicLong frames = new AtomicLong();
    private final AtomicLong toneFrames = new AtomicLong();

    ToneMeter(double frequency) {
        this.frequency = frequency;
    }

    @Override
    public void write(short[] frame) {
        frames.incrementAndGet();
        double ratio = Goertzel.toneRatio(frame, 0, AudioFrames.SAMPLES_PER_FRAME, frequency, AudioFrames.SAMPLE_RATE);
        if (ratio > 0.5) {
            toneFrames.incrementAndGet();
        }
    }

    long frames() {
        return frames.get();
    }

    long toneFrames() {
        return toneFrames.get();
    }
}
