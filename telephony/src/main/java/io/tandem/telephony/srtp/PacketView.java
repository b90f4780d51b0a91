package io.tandem.telephony.srtp;

import org.jitsi.utils.ByteArrayBuffer;

/**
 * jitsi-srtp's view of a packet: the caller's buffer from offset 0, re-pointed for every packet rather than
 * allocated. Growing beyond the buffer is refused: the packet paths that use SRTP keep
 * {@link SrtpTransform#HEADROOM} bytes free.
 */
final class PacketView implements ByteArrayBuffer {
    private byte[] buffer;
    private int length;

    void wrap(byte[] buffer, int length) {
        this.buffer = buffer;
        this.length = length;
    }

    @Override
    public byte[] getBuffer() {
        return buffer;
    }

    @Override
    public int getOffset() {
        return 0;
    }

    @Override
    public int getLength() {
        return length;
    }

    @Override
    public void setLength(int length) {
        this.length = length;
    }

    @Override
    public void setOffset(int offset) {
        if (offset != 0) {
            throw new UnsupportedOperationException("a packet view starts at offset 0");
        }
    }

    @Override
    public boolean isInvalid() {
        return buffer == null;
    }

    @Override
    public void readRegionToBuff(int off, int len, byte[] out) {
        System.arraycopy(buffer, off, out, 0, len);
    }

    @Override
    public void grow(int howMuch) {
        if (length + howMuch > buffer.length) {
            throw new IllegalStateException("no room for " + howMuch + " more bytes in a " + buffer.length
                    + "-byte packet buffer");
        }
    }

    @Override
    public void append(byte[] data, int len) {
        grow(len);
        System.arraycopy(data, 0, buffer, length, len);
        length += len;
    }

    @Override
    public void shrink(int len) {
        length = Math.max(0, length - len);
    }
}
