package io.tandem.telephony.rtp;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TelephoneEventTest {

    @Test
    void mapsEveryDtmfKeyBothWays() {
        for (char c : "0123456789*#ABCD".toCharArray()) {
            assertThat(TelephoneEvent.digit(TelephoneEvent.code(c))).isEqualTo(c);
        }
        assertThat(TelephoneEvent.code('#')).isEqualTo(11);
        assertThat(TelephoneEvent.code('x')).isEqualTo(-1);
        assertThat(TelephoneEvent.digit(16)).isEqualTo((char) 0);
    }

    @Test
    void senderEmitsMarkerThenUpdatesThenThreeEndPacketsAllOnTheStartTimestamp() {
        DtmfSender sender = new DtmfSender();
        sender.enqueue(TelephoneEvent.code('5'), 100); // 800 units = 5 ticks of 160
        byte[] out = new byte[16];
        DtmfSender.Packet reuse = new DtmfSender.Packet();
        List<String> sent = new ArrayList<>();
        long ts = 1000;
        DtmfSender.Packet p;
        while ((p = sender.tick(ts, 160, 8000, out, 0, reuse)) != null) {
            sent.add(p.marker + "/" + p.timestamp + "/" + TelephoneEvent.event(out, 0) + "/"
                    + TelephoneEvent.end(out, 0) + "/" + TelephoneEvent.duration(out, 0));
            ts += 160;
        }
        assertThat(sent).containsExactly(
                "true/1000/5/false/160",
                "false/1000/5/false/320",
                "false/1000/5/false/480",
                "false/1000/5/false/640",
                "false/1000/5/true/800",
                "false/1000/5/true/800",
                "false/1000/5/true/800");
        assertThat(sender.idle()).isTrue();
    }
}
