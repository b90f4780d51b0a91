package io.tandem.telephony.codec;

/**
 * The state of one G.722 sub-band ADPCM loop, shared by encoder and decoder so both stay in
 * step: the logarithmic scale factor (ITU-T G.722 blocks 3L/3H, LOGSCL/SCALEL) and the
 * adaptive pole-zero predictor (block 4, identical for both bands).
 *
 * <p>All arithmetic is the standard's 16-bit fixed point: products are shifted right by 15,
 * sums saturate to 16 bits, so an encoder and any conforming decoder track the same state
 * bit for bit.
 */
final class G722Band {
    /** 2048·2^(i/32): the anti-log table of blocks SCALEL/SCALEH. */
    private static final int[] ANTILOG = {
        2048, 2093, 2139, 2186, 2233, 2282, 2332, 2383, 2435, 2489, 2543, 2599, 2656, 2714, 2774, 2834,
        2896, 2960, 3025, 3091, 3158, 3228, 3298, 3371, 3444, 3520, 3597, 3676, 3756, 3838, 3922, 4008,
    };

    private final int maxLogScale;
    private final int scaleShift;

    /** Quantiser step size (DETL / DETH). */
    private int det;
    /** Logarithmic scale factor (NBL / NBH). */
    private int logScale;
    /** Signal estimate (SL / SH). */
    private int estimate;
    /** Output of the zero (FIR) section (SZL / SZH). */
    private int zeroEstimate;

    /** Pole coefficients a1, a2. */
    private int a1;
    private int a2;
    /** Zero coefficients b1..b6 (index 0 unused). */
    private final int[] b = new int[7];
    /** Quantised differences d(n-1)..d(n-6) (index 0 unused). */
    private final int[] d = new int[7];
    /** Partially reconstructed signal p(n-1), p(n-2). */
    private int p1;
    private int p2;
    /** Reconstructed signal r(n-1), r(n-2). */
    private int r1;
    private int r2;

    private G722Band(int maxLogScale, int scaleShift) {
        this.maxLogScale = maxLogScale;
        this.scaleShift = scaleShift;
        reset();
    }

    /** Lower band: NBL limited to 18432, DETL = ANTILOG >> (8 - NBL/2048) (block 3L). */
    static G722Band lower() {
        return new G722Band(18432, 8);
    }

    /** Upper band: NBH limited to 22528, DETH = ANTILOG >> (10 - NBH/2048) (block 3H). */
    static G722Band upper() {
        return new G722Band(22528, 10);
    }

    void reset() {
        logScale = 0;
        det = stepFor(0);
        estimate = 0;
        zeroEstimate = 0;
        a1 = 0;
        a2 = 0;
        java.util.Arrays.fill(b, 0);
        java.util.Arrays.fill(d, 0);
        p1 = 0;
        p2 = 0;
        r1 = 0;
        r2 = 0;
    }

    int det() {
        return det;
    }

    int estimate() {
        return estimate;
    }

    /**
     * Moves the log scale factor by {@code step} after leaking it by (1 - 2^-7) and recomputes
     * the quantiser step (LOGSCL/LOGSCH then SCALEL/SCALEH).
     */
    void adaptScale(int step) {
        int nb = ((logScale * 32512) >> 15) + step;
        logScale = Math.max(0, Math.min(maxLogScale, nb));
        det = stepFor(logScale);
    }

    private int stepFor(int nb) {
        int mantissa = ANTILOG[(nb >> 6) & 31];
        int shift = scaleShift - (nb >> 11);
        int wd = shift < 0 ? mantissa << -shift : mantissa >> shift;
        return wd << 2;
    }

    /**
     * Block 4: takes the quantised difference {@code dq} of this sample, adapts the predictor
     * (sign-sign LMS with leakage, UPPOL1/UPPOL2/UPZERO) and computes the next estimate.
     */
    void adaptPredictor(int dq) {
        int r0 = saturate(estimate + dq);      // RECONS
        int p0 = saturate(zeroEstimate + dq);  // PARREC
        int sg0 = p0 >> 15;
        int sg1 = p1 >> 15;
        int sg2 = p2 >> 15;

        // UPPOL2: a2 follows the sign agreement of p(n) with p(n-1) and p(n-2); |a2| <= 0.375.
        int wd1 = saturate(a1 << 2);
        int wd2 = sg0 == sg1 ? -wd1 : wd1;
        if (wd2 > 32767) {
            wd2 = 32767;
        }
        int nextA2 = (wd2 >> 7) + (sg0 == sg2 ? 128 : -128) + ((a2 * 32512) >> 15);
        nextA2 = Math.max(-12288, Math.min(12288, nextA2));

        // UPPOL1: a1 moves by ±3/256 with leakage; |a1| <= 1 - 2^-4 - a2 keeps the poles stable.
        int nextA1 = saturate((sg0 == sg1 ? 192 : -192) + ((a1 * 32640) >> 15));
        int limit = saturate(15360 - nextA2);
        nextA1 = Math.max(-limit, Math.min(limit, nextA1));

        // UPZERO: each b_i moves by ±2^-8 towards sign agreement of d(n) and d(n-i), unless d(n) = 0.
        int step = dq == 0 ? 0 : 128;
        int sgd = dq >> 15;
        for (int i = 1; i <= 6; i++) {
            int move = (d[i] >> 15) == sgd ? step : -step;
            b[i] = saturate(move + ((b[i] * 32640) >> 15));
        }

        // DELAYA
        for (int i = 6; i > 1; i--) {
            d[i] = d[i - 1];
        }
        d[1] = dq;
        r2 = r1;
        r1 = r0;
        p2 = p1;
        p1 = p0;
        a1 = nextA1;
        a2 = nextA2;

        // FILTEP: pole section on the reconstructed signal.
        int poles = saturate(((a1 * saturate(r1 + r1)) >> 15) + ((a2 * saturate(r2 + r2)) >> 15));
        // FILTEZ: zero section on the quantised differences.
        int zeros = 0;
        for (int i = 6; i > 0; i--) {
            zeros += (b[i] * saturate(d[i] + d[i])) >> 15;
        }
        zeroEstimate = saturate(zeros);
        // PREDIC
        estimate = saturate(poles + zeroEstimate);
    }

    static int saturate(int v) {
        return v > 32767 ? 32767 : Math.max(v, -32768);
    }
}
