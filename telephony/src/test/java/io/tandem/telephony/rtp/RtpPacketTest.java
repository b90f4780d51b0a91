package io.tandem.telephony.rtp;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RtpPacketTest {
    private final RtpPacket packet = new RtpPacket();

    @Test
    void writesAndParsesTheFixedHeaderAndPayload() {
        byte[] payload = {1, 2, 3, 4, 5};
        byte[] buf = new byte[64];
        int len = RtpPacket.write(buf, 0, true, 8, 65535, 0xFFFFFFF0L, 0xCAFEBABEL, payload, 0, 5);

        assertThat(len).isEqualTo(17);
        assertThat(packet.parse(buf, 0, len)).isEqualTo(RtpPacket.Status.OK);
        assertThat(packet.marker()).isTrue();
        assertThat(packet.payloadType()).isEqualTo(8);
        assertThat(packet.sequenceNumber()).isEqualTo(65535);
        assertThat(packet.timestamp()).isEqualTo(0xFFFFFFF0L);
        assertThat(packet.ssrc()).isEqualTo(0xCAFEBABEL);
        assertThat(packet.payloadOffset()).isEqualTo(12);
        assertThat(packet.payloadLength()).isEqualTo(5);
        assertThat(buf[packet.payloadOffset() + 4]).isEqualTo((byte) 5);
    }

    @Test
    void skipsCsrcsAndHeaderExtensionAndStripsPadding() {
        // V=2 P=1 X=1 CC=2, PT 0; 2 CSRCs; extension of 1 word; 3 payload bytes; 4 bytes padding
        byte[] buf = {
                (byte) 0xB2, 0x00, 0x00, 0x01, 0, 0, 0, 10, 0, 0, 0, 7,
                0, 0, 0, 0x11, 0, 0, 0, 0x22,
                (byte) 0xBE, (byte) 0xDE, 0, 1, 9, 9, 9, 9,
                'a', 'b', 'c',
                0, 0, 0, 4};
        assertThat(packet.parse(buf, 0, buf.length)).isEqualTo(RtpPacket.Status.OK);
        assertThat(packet.csrcCount()).isEqualTo(2);
        assertThat(packet.csrc(1)).isEqualTo(0x22);
        assertThat(packet.payloadOffset()).isEqualTo(28);
        assertThat(packet.payloadLength()).isEqualTo(3);
        assertThat(packet.data()[packet.payloadOffset()]).isEqualTo((byte) 'a');
    }

    @Test
    void parsesAtAnOffsetInsideALargerBuffer() {
        byte[] buf = new byte[100];
        RtpPacket.write(buf, 30, false, 0, 7, 160, 1, new byte[]{42}, 0, 1);
        assertThat(packet.parse(buf, 30, 13)).isEqualTo(RtpPacket.Status.OK);
        assertThat(packet.sequenceNumber()).isEqualTo(7);
        assertThat(buf[packet.payloadOffset()]).isEqualTo((byte) 42);
    }

    @Test
    void parsesAReceivedByteBufferBetweenPositionAndLimit() {
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(64);
        byte[] bytes = new byte[14];
        RtpPacket.write(bytes, 0, false, 18, 300, 480, 9, new byte[]{7, 8}, 0, 2);
        buf.position(4);
        buf.put(bytes).flip().position(4);
        assertThat(packet.parse(buf)).isEqualTo(RtpPacket.Status.OK);
        assertThat(packet.length()).isEqualTo(14);
        assertThat(packet.sequenceNumber()).isEqualTo(300);
        assertThat(packet.payloadLength()).isEqualTo(2);
        assertThat(packet.data()[packet.payloadOffset() + 1]).isEqualTo((byte) 8);
    }

    @Test
    void rejectsMalformedDatagramsWithTheReason() {
        byte[] ok = new byte[20];
        RtpPacket.writeHeader(ok, 0, false, 0, 1, 1, 1);

        assertThat(packet.parse(ok, 0, 11)).isEqualTo(RtpPacket.Status.TOO_SHORT);

        byte[] v1 = ok.clone();
        v1[0] = 0x40;
        assertThat(packet.parse(v1, 0, 20)).isEqualTo(RtpPacket.Status.BAD_VERSION);

        byte[] csrcs = ok.clone();
        csrcs[0] = (byte) 0x8F; // 15 CSRCs = 60 bytes, only 8 present
        assertThat(packet.parse(csrcs, 0, 20)).isEqualTo(RtpPacket.Status.TOO_SHORT);

        byte[] ext = ok.clone();
        ext[0] = (byte) 0x90;
        ext[14] = 0;
        ext[15] = 5; // 5 words of extension, only 4 bytes present after the ext header
        assertThat(packet.parse(ext, 0, 20)).isEqualTo(RtpPacket.Status.BAD_EXTENSION);

        byte[] pad = ok.clone();
        pad[0] = (byte) 0xA0;
        pad[19] = 9; // more padding than payload
        assertThat(packet.parse(pad, 0, 20)).isEqualTo(RtpPacket.Status.BAD_PADDING);
        pad[19] = 0; // zero padding count is invalid too
        assertThat(packet.parse(pad, 0, 20)).isEqualTo(RtpPacket.Status.BAD_PADDING);

        byte[] rtcp = ok.clone();
        rtcp[1] = (byte) 200; // an SR on the RTP port: PT 72 with the marker bit
        assertThat(packet.parse(rtcp, 0, 20)).isEqualTo(RtpPacket.Status.RTCP_PAYLOAD_TYPE);
        assertThat(packet.valid()).isFalse();
    }
}
