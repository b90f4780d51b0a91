package io.tandem.telephony.media;

/**
 * The one audio format inside Tandem's media pipeline: 16-bit linear PCM, mono, 8 kHz,
 * in frames of 20 ms (160 samples). Codecs convert to and from it at the edges, so
 * players, recorders, the mixer and the jitter buffer never care which codec a leg uses.
 */
public final class AudioFrames {
    /** Samples per second of the pipeline. */
    public static final int SAMPLE_RATE = 8000;
    /** Duration of one frame; also the RTP packetisation time (ptime) we send. */
    public static final int FRAME_MILLIS = 20;
    /** Samples in one frame. */
    public static final int SAMPLES_PER_FRAME = SAMPLE_RATE * FRAME_MILLIS / 1000;

    private AudioFrames() {
    }

    /** A new silent frame. */
    public static short[] newFrame() {
        return new short[SAMPLES_PER_FRAME];
    }

    /** Clamps a mixed sample to the 16-bit range (saturation instead of wrap-around). */
    public static short saturate(int sample) {
        if (sample > Short.MAX_VALUE) {
            return Short.MAX_VALUE;
        }
        if (sample < Short.MIN_VALUE) {
            return Short.MIN_VALUE;
        }
        return (short) sample;
    }
}
