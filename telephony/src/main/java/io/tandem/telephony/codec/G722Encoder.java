package io.tandem.telephony.codec;

import static io.tandem.telephony.codec.G722Tables.HIGH_INV_Q2;
import static io.tandem.telephony.codec.G722Tables.HIGH_LOG_INDEX;
import static io.tandem.telephony.codec.G722Tables.HIGH_LOG_STEP;
import static io.tandem.telephony.codec.G722Tables.LOW_INV_Q4;
import static io.tandem.telephony.codec.G722Tables.LOW_LOG_INDEX;
import static io.tandem.telephony.codec.G722Tables.LOW_LOG_STEP;
import static io.tandem.telephony.codec.G722Tables.QMF;

/**
 * ITU-T G.722 mode 1 (64 kbit/s) encoder on 16 kHz 16-bit PCM: every two input samples become
 * one octet, upper-band code in the top two bits, lower-band code in the low six.
 */
final class G722Encoder {
    /**
     * Lower limits of the 6-bit quantiser intervals, normalised to the step size and scaled by 2^9
     * (block 1L QUANTL, lower limits for mil = 1..29; index 0 unused).
     */
    private static final int[] LOW_DECISION = {
        0, 35, 72, 110, 150, 190, 233, 276, 323, 370, 422, 473, 530, 587, 650, 714,
        786, 858, 940, 1023, 1121, 1219, 1339, 1458, 1612, 1765, 1980, 2195, 2557, 2919,
    };
    /** 6-bit code of interval mil for a negative difference (ILN). */
    private static final int[] LOW_CODE_NEGATIVE = {
        0, 63, 62, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19,
        18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4,
    };
    /** 6-bit code of interval mil for a positive difference (ILP). */
    private static final int[] LOW_CODE_POSITIVE = {
        0, 61, 60, 59, 58, 57, 56, 55, 54, 53, 52, 51, 50, 49, 48, 47,
        46, 45, 44, 43, 42, 41, 40, 39, 38, 37, 36, 35, 34, 33, 32,
    };
    /** The upper band's single decision level, 1.10156·2^9 (block 1H QUANTH). */
    private static final int HIGH_DECISION = 564;

    private final G722Band low = G722Band.lower();
    private final G722Band high = G722Band.upper();
    /** Transmit QMF delay line: x_in(j-23) at index 0 ... x_in(j) at index 23. */
    private final int[] delayLine = new int[24];

    /**
     * Encodes {@code len} samples (an even number) of 16 kHz PCM into {@code len / 2} octets.
     *
     * @return the number of octets written
     */
    int encode(short[] pcm, int off, int len, byte[] out, int outOff) {
        if ((len & 1) != 0) {
            throw new IllegalArgumentException("G.722 encodes sample pairs; odd length " + len);
        }
        int n = 0;
        for (int i = 0; i < len; i += 2) {
            out[outOff + n++] = encodePair(pcm[off + i], pcm[off + i + 1]);
        }
        return n;
    }

    void reset() {
        low.reset();
        high.reset();
        java.util.Arrays.fill(delayLine, 0);
    }

    private byte encodePair(int first, int second) {
        // Transmit QMF: x_A sums the even taps, x_B the odd ones; their sum is the
        // lower band, their difference the (spectrally inverted) upper band, both at 8 kHz.
        System.arraycopy(delayLine, 2, delayLine, 0, 22);
        delayLine[22] = first;
        delayLine[23] = second;
        int sumEven = 0;
        int sumOdd = 0;
        for (int k = 0; k < 24; k += 2) {
            sumEven += QMF[k] * delayLine[23 - k];
            sumOdd += QMF[k + 1] * delayLine[22 - k];
        }
        int lowCode = encodeLow((sumEven + sumOdd) >> 14);
        int highCode = encodeHigh((sumEven - sumOdd) >> 14);
        return (byte) ((highCode << 6) | lowCode);
    }

    /** Blocks 1L–4L: SUBTRA, QUANTL, INVQAL, LOGSCL/SCALEL, predictor. */
    private int encodeLow(int xl) {
        int el = G722Band.saturate(xl - low.estimate());
        int magnitude = el >= 0 ? el : -(el + 1);
        int det = low.det();
        int mil = 1;
        while (mil < 30 && magnitude >= (LOW_DECISION[mil] * det) >> 12) {
            mil++;
        }
        int code = el < 0 ? LOW_CODE_NEGATIVE[mil] : LOW_CODE_POSITIVE[mil];
        int code4 = code >> 2;
        int dq = (det * LOW_INV_Q4[code4]) >> 15;
        low.adaptScale(LOW_LOG_STEP[LOW_LOG_INDEX[code4]]);
        low.adaptPredictor(dq);
        return code;
    }

    /** Blocks 1H–4H: SUBTRA, QUANTH, INVQAH, LOGSCH/SCALEH, predictor. */
    private int encodeHigh(int xh) {
        int eh = G722Band.saturate(xh - high.estimate());
        int magnitude = eh >= 0 ? eh : -(eh + 1);
        int det = high.det();
        boolean outer = magnitude >= (HIGH_DECISION * det) >> 12;
        // IHN = {1 inner, 0 outer}, IHP = {3 inner, 2 outer}
        int code = eh < 0 ? (outer ? 0 : 1) : (outer ? 2 : 3);
        int dq = (det * HIGH_INV_Q2[code]) >> 15;
        high.adaptScale(HIGH_LOG_STEP[HIGH_LOG_INDEX[code]]);
        high.adaptPredictor(dq);
        return code;
    }
}
