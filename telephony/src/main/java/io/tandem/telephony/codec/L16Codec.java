package io.tandem.telephony.codec;

import io.tandem.telephony.media.AudioFrames;

import java.util.Arrays;

/**
 * Uncompressed linear PCM: RFC 3551 §4.5.11 L16, 16-bit two's complement samples in network
 * byte order (big-endian), mono, on a dynamic payload type. At 8000 Hz a frame goes out as is
 * (320 octets); at 16000 Hz it is resampled to 320 samples (640 octets) and back on receipt.
 * For tests, recordings and trunks where bandwidth does not matter and codec noise should not
 * exist; never offered unless asked for.
 */
public final class L16Codec implements AudioCodec {
    /** L16 at the pipeline rate on dynamic payload type 96. */
    public static final CodecSpec L16_8000 = new CodecSpec("L16", 96, 8000, 1);
    /** Wideband L16 on dynamic payload type 97. */
    public static final CodecSpec L16_16000 = new CodecSpec("L16", 97, 16000, 1);

    private final CodecSpec spec;
    /** Samples per 20 ms on the wire. */
    private final int wireSamples;
    private final Resampler up;
    private final Resampler down;
    private final short[] wire;
    private long badPayloads;

    public L16Codec(CodecSpec spec) {
        if (!spec.encodingName().equalsIgnoreCase("L16") || spec.channels() != 1
                || (spec.clockRate() != 8000 && spec.clockRate() != 16000)) {
            throw new IllegalArgumentException("unsupported L16 variant " + spec.rtpmap()
                    + " (supported: L16/8000, L16/16000, mono)");
        }
        this.spec = spec;
        this.wireSamples = spec.clockRate() / 50;
        boolean resample = spec.clockRate() != AudioFrames.SAMPLE_RATE;
        this.up = resample ? Resampler.create(AudioFrames.SAMPLE_RATE, spec.clockRate()) : null;
        this.down = resample ? Resampler.create(spec.clockRate(), AudioFrames.SAMPLE_RATE) : null;
        this.wire = new short[wireSamples];
    }

    @Override
    public CodecSpec spec() {
        return spec;
    }

    @Override
    public int maxPayloadSize() {
        return 2 * wireSamples;
    }

    @Override
    public int encode(short[] pcm, byte[] out, int offset) {
        short[] samples = pcm;
        int n = AudioFrames.SAMPLES_PER_FRAME;
        if (up != null) {
            n = up.process(pcm, 0, n, wire, 0);
            samples = wire;
        }
        for (int i = 0; i < n; i++) {
            int s = samples[i];
            out[offset + 2 * i] = (byte) (s >> 8);
            out[offset + 2 * i + 1] = (byte) s;
        }
        return 2 * n;
    }

    /**
     * Decodes up to 20 ms; a shorter payload fills the start of the frame and leaves the rest
     * silent. An odd trailing octet is ignored; a payload without one whole sample is counted
     * in {@link #badPayloads()} and returns 0.
     */
    @Override
    public int decode(byte[] payload, int offset, int length, short[] pcm) {
        int samples = Math.min(Math.max(length, 0) / 2, wireSamples);
        if (samples == 0) {
            badPayloads++;
            Arrays.fill(pcm, 0, AudioFrames.SAMPLES_PER_FRAME, (short) 0);
            return 0;
        }
        short[] target = down != null ? wire : pcm;
        for (int i = 0; i < samples; i++) {
            target[i] = (short) ((payload[offset + 2 * i] << 8) | (payload[offset + 2 * i + 1] & 0xFF));
        }
        int n = down != null ? down.process(wire, 0, samples, pcm, 0) : samples;
        Arrays.fill(pcm, n, AudioFrames.SAMPLES_PER_FRAME, (short) 0);
        return AudioFrames.SAMPLES_PER_FRAME;
    }

    /** Payloads too short to hold one sample. */
    public long badPayloads() {
        return badPayloads;
    }
}
