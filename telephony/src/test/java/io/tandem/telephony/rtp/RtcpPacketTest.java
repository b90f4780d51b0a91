package io.tandem.telephony.rtp;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RtcpPacketTest {
    private final ReportBlock block = new ReportBlock(0x11223344L, 64, -3, 0x1_0005L, 37, 0xABCD1234L, 65536);

    @Test
    void compoundSenderReportSdesAndByeRoundTrip() throws Exception {
        var sr = new RtcpPacket.SenderReport(0xDEADBEEFL, 0xE000_0001_8000_0000L, 123456, 500, 80000, List.of(block));
        var sdes = new RtcpPacket.SourceDescription(0xDEADBEEFL, "alice@127.0.0.1");
        var bye = new RtcpPacket.Goodbye(List.of(0xDEADBEEFL), "hangup");
        byte[] out = new byte[256];
        int len = RtcpPacket.writeCompound(List.of(sr, sdes, bye), out, 0);

        assertThat(len % 4).isZero();
        assertThat(len).isEqualTo(sr.length() + sdes.length() + bye.length());
        List<RtcpPacket> parsed = RtcpPacket.parseCompound(out, 0, len);
        assertThat(parsed).containsExactly(sr, sdes, bye);
        assertThat(((RtcpPacket.SenderReport) parsed.get(0)).compactNtp()).isEqualTo(0x0001_8000L);
    }

    @Test
    void receiverReportKeepsNegativeCumulativeLossAndBlocks() throws Exception {
        var rr = new RtcpPacket.ReceiverReport(5, List.of(block, block));
        byte[] out = new byte[128];
        int len = rr.write(out, 0);

        assertThat(len).isEqualTo(8 + 48);
        RtcpPacket.ReceiverReport back = (RtcpPacket.ReceiverReport) RtcpPacket.parseCompound(out, 0, len).get(0);
        assertThat(back.blocks()).hasSize(2);
        assertThat(back.blocks().get(0).cumulativeLost()).isEqualTo(-3);
        assertThat(back.blocks().get(0).fractionLostRatio()).isEqualTo(0.25);
        assertThat(back).isEqualTo(rr);
    }

    @Test
    void rejectsPacketsThatBreakTheAppendixA2Checks() {
        byte[] out = new byte[128];
        int len = new RtcpPacket.ReceiverReport(5, List.of(block)).write(out, 0);

        byte[] v1 = out.clone();
        v1[0] = (byte) (0x40 | 1);
        assertThatThrownBy(() -> RtcpPacket.parseCompound(v1, 0, len)).isInstanceOf(RtcpFormatException.class)
                .hasMessageContaining("version");

        assertThatThrownBy(() -> RtcpPacket.parseCompound(out, 0, len - 4))
                .hasMessageContaining("runs past");

        byte[] bye = new byte[64];
        int byeLen = new RtcpPacket.Goodbye(List.of(1L), null).write(bye, 0);
        assertThatThrownBy(() -> RtcpPacket.parseCompound(bye, 0, byeLen))
                .hasMessageContaining("not SR or RR");

        assertThatThrownBy(() -> RtcpPacket.parseCompound(out, 0, 3)).hasMessageContaining("shorter");

        byte[] padded = out.clone();
        padded[0] |= 0x20;
        padded[len - 1] = 0;
        assertThatThrownBy(() -> RtcpPacket.parseCompound(padded, 0, len)).hasMessageContaining("padding");
    }

    @Test
    void skipsPacketTypesItDoesNotModel() throws Exception {
        byte[] out = new byte[128];
        int len = new RtcpPacket.ReceiverReport(9, List.of()).write(out, 0);
        // an APP packet: V=2, subtype 0, PT 204, length 2 words (12 bytes)
        byte[] app = {(byte) 0x80, (byte) 204, 0, 2, 0, 0, 0, 9, 'T', 'E', 'S', 'T'};
        System.arraycopy(app, 0, out, len, app.length);
        assertThat(RtcpPacket.parseCompound(out, 0, len + app.length))
                .containsExactly(new RtcpPacket.ReceiverReport(9, List.of()));
    }
}
