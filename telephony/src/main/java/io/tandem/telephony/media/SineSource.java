package io.tandem.telephony.media;

/**
 * A continuous sine tone (or the sum of two, for DTMF-like dual tones) as a media source.
 * Phase is kept across frames, so the tone has no clicks at frame edges.
 */
public final class SineSource implements MediaSource {
    private final double step1;
    private final double step2;
    private final double amplitude;
    private double phase1;
    private double phase2;

    /** One tone of {@code frequencyHz} at {@code amplitude} (0..32767). */
    public SineSource(double frequencyHz, int amplitude) {
        this(frequencyHz, 0, amplitude);
    }

    /** Two tones summed, each at half the amplitude; {@code secondHz} 0 means a single tone. */
    public SineSource(double firstHz, double secondHz, int amplitude) {
        if (firstHz <= 0 || firstHz >= AudioFrames.SAMPLE_RATE / 2.0) {
            throw new IllegalArgumentException("frequency must be between 0 and Nyquist: " + firstHz);
        }
        if (amplitude < 0 || amplitude > Short.MAX_VALUE) {
            throw new IllegalArgumentException("amplitude out of range 0..32767: " + amplitude);
        }
        this.step1 = 2 * Math.PI * firstHz / AudioFrames.SAMPLE_RATE;
        this.step2 = secondHz > 0 ? 2 * Math.PI * secondHz / AudioFrames.SAMPLE_RATE : 0;
        this.amplitude = secondHz > 0 ? amplitude / 2.0 : amplitude;
    }

    @Override
    public boolean read(short[] frame) {
        for (int i = 0; i < AudioFrames.SAMPLES_PER_FRAME; i++) {
            double v = Math.sin(phase1);
            if (step2 != 0) {
                v += Math.sin(phase2);
                phase2 += step2;
            }
            phase1 += step1;
            frame[i] = AudioFrames.saturate((int) Math.round(v * amplitude));
        }
        // Keep the phases small so precision does not drift over hours of music on hold.
        phase1 %= 2 * Math.PI;
        phase2 %= 2 * Math.PI;
        return true;
    }
}
