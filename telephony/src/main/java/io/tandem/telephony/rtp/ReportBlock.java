package io.tandem.telephony.rtp;

/**
 * One reception report block of an RTCP SR or RR (RFC 3550 §6.4.1).
 *
 * @param ssrc                     the source this block reports on
 * @param fractionLost             fraction lost since the previous report, in 1/256 (0..255)
 * @param cumulativeLost           cumulative number of packets lost, signed 24-bit
 * @param extendedHighestSequence  cycles &lt;&lt; 16 | highest sequence number received
 * @param jitter                   interarrival jitter in timestamp units
 * @param lastSenderReport         middle 32 bits of the NTP timestamp of the last SR received (LSR), 0 if none
 * @param delaySinceLastSenderReport delay since that SR, in 1/65536 s (DLSR)
 */
public record ReportBlock(long ssrc, int fractionLost, int cumulativeLost, long extendedHighestSequence,
                          long jitter, long lastSenderReport, long delaySinceLastSenderReport) {
    static final int LENGTH = 24;

    public ReportBlock {
        if (fractionLost < 0 || fractionLost > 255) {
            throw new IllegalArgumentException("fraction lost out of range 0..255: " + fractionLost);
        }
        // RFC 3550 §6.4.1: clamp to the signed 24-bit range rather than wrap.
        cumulativeLost = Math.max(-0x800000, Math.min(0x7FFFFF, cumulativeLost));
    }

    /** Fraction lost as a ratio 0..1. */
    public double fractionLostRatio() {
        return fractionLost / 256.0;
    }

    void write(byte[] out, int off) {
        RtpPacket.writeInt(out, off, ssrc);
        out[off + 4] = (byte) fractionLost;
        out[off + 5] = (byte) (cumulativeLost >> 16);
        out[off + 6] = (byte) (cumulativeLost >> 8);
        out[off + 7] = (byte) cumulativeLost;
        RtpPacket.writeInt(out, off + 8, extendedHighestSequence);
        RtpPacket.writeInt(out, off + 12, jitter);
        RtpPacket.writeInt(out, off + 16, lastSenderReport);
        RtpPacket.writeInt(out, off + 20, delaySinceLastSenderReport);
    }

    static ReportBlock read(byte[] b, int off) {
        int lost = ((b[off + 5] & 0xFF) << 16) | ((b[off + 6] & 0xFF) << 8) | (b[off + 7] & 0xFF);
        if ((lost & 0x800000) != 0) {
            lost |= 0xFF000000; // sign-extend 24 bits
        }
        return new ReportBlock(RtpPacket.readUnsignedInt(b, off), b[off + 4] & 0xFF, lost,
                RtpPacket.readUnsignedInt(b, off + 8), RtpPacket.readUnsignedInt(b, off + 12),
                RtpPacket.readUnsignedInt(b, off + 16), RtpPacket.readUnsignedInt(b, off + 20));
    }
}
