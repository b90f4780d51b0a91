package io.tandem.telephony.fuzz;

import io.tandem.telephony.codec.CodecSpec;
import io.tandem.telephony.media.MediaDirection;
import io.tandem.telephony.rtp.ReportBlock;
import io.tandem.telephony.rtp.RtcpPacket;
import io.tandem.telephony.rtp.RtpPacket;
import io.tandem.telephony.rtp.TelephoneEvent;
import io.tandem.telephony.sdp.SdpNegotiator;
import io.tandem.telephony.sip.TortureCorpus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The inputs mutations start from: every RFC 4475 torture message, and traffic as our own classes produce it
 * (an SDP offer from {@link SdpNegotiator}, RTP from {@link RtpPacket#write}, DTMF from {@link TelephoneEvent},
 * RTCP from {@link RtcpPacket} records) plus the SIP dialogue a UA exchanges for a registration and a call.
 */
public final class Seeds {
    private Seeds() {
    }

    public static List<FuzzTarget> targets() {
        return List.of(new SipMessageTarget(sip()), new SdpTarget(sdp()), new RtpTarget(rtp()),
                new RtcpTarget(rtcp()));
    }

    static List<byte[]> sip() {
        List<byte[]> seeds = new ArrayList<>();
        for (String file : TortureCorpus.EXPECTED.keySet()) {
            seeds.add(torture(file));
        }
        String offer = offer();
        seeds.add(crlf("REGISTER sip:tandem.example SIP/2.0\n"
                + "Via: SIP/2.0/UDP 192.0.2.10:5062;branch=z9hG4bK-reg-2;rport\n"
                + "Max-Forwards: 70\nFrom: <sip:1001@tandem.example>;tag=a73kszlfl\n"
                + "To: <sip:1001@tandem.example>\nCall-ID: 1j9FpLxk3uxtm8tn@192.0.2.10\nCSeq: 2 REGISTER\n"
                + "Contact: <sip:1001@192.0.2.10:5062;transport=udp>;expires=3600\n"
                + "Authorization: Digest username=\"1001\", realm=\"tandem.example\", nonce=\"5f1a0c8e\", "
                + "uri=\"sip:tandem.example\", response=\"8a1c2e7f36e0fa8e6e0d7a3c1b0f4e21\", algorithm=MD5, "
                + "qop=auth, nc=00000001, cnonce=\"0a4f113b\"\nContent-Length: 0\n\n"));
        seeds.add(join(crlf("INVITE sip:queue-support@tandem.example SIP/2.0\n"
                + "Via: SIP/2.0/UDP 192.0.2.10:5062;branch=z9hG4bK-inv-1\nMax-Forwards: 70\n"
                + "From: \"Caller\" <sip:1001@tandem.example>;tag=9fxced76sl\n"
                + "To: <sip:queue-support@tandem.example>\nCall-ID: 3848276298220188511@192.0.2.10\n"
                + "CSeq: 1 INVITE\nContact: <sip:1001@192.0.2.10:5062>\nSupported: replaces, timer\n"
                + "Session-Expires: 1800\nContent-Type: application/sdp\nContent-Length: " + offer.length()
                + "\n\n"), offer.getBytes(StandardCharsets.US_ASCII)));
        seeds.add(crlf("SIP/2.0 180 Ringing\nVia: SIP/2.0/UDP 192.0.2.20:5060;branch=z9hG4bK-out-7;received=192.0.2.20\n"
                + "From: <sip:tandem@tandem.example>;tag=n0de1\nTo: <sip:2001@192.0.2.30>;tag=ph0ne2\n"
                + "Call-ID: out-7@192.0.2.20\nCSeq: 1 INVITE\nContact: <sip:2001@192.0.2.30:5064>\n"
                + "Content-Length: 0\n\n"));
        seeds.add(crlf("BYE sip:1001@192.0.2.10:5062 SIP/2.0\nVia: SIP/2.0/UDP 192.0.2.20:5060;branch=z9hG4bK-bye-3\n"
                + "Max-Forwards: 70\nFrom: <sip:queue-support@tandem.example>;tag=n0de1\n"
                + "To: \"Caller\" <sip:1001@tandem.example>;tag=9fxced76sl\n"
                + "Call-ID: 3848276298220188511@192.0.2.10\nCSeq: 2 BYE\nReason: Q.850;cause=16\n"
                + "Content-Length: 0\n\n"));
        seeds.add(crlf("REFER sip:2001@192.0.2.30:5064 SIP/2.0\nVia: SIP/2.0/UDP 192.0.2.10:5062;branch=z9hG4bK-ref\n"
                + "Max-Forwards: 70\nFrom: <sip:1001@tandem.example>;tag=a1\nTo: <sip:2001@tandem.example>;tag=b2\n"
                + "Call-ID: xfer-1@192.0.2.10\nCSeq: 3 REFER\n"
                + "Refer-To: <sip:2002@tandem.example?Replaces=abc%40host%3Bto-tag%3D1%3Bfrom-tag%3D2>\n"
                + "Referred-By: <sip:1001@tandem.example>\nContent-Length: 0\n\n"));
        return seeds;
    }

    static List<byte[]> sdp() {
        List<byte[]> seeds = new ArrayList<>();
        for (String file : TortureCorpus.EXPECTED.keySet()) {
            String text = new String(torture(file), StandardCharsets.ISO_8859_1);
            int body = text.indexOf("\r\n\r\n");
            if (body >= 0 && text.indexOf("v=0", body) >= 0) {
                seeds.add(text.substring(body + 4).getBytes(StandardCharsets.ISO_8859_1));
            }
        }
        seeds.add(offer().getBytes(StandardCharsets.US_ASCII));
        seeds.add(new SdpNegotiator(List.of(CodecSpec.OPUS, CodecSpec.G722, CodecSpec.PCMU), true)
                .createOffer(new InetSocketAddress("2001:db8::5", 50000), MediaDirection.SENDONLY).encode()
                .getBytes(StandardCharsets.US_ASCII));
        return seeds;
    }

    static List<byte[]> rtp() {
        List<byte[]> seeds = new ArrayList<>();
        byte[] pcmu = new byte[160];
        Arrays.fill(pcmu, (byte) 0xFF);
        byte[] out = new byte[RtpPacket.HEADER_LENGTH + pcmu.length];
        RtpPacket.write(out, 0, true, 0, 4711, 160_000L, 0x1234_5678L, pcmu, 0, pcmu.length);
        seeds.add(out.clone());
        byte[] event = new byte[4];
        TelephoneEvent.write(event, 0, 5, true, 10, 800);
        byte[] dtmf = new byte[RtpPacket.HEADER_LENGTH + event.length];
        RtpPacket.write(dtmf, 0, false, 101, 4712, 160_160L, 0x1234_5678L, event, 0, event.length);
        seeds.add(dtmf);
        // With two CSRCs, a one-word header extension and four octets of padding (RFC 3550 §5.1, §5.3.1).
        byte[] full = new byte[RtpPacket.HEADER_LENGTH + 8 + 8 + 20 + 4];
        RtpPacket.writeHeader(full, 0, false, 8, 65535, 0xFFFF_FFFFL, 0xCAFE_BABEL);
        full[0] = (byte) (0x80 | 0x20 | 0x10 | 2);
        full[RtpPacket.HEADER_LENGTH + 8] = (byte) 0xBE;
        full[RtpPacket.HEADER_LENGTH + 9] = (byte) 0xDE;
        full[RtpPacket.HEADER_LENGTH + 11] = 1;
        full[full.length - 1] = 4;
        seeds.add(full);
        return seeds;
    }

    static List<byte[]> rtcp() {
        ReportBlock block = new ReportBlock(0x1234_5678L, 12, 40, 70_000L, 160L, 0xABCD_0000L, 65_536L);
        List<RtcpPacket> sr = List.of(
                new RtcpPacket.SenderReport(0xCAFE_BABEL, 0xE8F1_0000_8000_0000L, 160_000L, 500, 80_000,
                        List.of(block)),
                new RtcpPacket.SourceDescription(0xCAFE_BABEL, "tandem@192.0.2.20"));
        List<RtcpPacket> rr = List.of(new RtcpPacket.ReceiverReport(0xCAFE_BABEL, List.of(block, block)),
                new RtcpPacket.SourceDescription(0xCAFE_BABEL, "phone"),
                new RtcpPacket.Goodbye(List.of(0xCAFE_BABEL), "hang-up"));
        return List.of(compound(sr), compound(rr));
    }

    private static byte[] compound(List<RtcpPacket> packets) {
        int length = packets.stream().mapToInt(RtcpPacket::length).sum();
        byte[] out = new byte[length];
        int off = 0;
        for (RtcpPacket p : packets) {
            off += p.write(out, off);
        }
        return out;
    }

    private static String offer() {
        return new SdpNegotiator(List.of(CodecSpec.PCMA, CodecSpec.PCMU), true)
                .createOffer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 40002), MediaDirection.SENDRECV)
                .encode();
    }

    private static byte[] join(byte[] head, byte[] body) {
        byte[] out = Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, out, head.length, body.length);
        return out;
    }

    private static byte[] crlf(String text) {
        return text.replace("\n", "\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] torture(String file) {
        try {
            return TortureCorpus.read(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
