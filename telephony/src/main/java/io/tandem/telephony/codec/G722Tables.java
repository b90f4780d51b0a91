package io.tandem.telephony.codec;

/** Constant tables of ITU-T G.722 (11/88) used by both the encoder and the decoder. */
final class G722Tables {
    /** QMF coefficients h0..h23 scaled by 2^13; symmetric, h(k) = h(23-k). */
    static final int[] QMF = {
        3, -11, -11, 53, 12, -156, 32, 362, -210, -805, 951, 3876,
        3876, 951, -805, -210, 362, 32, -156, 12, 53, -11, -11, 3,
    };

    /**
     * 4-bit lower-band inverse quantiser (QQ4 scaled by 2^12), indexed by the 6-bit code's top four
     * bits: the predictor adapts on this coarser signal so the 56 and 48 kbit/s modes, which drop
     * the low bits, stay in step with the 64 kbit/s encoder (block 2L INVQAL).
     */
    static final int[] LOW_INV_Q4 = {
        0, -20456, -12896, -8968, -6288, -4240, -2584, -1200,
        20456, 12896, 8968, 6288, 4240, 2584, 1200, 0,
    };

    /** 4-bit code → index into {@link #LOW_LOG_STEP} (RIL to IL4, block 3L). */
    static final int[] LOW_LOG_INDEX = {0, 7, 6, 5, 4, 3, 2, 1, 7, 6, 5, 4, 3, 2, 1, 0};

    /** Lower-band log scale factor multipliers WL (block 3L LOGSCL). */
    static final int[] LOW_LOG_STEP = {-60, -30, 58, 172, 334, 538, 1198, 3042};

    /** 2-bit upper-band inverse quantiser QQ2 (block 2H INVQAH) scaled by 2^12, indexed by the 2-bit code. */
    static final int[] HIGH_INV_Q2 = {-7408, -1616, 7408, 1616};

    /** 2-bit code → index into {@link #HIGH_LOG_STEP} (IH to IH2, block 3H). */
    static final int[] HIGH_LOG_INDEX = {2, 1, 2, 1};

    /** Upper-band log scale factor multipliers WH. */
    static final int[] HIGH_LOG_STEP = {0, -214, 798};

    private G722Tables() {
    }
}
