package io.tandem.telephony.codec;

/**
 * A codec under another payload type than its own default — e.g. PCMU mapped to a dynamic
 * number by {@code a=rtpmap} (RFC 3551 §3 allows it). Everything but {@link #spec()} is the
 * delegate's, so a stateless delegate (G.711) can stay shared.
 */
final class RenumberedCodec implements AudioCodec {
    private final AudioCodec delegate;
    private final CodecSpec spec;

    RenumberedCodec(AudioCodec delegate, CodecSpec spec) {
        this.delegate = delegate;
        this.spec = spec;
    }

    @Override
    public CodecSpec spec() {
        return spec;
    }

    @Override
    public int maxPayloadSize() {
        return delegate.maxPayloadSize();
    }

    @Override
    public int encode(short[] pcm, byte[] out, int offset) {
        return delegate.encode(pcm, out, offset);
    }

    @Override
    public int decode(byte[] payload, int offset, int length, short[] pcm) {
        return delegate.decode(payload, offset, length, pcm);
    }

    @Override
    public void conceal(short[] pcm) {
        delegate.conceal(pcm);
    }
}
