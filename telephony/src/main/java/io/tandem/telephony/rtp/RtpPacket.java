package io.tandem.telephony.rtp;

/**
 * An RTP data packet (RFC 3550 §5.1) as a reusable, mutable view over a byte array.
 *
 * <p>{@link #parse} fills this view from a received datagram without allocating, so the
 * receive path keeps one instance per thread; {@link #write} serialises a header plus
 * payload into a caller-owned buffer. A parse failure leaves a {@link Status} that says
 * what was wrong; the caller counts it and drops the datagram.
 */
public final class RtpPacket {
    /** Fixed header length, without CSRCs (RFC 3550 §5.1). */
    public static final int HEADER_LENGTH = 12;

    /** Outcome of {@link #parse}. */
    public enum Status {
        OK,
        /** Shorter than the fixed header, or the CSRC list / extension runs past the end. */
        TOO_SHORT,
        /** Version field is not 2. */
        BAD_VERSION,
        /** The padding count is zero or larger than what is left after the header. */
        BAD_PADDING,
        /** Header extension length runs past the end of the datagram. */
        BAD_EXTENSION,
        /** Payload type 72–76 is RTCP SR/RR/SDES/BYE/APP sent to the RTP port (RFC 5761 §4). */
        RTCP_PAYLOAD_TYPE
    }

    private byte[] data;
    private int offset;
    private int length;
    private boolean padding;
    private boolean extension;
    private int csrcCount;
    private boolean marker;
    private int payloadType;
    private int sequenceNumber;
    private long timestamp;
    private long ssrc;
    private int payloadOffset;
    private int payloadLength;
    private Status status = Status.TOO_SHORT;

    /**
     * Reads the header of the datagram in {@code buf[off, off+len)}. The view keeps a
     * reference to {@code buf}: the payload is valid until the buffer is reused.
     */
    public Status parse(byte[] buf, int off, int len) {
        this.data = buf;
        this.offset = off;
        this.length = len;
        this.status = doParse(buf, off, len);
        return status;
    }

    /**
     * Reads the datagram between the buffer's position and limit; the buffer must be
     * array-backed (receive into a heap buffer, as the I/O loops do), so no bytes are copied.
     */
    public Status parse(java.nio.ByteBuffer datagram) {
        if (!datagram.hasArray()) {
            throw new IllegalArgumentException("RtpPacket parses array-backed buffers only");
        }
        return parse(datagram.array(), datagram.arrayOffset() + datagram.position(), datagram.remaining());
    }

    private Status doParse(byte[] buf, int off, int len) {
        if (len < HEADER_LENGTH) {
            return Status.TOO_SHORT;
        }
        int b0 = buf[off] & 0xFF;
        int b1 = buf[off + 1] & 0xFF;
        if ((b0 >>> 6) != 2) {
            return Status.BAD_VERSION;
        }
        padding = (b0 & 0x20) != 0;
        extension = (b0 & 0x10) != 0;
        csrcCount = b0 & 0x0F;
        marker = (b1 & 0x80) != 0;
        payloadType = b1 & 0x7F;
        if (payloadType >= 72 && payloadType <= 76) {
            return Status.RTCP_PAYLOAD_TYPE;
        }
        sequenceNumber = ((buf[off + 2] & 0xFF) << 8) | (buf[off + 3] & 0xFF);
        timestamp = readUnsignedInt(buf, off + 4);
        ssrc = readUnsignedInt(buf, off + 8);
        int pos = HEADER_LENGTH + 4 * csrcCount;
        if (pos > len) {
            return Status.TOO_SHORT;
        }
        if (extension) {
            // RFC 3550 §5.3.1: 16-bit profile-defined value, 16-bit length in 32-bit words.
            if (pos + 4 > len) {
                return Status.BAD_EXTENSION;
            }
            int words = ((buf[off + pos + 2] & 0xFF) << 8) | (buf[off + pos + 3] & 0xFF);
            pos += 4 + 4 * words;
            if (pos > len) {
                return Status.BAD_EXTENSION;
            }
        }
        int end = len;
        if (padding) {
            // RFC 3550 §5.1: the last octet counts the padding octets, itself included.
            int pad = buf[off + len - 1] & 0xFF;
            if (pad == 0 || pad > len - pos) {
                return Status.BAD_PADDING;
            }
            end = len - pad;
        }
        payloadOffset = off + pos;
        payloadLength = end - pos;
        return Status.OK;
    }

    /**
     * Writes a header without CSRCs or extension followed by the payload.
     *
     * @return the number of bytes written ({@link #HEADER_LENGTH} + payloadLength)
     */
    public static int write(byte[] out, int off, boolean marker, int payloadType, int sequenceNumber,
                            long timestamp, long ssrc, byte[] payload, int payloadOff, int payloadLen) {
        writeHeader(out, off, marker, payloadType, sequenceNumber, timestamp, ssrc);
        System.arraycopy(payload, payloadOff, out, off + HEADER_LENGTH, payloadLen);
        return HEADER_LENGTH + payloadLen;
    }

    /** Writes the 12-byte fixed header (version 2, no padding, no extension, no CSRCs). */
    public static void writeHeader(byte[] out, int off, boolean marker, int payloadType, int sequenceNumber,
                                   long timestamp, long ssrc) {
        out[off] = (byte) 0x80;
        out[off + 1] = (byte) ((marker ? 0x80 : 0) | (payloadType & 0x7F));
        out[off + 2] = (byte) (sequenceNumber >>> 8);
        out[off + 3] = (byte) sequenceNumber;
        writeInt(out, off + 4, timestamp);
        writeInt(out, off + 8, ssrc);
    }

    static long readUnsignedInt(byte[] b, int off) {
        return ((long) (b[off] & 0xFF) << 24) | ((b[off + 1] & 0xFF) << 16)
                | ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
    }

    static void writeInt(byte[] b, int off, long v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    public Status status() {
        return status;
    }

    public boolean valid() {
        return status == Status.OK;
    }

    public byte[] data() {
        return data;
    }

    public int offset() {
        return offset;
    }

    public int length() {
        return length;
    }

    public boolean padding() {
        return padding;
    }

    public boolean extension() {
        return extension;
    }

    public int csrcCount() {
        return csrcCount;
    }

    /** The i-th contributing source (RFC 3550 §5.1). */
    public long csrc(int i) {
        if (i < 0 || i >= csrcCount) {
            throw new IndexOutOfBoundsException("CSRC " + i + " of " + csrcCount);
        }
        return readUnsignedInt(data, offset + HEADER_LENGTH + 4 * i);
    }

    public boolean marker() {
        return marker;
    }

    public int payloadType() {
        return payloadType;
    }

    public int sequenceNumber() {
        return sequenceNumber;
    }

    /** The 32-bit RTP timestamp, unsigned. */
    public long timestamp() {
        return timestamp;
    }

    /** The 32-bit SSRC, unsigned. */
    public long ssrc() {
        return ssrc;
    }

    /** Absolute offset of the payload in {@link #data()}. */
    public int payloadOffset() {
        return payloadOffset;
    }

    /** Payload length, padding excluded. */
    public int payloadLength() {
        return payloadLength;
    }
}
