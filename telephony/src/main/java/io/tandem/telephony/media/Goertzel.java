package io.tandem.telephony.media;

/**
 * Goertzel's algorithm: the energy of one frequency in a block of samples, in O(n) without
 * a full FFT. Used to prove that audio arrived as audio (a tone's frequency detected at the
 * far end) and to detect in-band DTMF.
 */
public final class Goertzel {
    private Goertzel() {
    }

    /** Squared magnitude of {@code frequencyHz} in {@code samples[offset, offset+length)}. */
    public static double power(short[] samples, int offset, int length, double frequencyHz, int sampleRate) {
        double coeff = 2 * Math.cos(2 * Math.PI * frequencyHz / sampleRate);
        double s1 = 0;
        double s2 = 0;
        for (int i = 0; i < length; i++) {
            double s = samples[offset + i] + coeff * s1 - s2;
            s2 = s1;
            s1 = s;
        }
        return s1 * s1 + s2 * s2 - coeff * s1 * s2;
    }

    /** Total signal energy of the block, on the same scale as {@link #power} (times length / 2). */
    public static double energy(short[] samples, int offset, int length) {
        double e = 0;
        for (int i = 0; i < length; i++) {
            e += (double) samples[offset + i] * samples[offset + i];
        }
        return e;
    }

    /**
     * The share of the block's energy that sits at {@code frequencyHz}: near 1 for a pure tone
     * at that frequency, near 0 for silence or another tone. Blocks of at least 160 samples
     * (20 ms at 8 kHz) give a resolution of 50 Hz.
     */
    public static double toneRatio(short[] samples, int offset, int length, double frequencyHz, int sampleRate) {
        double e = energy(samples, offset, length);
        if (e < 1e-9) {
            return 0;
        }
        // For a pure tone the Goertzel power equals energy * length / 2.
        return power(samples, offset, length, frequencyHz, sampleRate) / (e * length / 2.0);
    }

    /** The frequency among {@code candidates} with the most energy in the block. */
    public static double dominant(short[] samples, int offset, int length, int sampleRate, double... candidates) {
        double best = Double.NaN;
        double bestPower = -1;
        for (double f : candidates) {
            double p = power(samples, offset, length, f, sampleRate);
            if (p > bestPower) {
                bestPower = p;
                best = f;
            }
        }
        return best;
    }
}
