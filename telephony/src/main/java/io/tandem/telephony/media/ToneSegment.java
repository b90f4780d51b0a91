package io.tandem.telephony.media;

/**
 * One step of a cadenced tone: one or two frequencies (summed) for {@code millis}, or silence
 * when {@code firstHz} is 0. {@code millis} 0 means "for ever" (a continuous dial tone).
 */
public record ToneSegment(double firstHz, double secondHz, int millis) {

    public ToneSegment {
        if (firstHz < 0 || secondHz < 0 || firstHz >= AudioFrames.SAMPLE_RATE / 2.0
                || secondHz >= AudioFrames.SAMPLE_RATE / 2.0) {
            throw new IllegalArgumentException("tone frequencies must be within 0..4000 Hz: " + firstHz + "+" + secondHz);
        }
        if (firstHz == 0 && secondHz != 0) {
            throw new IllegalArgumentException("give the single frequency as the first one");
        }
        if (millis < 0) {
            throw new IllegalArgumentException("negative duration " + millis + " ms");
        }
    }

    public static ToneSegment tone(double hz, int millis) {
        return new ToneSegment(hz, 0, millis);
    }

    public static ToneSegment dual(double firstHz, double secondHz, int millis) {
        return new ToneSegment(firstHz, secondHz, millis);
    }

    public static ToneSegment silence(int millis) {
        return new ToneSegment(0, 0, millis);
    }

    public boolean isSilence() {
        return firstHz == 0;
    }

    /** Length in samples at the pipeline rate; 0 for a continuous segment. */
    int samples() {
        return millis * AudioFrames.SAMPLE_RATE / 1000;
    }
}
