package io.tandem.telephony.codec;

import io.tandem.telephony.media.AudioFrames;

/** G.711 as an {@link AudioCodec}: stateless, one byte per sample, so one instance may be shared. */
public final class G711Codec implements AudioCodec {
    private final CodecSpec spec;
    private final boolean ulaw;

    private G711Codec(CodecSpec spec, boolean ulaw) {
        this.spec = spec;
        this.ulaw = ulaw;
    }

    public static G711Codec pcmu() {
        return new G711Codec(CodecSpec.PCMU, true);
    }

    public static G711Codec pcma() {
        return new G711Codec(CodecSpec.PCMA, false);
    }

    @Override
    public CodecSpec spec() {
        return spec;
    }

    @Override
    public int maxPayloadSize() {
        return AudioFrames.SAMPLES_PER_FRAME;
    }

    @Override
    public int encode(short[] pcm, byte[] out, int offset) {
        int n = AudioFrames.SAMPLES_PER_FRAME;
        if (ulaw) {
            for (int i = 0; i < n; i++) {
                out[offset + i] = G711.linearToUlaw(pcm[i]);
            }
        } else {
            for (int i = 0; i < n; i++) {
                out[offset + i] = G711.linearToAlaw(pcm[i]);
            }
        }
        return n;
    }

    @Override
    public int decode(byte[] payload, int offset, int length, short[] pcm) {
        int n = Math.min(length, AudioFrames.SAMPLES_PER_FRAME);
        if (ulaw) {
            for (int i = 0; i < n; i++) {
                pcm[i] = G711.ulawToLinear(payload[offset + i]);
            }
        } else {
            for (int i = 0; i < n; i++) {
                pcm[i] = G711.alawToLinear(payload[offset + i]);
            }
        }
        // A short payload (ptime < 20) leaves the rest of the frame silent rather than stale.
        for (int i = n; i < AudioFrames.SAMPLES_PER_FRAME; i++) {
            pcm[i] = 0;
        }
        return n == 0 ? 0 : AudioFrames.SAMPLES_PER_FRAME;
    }
}
