package io.tandem.telephony.rtp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * RTCP packets (RFC 3550 §6.4–6.6) and compound packets (§6.1): sender and receiver reports
 * with their report blocks, SDES CNAME and BYE. RTCP goes out every few seconds, so these
 * are plain immutable records; only the RTP path is allocation-free.
 */
public sealed interface RtcpPacket {
    int SR = 200;
    int RR = 201;
    int SDES = 202;
    int BYE = 203;
    int APP = 204;

    /** Writes this packet at {@code off}; returns the bytes written (a multiple of 4). */
    int write(byte[] out, int off);

    /** Length in bytes once written. */
    int length();

    /** RFC 3550 §6.4.1 sender report. {@code ntpTimestamp} is the 64-bit NTP time of sending. */
    record SenderReport(long ssrc, long ntpTimestamp, long rtpTimestamp, long packetCount, long octetCount,
                        List<ReportBlock> blocks) implements RtcpPacket {
        public SenderReport {
            blocks = List.copyOf(blocks);
            if (blocks.size() > 31) {
                throw new IllegalArgumentException("at most 31 report blocks: " + blocks.size());
            }
        }

        /** The middle 32 bits of the NTP timestamp, which the receiver echoes as LSR (§6.4.1). */
        public long compactNtp() {
            return (ntpTimestamp >>> 16) & 0xFFFFFFFFL;
        }

        @Override
        public int length() {
            return 28 + ReportBlock.LENGTH * blocks.size();
        }

        @Override
        public int write(byte[] out, int off) {
            header(out, off, blocks.size(), SR, length());
            RtpPacket.writeInt(out, off + 4, ssrc);
            RtpPacket.writeInt(out, off + 8, ntpTimestamp >>> 32);
            RtpPacket.writeInt(out, off + 12, ntpTimestamp);
            RtpPacket.writeInt(out, off + 16, rtpTimestamp);
            RtpPacket.writeInt(out, off + 20, packetCount);
            RtpPacket.writeInt(out, off + 24, octetCount);
            for (int i = 0; i < blocks.size(); i++) {
                blocks.get(i).write(out, off + 28 + i * ReportBlock.LENGTH);
            }
            return length();
        }
    }

    /** RFC 3550 §6.4.2 receiver report. */
    record ReceiverReport(long ssrc, List<ReportBlock> blocks) implements RtcpPacket {
        public ReceiverReport {
            blocks = List.copyOf(blocks);
            if (blocks.size() > 31) {
                throw new IllegalArgumentException("at most 31 report blocks: " + blocks.size());
            }
        }

        @Override
        public int length() {
            return 8 + ReportBlock.LENGTH * blocks.size();
        }

        @Override
        public int write(byte[] out, int off) {
            header(out, off, blocks.size(), RR, length());
            RtpPacket.writeInt(out, off + 4, ssrc);
            for (int i = 0; i < blocks.size(); i++) {
                blocks.get(i).write(out, off + 8 + i * ReportBlock.LENGTH);
            }
            return length();
        }
    }

    /** RFC 3550 §6.5 SDES with the one mandatory item, CNAME, for one source. */
    record SourceDescription(long ssrc, String cname) implements RtcpPacket {
        public SourceDescription {
            if (cname.getBytes(StandardCharsets.UTF_8).length > 255) {
                throw new IllegalArgumentException("CNAME longer than 255 bytes");
            }
        }

        @Override
        public int length() {
            int chunk = 4 + 2 + cname.getBytes(StandardCharsets.UTF_8).length + 1; // + END item
            return 4 + ((chunk + 3) & ~3);
        }

        @Override
        public int write(byte[] out, int off) {
            int len = length();
            java.util.Arrays.fill(out, off, off + len, (byte) 0);
            header(out, off, 1, SDES, len);
            RtpPacket.writeInt(out, off + 4, ssrc);
            byte[] name = cname.getBytes(StandardCharsets.UTF_8);
            out[off + 8] = 1; // CNAME
            out[off + 9] = (byte) name.length;
            System.arraycopy(name, 0, out, off + 10, name.length);
            // the zero bytes that follow are the END item and the padding to 32 bits (§6.5)
            return len;
        }
    }

    /** RFC 3550 §6.6 goodbye, with an optional reason. */
    record Goodbye(List<Long> ssrcs, String reason) implements RtcpPacket {
        public Goodbye {
            ssrcs = List.copyOf(ssrcs);
            if (ssrcs.size() > 31) {
                throw new IllegalArgumentException("at most 31 sources: " + ssrcs.size());
            }
            if (reason != null && reason.getBytes(StandardCharsets.UTF_8).length > 255) {
                throw new IllegalArgumentException("reason longer than 255 bytes");
            }
        }

        @Override
        public int length() {
            int len = 4 + 4 * ssrcs.size();
            if (reason != null) {
                len += (1 + reason.getBytes(StandardCharsets.UTF_8).length + 3) & ~3;
            }
            return len;
        }

        @Override
        public int write(byte[] out, int off) {
            int len = length();
            java.util.Arrays.fill(out, off, off + len, (byte) 0);
            header(out, off, ssrcs.size(), BYE, len);
            for (int i = 0; i < ssrcs.size(); i++) {
                RtpPacket.writeInt(out, off + 4 + 4 * i, ssrcs.get(i));
            }
            if (reason != null) {
                byte[] r = reason.getBytes(StandardCharsets.UTF_8);
                int p = off + 4 + 4 * ssrcs.size();
                out[p] = (byte) r.length;
                System.arraycopy(r, 0, out, p + 1, r.length);
            }
            return len;
        }
    }

    /** Writes the packets as one compound packet (§6.1); returns the total length. */
    static int writeCompound(List<? extends RtcpPacket> packets, byte[] out, int off) {
        int pos = off;
        for (RtcpPacket p : packets) {
            pos += p.write(out, pos);
        }
        return pos - off;
    }

    /**
     * Parses a compound RTCP packet with the validity checks of RFC 3550 Appendix A.2:
     * version 2, the first packet an SR or RR, padding only on the last packet, and the
     * lengths adding up to the datagram length. Packet types it does not model (APP, XR,
     * feedback) are skipped; SDES items other than CNAME are ignored. Public as the parser's one entry point, so the
     * fuzz campaign ({@code ./tandem bench fuzz}) drives exactly what {@link RtcpReporter} runs on a received datagram.
     */
    public static List<RtcpPacket> parseCompound(byte[] buf, int off, int len) throws RtcpFormatException {
        if (len < 4) {
            throw new RtcpFormatException("shorter than an RTCP header: " + len + " bytes");
        }
        List<RtcpPacket> packets = new ArrayList<>(3);
        int pos = off;
        int end = off + len;
        boolean first = true;
        while (pos < end) {
            if (end - pos < 4) {
                throw new RtcpFormatException("trailing " + (end - pos) + " bytes after the last packet");
            }
            int b0 = buf[pos] & 0xFF;
            int type = buf[pos + 1] & 0xFF;
            int count = b0 & 0x1F;
            int plen = 4 * ((((buf[pos + 2] & 0xFF) << 8) | (buf[pos + 3] & 0xFF)) + 1);
            if ((b0 >>> 6) != 2) {
                throw new RtcpFormatException("version " + (b0 >>> 6) + " is not 2");
            }
            if (first && type != SR && type != RR) {
                throw new RtcpFormatException("compound packet starts with type " + type + ", not SR or RR");
            }
            if (pos + plen > end) {
                throw new RtcpFormatException("packet type " + type + " length " + plen + " runs past the datagram");
            }
            int bodyEnd = pos + plen;
            if ((b0 & 0x20) != 0) {
                if (bodyEnd != end) {
                    throw new RtcpFormatException("padding on a packet that is not the last one");
                }
                int pad = buf[end - 1] & 0xFF;
                if (pad == 0 || pad > plen - 4) {
                    throw new RtcpFormatException("bad padding count " + pad);
                }
                bodyEnd -= pad;
            }
            packets.add(parseOne(buf, pos, bodyEnd, type, count));
            first = false;
            pos += plen;
        }
        packets.removeIf(p -> p == null);
        return packets;
    }

    private static RtcpPacket parseOne(byte[] b, int pos, int bodyEnd, int type, int count)
            throws RtcpFormatException {
        switch (type) {
            case SR -> {
                need(b, pos, bodyEnd, 28 + count * ReportBlock.LENGTH, "SR");
                long ntp = (RtpPacket.readUnsignedInt(b, pos + 8) << 32) | RtpPacket.readUnsignedInt(b, pos + 12);
                return new SenderReport(RtpPacket.readUnsignedInt(b, pos + 4), ntp,
                        RtpPacket.readUnsignedInt(b, pos + 16), RtpPacket.readUnsignedInt(b, pos + 20),
                        RtpPacket.readUnsignedInt(b, pos + 24), blocks(b, pos + 28, count));
            }
            case RR -> {
                need(b, pos, bodyEnd, 8 + count * ReportBlock.LENGTH, "RR");
                return new ReceiverReport(RtpPacket.readUnsignedInt(b, pos + 4), blocks(b, pos + 8, count));
            }
            case SDES -> {
                return count == 0 ? null : parseCname(b, pos + 4, bodyEnd);
            }
            case BYE -> {
                need(b, pos, bodyEnd, 4 + 4 * count, "BYE");
                List<Long> ssrcs = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    ssrcs.add(RtpPacket.readUnsignedInt(b, pos + 4 + 4 * i));
                }
                int r = pos + 4 + 4 * count;
                String reason = null;
                if (r < bodyEnd) {
                    int rl = b[r] & 0xFF;
                    if (r + 1 + rl > bodyEnd) {
                        throw new RtcpFormatException("BYE reason runs past the packet");
                    }
                    reason = new String(b, r + 1, rl, StandardCharsets.UTF_8);
                }
                return new Goodbye(ssrcs, reason);
            }
            default -> {
                return null; // APP, XR, RTPFB...: valid but not modelled
            }
        }
    }

    /** First chunk's CNAME, if present (§6.5.1). */
    private static RtcpPacket parseCname(byte[] b, int pos, int bodyEnd) throws RtcpFormatException {
        need(b, pos - 4, bodyEnd, 8, "SDES");
        long ssrc = RtpPacket.readUnsignedInt(b, pos);
        int p = pos + 4;
        while (p < bodyEnd && b[p] != 0) {
            if (p + 2 > bodyEnd) {
                throw new RtcpFormatException("SDES item runs past the packet");
            }
            int itemLen = b[p + 1] & 0xFF;
            if (p + 2 + itemLen > bodyEnd) {
                throw new RtcpFormatException("SDES item runs past the packet");
            }
            if (b[p] == 1) {
                return new SourceDescription(ssrc, new String(b, p + 2, itemLen, StandardCharsets.UTF_8));
            }
            p += 2 + itemLen;
        }
        return null;
    }

    private static void need(byte[] b, int pos, int bodyEnd, int needed, String what) throws RtcpFormatException {
        if (bodyEnd - pos < needed) {
            throw new RtcpFormatException(what + " needs " + needed + " bytes, has " + (bodyEnd - pos));
        }
    }

    private static List<ReportBlock> blocks(byte[] b, int off, int count) {
        List<ReportBlock> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            list.add(ReportBlock.read(b, off + i * ReportBlock.LENGTH));
        }
        return list;
    }

    private static void header(byte[] out, int off, int count, int type, int length) {
        out[off] = (byte) (0x80 | count);
        out[off + 1] = (byte) type;
        int words = length / 4 - 1;
        out[off + 2] = (byte) (words >>> 8);
        out[off + 3] = (byte) words;
    }
}
