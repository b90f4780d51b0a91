package io.tandem.telephony.codec;

import static io.tandem.telephony.codec.G722Tables.HIGH_INV_Q2;
import static io.tandem.telephony.codec.G722Tables.HIGH_LOG_INDEX;
import static io.tandem.telephony.codec.G722Tables.HIGH_LOG_STEP;
import static io.tandem.telephony.codec.G722Tables.LOW_INV_Q4;
import static io.tandem.telephony.codec.G722Tables.LOW_LOG_INDEX;
import static io.tandem.telephony.codec.G722Tables.LOW_LOG_STEP;
import static io.tandem.telephony.codec.G722Tables.QMF;

/** ITU-T G.722 mode 1 (64 kbit/s) decoder: one octet becomes two samples of 16 kHz PCM. */
final class G722Decoder {
    /**
     * 6-bit lower-band inverse quantiser QQ6 (block 5L INVQBL) scaled by 2^12, indexed by the code;
     * codes 0–3 are not produced by an encoder and decode as the smallest negative step.
     */
    private static final int[] LOW_INV_Q6 = {
        -136, -136, -136, -136, -24808, -21904, -19008, -16704,
        -14984, -13512, -12280, -11192, -10232, -9360, -8576, -7856,
        -7192, -6576, -6000, -5456, -4944, -4464, -4008, -3576,
        -3168, -2776, -2400, -2032, -1688, -1360, -1040, -728,
        24808, 21904, 19008, 16704, 14984, 13512, 12280, 11192,
        10232, 9360, 8576, 7856, 7192, 6576, 6000, 5456,
        4944, 4464, 4008, 3576, 3168, 2776, 2400, 2032,
        1688, 1360, 1040, 728, 432, 136, -432, -136,
    };

    private final G722Band low = G722Band.lower();
    private final G722Band high = G722Band.upper();
    /**
     * Receive QMF delay line, pairs of (x_s = r_L + r_H, x_d = r_L - r_H), oldest first; the
     * newest x_s sits at index 22 and x_d at 23.
     */
    private final int[] delayLine = new int[24];

    /**
     * Decodes {@code len} octets into {@code 2·len} samples of 16 kHz PCM.
     *
     * @return the number of samples written
     */
    int decode(byte[] in, int off, int len, short[] pcm, int pcmOff) {
        int n = pcmOff;
        for (int i = 0; i < len; i++) {
            int code = in[off + i] & 0xFF;
            int rl = decodeLow(code & 0x3F);
            int rh = decodeHigh(code >> 6);
            // Receive QMF: x_out(j) = 2·Σ h(2i)·x_d(i), x_out(j+1) = 2·Σ h(2i+1)·x_s(i);
            // with h symmetric those are the odd and even taps of the interleaved delay line.
            System.arraycopy(delayLine, 2, delayLine, 0, 22);
            delayLine[22] = rl + rh;
            delayLine[23] = rl - rh;
            int first = 0;
            int second = 0;
            for (int k = 0; k < 24; k += 2) {
                second += QMF[k] * delayLine[k];
                first += QMF[k + 1] * delayLine[k + 1];
            }
            pcm[n++] = (short) G722Band.saturate(first >> 11);
            pcm[n++] = (short) G722Band.saturate(second >> 11);
        }
        return n - pcmOff;
    }

    void reset() {
        low.reset();
        high.reset();
        java.util.Arrays.fill(delayLine, 0);
    }

    /** Blocks 5L (INVQBL, RECONS), 6L (LIMIT), and the same adaptation the encoder did. */
    private int decodeLow(int code) {
        int det = low.det();
        int rl = clampBand(low.estimate() + ((det * LOW_INV_Q6[code]) >> 15));
        int code4 = code >> 2;
        int dq = (det * LOW_INV_Q4[code4]) >> 15;
        low.adaptScale(LOW_LOG_STEP[LOW_LOG_INDEX[code4]]);
        low.adaptPredictor(dq);
        return rl;
    }

    /** Blocks 5H (INVQBH, RECONS), 6H (LIMIT), adaptation. */
    private int decodeHigh(int code) {
        int dq = (high.det() * HIGH_INV_Q2[code]) >> 15;
        int rh = clampBand(high.estimate() + dq);
        high.adaptScale(HIGH_LOG_STEP[HIGH_LOG_INDEX[code]]);
        high.adaptPredictor(dq);
        return rh;
    }

    /** The sub-band signals are 15-bit (G.722 blocks 6L/6H, LIMIT). */
    private static int clampBand(int v) {
        return Math.max(-16384, Math.min(16383, v));
    }
}
