package io.tandem.telephony.codec;

/**
 * ITU-T G.711 companding: μ-law (PCMU) and A-law (PCMA), 8 bits per sample.
 * Encoding follows the segment-search formulation of the ITU reference (g711.c in the
 * ITU-T G.191 STL); decoding uses 256-entry tables built from the same formulas.
 */
public final class G711 {
    private static final int ULAW_BIAS = 0x84;
    private static final int ULAW_CLIP = 32635;

    private static final short[] ULAW_TO_LINEAR = new short[256];
    private static final short[] ALAW_TO_LINEAR = new short[256];
    /** A-law to μ-law and back, for transcoding without a round-trip through linear. */
    private static final byte[] ALAW_TO_ULAW = new byte[256];
    private static final byte[] ULAW_TO_ALAW = new byte[256];

    static {
        for (int i = 0; i < 256; i++) {
            ULAW_TO_LINEAR[i] = decodeUlawSlow((byte) i);
            ALAW_TO_LINEAR[i] = decodeAlawSlow((byte) i);
        }
        for (int i = 0; i < 256; i++) {
            ALAW_TO_ULAW[i] = linearToUlaw(ALAW_TO_LINEAR[i]);
            ULAW_TO_ALAW[i] = linearToAlaw(ULAW_TO_LINEAR[i]);
        }
    }

    private G711() {
    }

    public static byte linearToUlaw(int pcm) {
        int sign = (pcm >> 8) & 0x80;
        if (sign != 0) {
            pcm = -pcm;
        }
        if (pcm > ULAW_CLIP) {
            pcm = ULAW_CLIP;
        }
        pcm += ULAW_BIAS;
        int exponent = 7;
        for (int mask = 0x4000; (pcm & mask) == 0 && exponent > 0; mask >>= 1) {
            exponent--;
        }
        int mantissa = (pcm >> (exponent + 3)) & 0x0F;
        return (byte) ~(sign | (exponent << 4) | mantissa);
    }

    public static short ulawToLinear(byte ulaw) {
        return ULAW_TO_LINEAR[ulaw & 0xFF];
    }

    public static byte linearToAlaw(int pcm) {
        int sign;
        if (pcm >= 0) {
            sign = 0xD5;
        } else {
            sign = 0x55;
            pcm = -pcm - 1;
        }
        if (pcm > 32767) {
            pcm = 32767;
        }
        int exponent;
        if (pcm < 256) {
            exponent = 0;
            return (byte) (((pcm >> 4) & 0x0F) ^ sign);
        }
        exponent = 7;
        for (int mask = 0x4000; (pcm & mask) == 0 && exponent > 1; mask >>= 1) {
            exponent--;
        }
        int mantissa = (pcm >> (exponent + 3)) & 0x0F;
        return (byte) (((exponent << 4) | mantissa) ^ sign);
    }

    public static short alawToLinear(byte alaw) {
        return ALAW_TO_LINEAR[alaw & 0xFF];
    }

    public static byte alawToUlaw(byte alaw) {
        return ALAW_TO_ULAW[alaw & 0xFF];
    }

    public static byte ulawToAlaw(byte ulaw) {
        return ULAW_TO_ALAW[ulaw & 0xFF];
    }

    private static short decodeUlawSlow(byte b) {
        int u = ~b & 0xFF;
        int t = ((u & 0x0F) << 3) + ULAW_BIAS;
        t <<= (u & 0x70) >> 4;
        return (short) ((u & 0x80) != 0 ? ULAW_BIAS - t : t - ULAW_BIAS);
    }

    private static short decodeAlawSlow(byte b) {
        int a = (b & 0xFF) ^ 0x55;
        int t = (a & 0x0F) << 4;
        int seg = (a & 0x70) >> 4;
        switch (seg) {
            case 0 -> t += 8;
            case 1 -> t += 0x108;
            default -> {
                t += 0x108;
                t <<= seg - 1;
            }
        }
        return (short) ((a & 0x80) != 0 ? t : -t);
    }
}
