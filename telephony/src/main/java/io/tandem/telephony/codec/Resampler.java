package io.tandem.telephony.codec;

import java.util.Objects;

/**
 * Sample-rate conversion of mono 16-bit PCM, one stream per instance: between the telephony
 * rates 8000, 16000 and 48000 Hz, and from or to the common audio-file rates (11025, 12000,
 * 22050, 24000, 32000, 44100 Hz) so prompts and music on hold can be loaded whatever their rate.
 *
 * <p>A polyphase FIR: conceptually the input is zero-stuffed by {@code L}, low-pass filtered at
 * the higher rate and decimated by {@code M} (with {@code L/M = toHz/fromHz} reduced). The
 * filter is a Kaiser-windowed sinc whose cut-off sits just below the Nyquist frequency of the
 * <em>lower</em> of the two rates, so it both removes the images when going up and is the
 * anti-aliasing filter when going down (passband to about 0.85·Nyquist, stopband from Nyquist,
 * about 60 dB down).
 *
 * <p>The filter history and the output phase are kept between calls, so a stream cut into
 * frames of any size comes out exactly as if it had been processed in one piece — no clicks at
 * frame edges. Not thread-safe; no allocation per call once the largest frame size has been
 * seen.
 */
public final class Resampler {
    /** Filter taps per polyphase branch; sets the transition width (~600 Hz at 8 kHz). */
    private static final int TAPS_PER_PHASE = 48;
    /** Kaiser β for ~60 dB stopband attenuation (Kaiser's formula: 0.1102·(A − 8.7)). */
    private static final double KAISER_BETA = 5.65;
    /** Cut-off (−6 dB point) as a fraction of the lower rate's Nyquist frequency. */
    private static final double CUTOFF = 0.925;

    /**
     * Rates we convert between. Any pair works the same way; the list only keeps the filter
     * bounded (44100 ↔ 8000 is the worst case: L/M = 80/441, a 21 167-tap prototype, 265 taps
     * per output sample).
     */
    private static final int[] SUPPORTED_RATES = {8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000};

    private final int fromHz;
    private final int toHz;
    private final int up;
    private final int down;
    /** {@code coefficients[phase][k]} = h[phase + k·up]; branch k multiplies the input k samples back. */
    private final float[][] coefficients;
    private final int tapsPerPhase;
    private final int filterLength;
    /** The last {@code tapsPerPhase - 1} input samples, oldest first. */
    private final float[] history;
    /** History followed by the current input; grown when a larger frame arrives. */
    private float[] work;
    /** Position of the next output, in units of 1/up input samples, relative to the current input's first sample. */
    private long nextPosition;

    private Resampler(int fromHz, int toHz) {
        this.fromHz = fromHz;
        this.toHz = toHz;
        int g = gcd(fromHz, toHz);
        this.up = toHz / g;
        this.down = fromHz / g;
        int ratio = Math.max(up, down);
        // Odd length: a symmetric filter with an integer delay in the up-sampled domain, so an
        // up-then-down round trip delays by a whole number of samples.
        this.filterLength = ratio == 1 ? 1 : TAPS_PER_PHASE * ratio - 1;
        this.tapsPerPhase = (filterLength + up - 1) / up;
        this.coefficients = design(filterLength, up, ratio);
        this.history = new float[tapsPerPhase - 1];
        this.work = new float[history.length + 320];
    }

    /**
     * A new, silent-history resampler from {@code fromHz} to {@code toHz}.
     *
     * @throws IllegalArgumentException if either rate is not {@linkplain #isSupportedRate supported}
     */
    public static Resampler create(int fromHz, int toHz) {
        requireSupported(fromHz);
        requireSupported(toHz);
        return new Resampler(fromHz, toHz);
    }

    /** True for 8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100 and 48000 Hz. */
    public static boolean isSupportedRate(int hz) {
        for (int rate : SUPPORTED_RATES) {
            if (rate == hz) {
                return true;
            }
        }
        return false;
    }

    public int fromHz() {
        return fromHz;
    }

    public int toHz() {
        return toHz;
    }

    /** The most output samples one call with {@code inLen} input samples can produce. */
    public int maxOutput(int inLen) {
        return (int) (((long) inLen * up + down - 1) / down);
    }

    /** The filter's group delay, in output samples (may be a half sample when going down). */
    public double delay() {
        return (filterLength - 1) / 2.0 / down;
    }

    /** Forgets the filter history, as for a new stream. */
    public void reset() {
        java.util.Arrays.fill(history, 0f);
        nextPosition = 0;
    }

    /**
     * Converts {@code in[inOff, inOff+inLen)} and writes the result at {@code out[outOff]}.
     * For whole 20 ms frames the output length is exact (e.g. 160 → 320 for 8k→16k).
     *
     * @return the number of samples written, at most {@link #maxOutput(int) maxOutput(inLen)}
     * @throws IndexOutOfBoundsException if a range is outside its array
     */
    public int process(short[] in, int inOff, int inLen, short[] out, int outOff) {
        Objects.checkFromIndexSize(inOff, inLen, in.length);
        Objects.checkFromIndexSize(outOff, maxOutputFor(inLen), out.length);
        if (up == 1 && down == 1) {
            System.arraycopy(in, inOff, out, outOff, inLen);
            return inLen;
        }
        int h = history.length;
        if (work.length < h + inLen) {
            work = new float[h + inLen];
        }
        System.arraycopy(history, 0, work, 0, h);
        for (int i = 0; i < inLen; i++) {
            work[h + i] = in[inOff + i];
        }
        long end = (long) inLen * up;
        long p = nextPosition;
        int written = 0;
        while (p < end) {
            int i = (int) (p / up);
            float[] c = coefficients[(int) (p % up)];
            // Newest input (index i) meets branch tap 0.
            int newest = h + i;
            float acc = 0f;
            for (int k = 0; k < c.length; k++) {
                acc += c[k] * work[newest - k];
            }
            out[outOff + written++] = saturate(acc);
            p += down;
        }
        nextPosition = p - end;
        System.arraycopy(work, inLen, history, 0, h);
        return written;
    }

    /** Exact output count of the next call, given the current phase. */
    private int maxOutputFor(int inLen) {
        long end = (long) inLen * up;
        if (nextPosition >= end) {
            return 0;
        }
        return (int) ((end - nextPosition + down - 1) / down);
    }

    private static short saturate(float v) {
        int r = Math.round(v);
        if (r > Short.MAX_VALUE) {
            return Short.MAX_VALUE;
        }
        if (r < Short.MIN_VALUE) {
            return Short.MIN_VALUE;
        }
        return (short) r;
    }

    private static float[][] design(int length, int up, int ratio) {
        double[] h = new double[length];
        if (length == 1) {
            h[0] = 1;
        } else {
            // Cut-off normalised to the up-sampled rate: the lower rate's Nyquist is 1/(2·ratio) of it.
            double fc = CUTOFF / (2.0 * ratio);
            double centre = (length - 1) / 2.0;
            double i0Beta = besselI0(KAISER_BETA);
            double sum = 0;
            for (int n = 0; n < length; n++) {
                double t = n - centre;
                double sinc = t == 0 ? 2 * fc : Math.sin(2 * Math.PI * fc * t) / (Math.PI * t);
                double r = t / centre;
                double window = besselI0(KAISER_BETA * Math.sqrt(Math.max(0, 1 - r * r))) / i0Beta;
                h[n] = sinc * window;
                sum += h[n];
            }
            // Zero-stuffing by `up` divides the signal level by `up`; the filter gives it back.
            for (int n = 0; n < length; n++) {
                h[n] *= up / sum;
            }
        }
        int taps = (length + up - 1) / up;
        float[][] branches = new float[up][taps];
        for (int phase = 0; phase < up; phase++) {
            for (int k = 0; k < taps; k++) {
                int n = phase + k * up;
                branches[phase][k] = n < length ? (float) h[n] : 0f;
            }
        }
        return branches;
    }

    /** Modified Bessel function of the first kind, order 0, by its power series. */
    private static double besselI0(double x) {
        double sum = 1;
        double term = 1;
        double half = x / 2;
        for (int k = 1; k < 50; k++) {
            term *= (half / k) * (half / k);
            sum += term;
            if (term < sum * 1e-12) {
                break;
            }
        }
        return sum;
    }

    private static void requireSupported(int hz) {
        if (isSupportedRate(hz)) {
            return;
        }
        throw new IllegalArgumentException("unsupported sample rate " + hz + " Hz (supported: "
                + java.util.Arrays.toString(SUPPORTED_RATES) + ")");
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
