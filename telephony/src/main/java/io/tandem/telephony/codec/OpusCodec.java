package io.tandem.telephony.codec;

import io.github.jaredmdobson.concentus.OpusApplication;
import io.github.jaredmdobson.concentus.OpusDecoder;
import io.github.jaredmdobson.concentus.OpusEncoder;
import io.github.jaredmdobson.concentus.OpusException;
import io.github.jaredmdobson.concentus.OpusSignal;
import io.tandem.telephony.media.AudioFrames;

import java.util.Arrays;

/**
 * Opus (RFC 6716) on the pure-Java Concentus port, mono, 20 ms frames, tuned for voice.
 *
 * <p>Concentus encodes and decodes at 8000 Hz directly, so the pipeline's frames go in and come
 * out unchanged; the encoder then codes narrowband SILK. RFC 7587 §4.1/§7: the SDP always says
 * {@code opus/48000/2} and the RTP clock always runs at 48 kHz, whatever is actually sampled —
 * one 20 ms frame advances the timestamp by 960. A mono decoder also plays a stereo stream
 * (down-mixed, RFC 7587 §3.4).
 *
 * <p>{@link #conceal} runs the decoder's packet-loss concealment, which extrapolates the last
 * pitch period instead of dropping to silence. Bad payloads are counted, never thrown.
 */
public final class OpusCodec implements AudioCodec {
    /** Largest Opus packet (RFC 6716 §3.2.1: 1275 octets per frame). */
    private static final int MAX_PACKET = 1275;
    /** One packet may carry up to 120 ms (RFC 6716 §3.2.5); 960 samples at 8 kHz. */
    private static final int MAX_PACKET_SAMPLES = AudioFrames.SAMPLE_RATE * 120 / 1000;
    /** Bits per second: comfortably transparent for narrowband speech, well under G.711's 64k. */
    static final int BITRATE = 24000;
    /**
     * 0–10. Concentus's encoder dominates a leg's media CPU (CodecBenchmark); 3 costs about a
     * third of 10 and a little over half of 5, for a barely audible difference on narrowband SILK.
     */
    static final int COMPLEXITY = 3;
    /**
     * Expected loss: makes SILK lean less on long-term prediction across frames, so one lost
     * packet is not followed by many frames of level swings while the predictors re-converge.
     */
    static final int LOSS_PERCENT = 10;

    private final CodecSpec spec;
    private final OpusEncoder encoder;
    private final OpusDecoder decoder;
    private final short[] decodeBuffer = new short[MAX_PACKET_SAMPLES];
    private long badPayloads;
    private long discardedSamples;

    /** Opus under its default dynamic payload type 111. */
    public OpusCodec() {
        this(CodecSpec.OPUS);
    }

    /** Opus under the payload type of {@code spec} (which must name opus/48000/2). */
    public OpusCodec(CodecSpec spec) {
        if (!spec.encodingName().equalsIgnoreCase("opus") || spec.clockRate() != 48000) {
            throw new IllegalArgumentException("not an opus/48000 spec: " + spec.rtpmap());
        }
        this.spec = spec;
        try {
            encoder = new OpusEncoder(AudioFrames.SAMPLE_RATE, 1, OpusApplication.OPUS_APPLICATION_VOIP);
            encoder.setBitrate(BITRATE);
            encoder.setComplexity(COMPLEXITY);
            encoder.setSignalType(OpusSignal.OPUS_SIGNAL_VOICE);
            // Constant frames: the jitter buffer and the RTP clock expect one packet per 20 ms.
            encoder.setUseDTX(false);
            encoder.setPacketLossPercent(LOSS_PERCENT);
            decoder = new OpusDecoder(AudioFrames.SAMPLE_RATE, 1);
        } catch (OpusException e) {
            throw new IllegalStateException("Concentus refused a standard configuration", e);
        }
    }

    @Override
    public CodecSpec spec() {
        return spec;
    }

    @Override
    public int maxPayloadSize() {
        return MAX_PACKET;
    }

    @Override
    public int encode(short[] pcm, byte[] out, int offset) {
        try {
            return encoder.encode(pcm, 0, AudioFrames.SAMPLES_PER_FRAME, out, offset,
                    Math.min(MAX_PACKET, out.length - offset));
        } catch (OpusException e) {
            // Only a too-small output buffer gets here; the caller sized it wrongly.
            throw new IllegalArgumentException("Opus encode failed: " + e.getMessage(), e);
        }
    }

    /**
     * Decodes one packet. Packets longer than 20 ms yield their first 20 ms (the rest is counted
     * in {@link #discardedSamples()}); a payload the decoder rejects gives silence, returns 0
     * and is counted in {@link #badPayloads()}.
     */
    @Override
    public int decode(byte[] payload, int offset, int length, short[] pcm) {
        if (length <= 0) {
            return unusable(pcm);
        }
        int samples;
        try {
            samples = decoder.decode(payload, offset, length, decodeBuffer, 0, MAX_PACKET_SAMPLES, false);
        } catch (OpusException | RuntimeException e) {
            // A port of C code: corrupt input may also surface as an index exception. Either way the
            // packet is bad, not the caller's thread.
            return unusable(pcm);
        }
        if (samples <= 0) {
            return unusable(pcm);
        }
        int n = Math.min(samples, AudioFrames.SAMPLES_PER_FRAME);
        System.arraycopy(decodeBuffer, 0, pcm, 0, n);
        Arrays.fill(pcm, n, AudioFrames.SAMPLES_PER_FRAME, (short) 0);
        discardedSamples += samples - n;
        return AudioFrames.SAMPLES_PER_FRAME;
    }

    /** Packet-loss concealment: the decoder extrapolates one 20 ms frame from what it last heard. */
    @Override
    public void conceal(short[] pcm) {
        try {
            int n = decoder.decode(null, 0, 0, pcm, 0, AudioFrames.SAMPLES_PER_FRAME, false);
            Arrays.fill(pcm, Math.max(n, 0), AudioFrames.SAMPLES_PER_FRAME, (short) 0);
        } catch (OpusException | RuntimeException e) {
            Arrays.fill(pcm, 0, AudioFrames.SAMPLES_PER_FRAME, (short) 0);
        }
    }

    /** Payloads the decoder could not use. */
    public long badPayloads() {
        return badPayloads;
    }

    /** Decoded samples dropped because a packet carried more than 20 ms. */
    public long discardedSamples() {
        return discardedSamples;
    }

    private int unusable(short[] pcm) {
        badPayloads++;
        Arrays.fill(pcm, 0, AudioFrames.SAMPLES_PER_FRAME, (short) 0);
        return 0;
    }
}
