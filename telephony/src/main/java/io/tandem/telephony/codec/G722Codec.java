package io.tandem.telephony.codec;

import io.tandem.telephony.media.AudioFrames;

import java.util.Arrays;

/**
 * ITU-T G.722 at 64 kbit/s (mode 1) as an {@link AudioCodec} for the 8 kHz pipeline.
 *
 * <p>G.722 codes 16 kHz audio; our frames are 8 kHz, so {@link #encode} first up-samples the
 * 160-sample frame to 320 samples and {@link #decode} down-samples the 320 decoded samples back
 * (both with a stateful {@link Resampler}). The wideband half of the spectrum is therefore empty
 * on the way out and discarded on the way in — the gain over G.711 is interop with wideband
 * phones, not fidelity, until the pipeline itself goes wideband.
 *
 * <p>RFC 3551 §4.5.2: the rtpmap says {@code G722/8000} and the RTP clock runs at 8000 Hz
 * although the audio is sampled at 16 kHz — so a 20 ms frame is 160 octets and advances the
 * timestamp by 160. End-to-end delay (resampling both ways plus the QMF pair) is about 7.3 ms.
 *
 * <p>One instance per RTP session and direction-pair: encoder and decoder each carry ADPCM state.
 */
public final class G722Codec implements AudioCodec {
    /** Octets in one 20 ms frame: 320 samples at 16 kHz, two per octet. */
    static final int FRAME_OCTETS = AudioFrames.SAMPLES_PER_FRAME;
    private static final int WIDE_SAMPLES = 2 * AudioFrames.SAMPLES_PER_FRAME;

    private final CodecSpec spec;
    private final G722Encoder encoder = new G722Encoder();
    private final G722Decoder decoder = new G722Decoder();
    private final Resampler up = Resampler.create(AudioFrames.SAMPLE_RATE, 16000);
    private final Resampler down = Resampler.create(16000, AudioFrames.SAMPLE_RATE);
    private final short[] wideIn = new short[WIDE_SAMPLES];
    private final short[] wideOut = new short[WIDE_SAMPLES];
    private long discardedOctets;

    /** G.722 on its static payload type 9. */
    public G722Codec() {
        this(CodecSpec.G722);
    }

    /** G.722 under the payload type of {@code spec} (which must name G722/8000). */
    public G722Codec(CodecSpec spec) {
        if (!spec.sameCodecAs(CodecSpec.G722)) {
            throw new IllegalArgumentException("not a G722/8000 spec: " + spec.rtpmap());
        }
        this.spec = spec;
    }

    @Override
    public CodecSpec spec() {
        return spec;
    }

    @Override
    public int maxPayloadSize() {
        return FRAME_OCTETS;
    }

    @Override
    public int encode(short[] pcm, byte[] out, int offset) {
        int wide = up.process(pcm, 0, AudioFrames.SAMPLES_PER_FRAME, wideIn, 0);
        return encoder.encode(wideIn, 0, wide, out, offset);
    }

    /**
     * Decodes up to one 20 ms frame. A shorter payload (ptime 10) fills the start of the frame
     * and leaves the rest silent; octets beyond 20 ms are counted in {@link #discardedOctets()}
     * and dropped, since one call yields one frame.
     */
    @Override
    public int decode(byte[] payload, int offset, int length, short[] pcm) {
        int octets = Math.min(Math.max(length, 0), FRAME_OCTETS);
        if (length > FRAME_OCTETS) {
            discardedOctets += length - FRAME_OCTETS;
        }
        if (octets == 0) {
            Arrays.fill(pcm, 0, AudioFrames.SAMPLES_PER_FRAME, (short) 0);
            return 0;
        }
        int wide = decoder.decode(payload, offset, octets, wideOut, 0);
        int n = down.process(wideOut, 0, wide, pcm, 0);
        Arrays.fill(pcm, n, AudioFrames.SAMPLES_PER_FRAME, (short) 0);
        return AudioFrames.SAMPLES_PER_FRAME;
    }

    /** Payload octets dropped because a packet carried more than 20 ms. */
    public long discardedOctets() {
        return discardedOctets;
    }
}
