package io.tandem.backend.call;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.telephony.media.MediaDirection;
import io.tandem.telephony.sdp.SessionDescription;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class SdpRewriterTest {

    private static final String OFFER = "v=0\r\no=alice 42 7 IN IP4 192.0.2.10\r\ns=-\r\nc=IN IP4 192.0.2.10\r\n"
            + "t=0 0\r\nm=audio 4000 RTP/AVP 8 0 101\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:0 PCMU/8000\r\n"
            + "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\na=ptime:20\r\na=sendonly\r\n"
            + "m=video 4002 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n";

    private final Leg leg = new Leg(null, Leg.Side.CALLEE, "x@y", "1002");

    @Test
    void theNodeAddressAndRelayPortReplaceThePartysAndEverythingElseIsKept() throws Exception {
        SessionDescription rewritten = SessionDescription.parse(
                SdpRewriter.rewrite(SessionDescription.parse(OFFER), "198.51.100.1", 30000, leg));
        assertThat(rewritten.connection().host()).isEqualTo("198.51.100.1");
        assertThat(rewritten.origin().address().host()).isEqualTo("198.51.100.1");
        assertThat(rewritten.origin().sessionVersion()).isEqualTo("1");
        var audio = rewritten.media().get(0);
        assertThat(audio.port()).isEqualTo(30000);
        assertThat(audio.payloadTypes()).containsExactly(8, 0, 101);
        assertThat(audio.direction()).isEqualTo(MediaDirection.SENDONLY);
        assertThat(audio.ptime()).isEqualTo(20);
        assertThat(rewritten.media().get(1).port()).as("video is not relayed: refused with port 0").isZero();
        assertThat(SessionDescription.parse(SdpRewriter.rewrite(SessionDescription.parse(OFFER), "198.51.100.1",
                30000, leg)).origin().sessionVersion()).isEqualTo("2");
    }

    @Test
    void holdByZeroAddressSurvivesTheRewrite() throws Exception {
        String hold = OFFER.replace("c=IN IP4 192.0.2.10", "c=IN IP4 0.0.0.0");
        SessionDescription rewritten = SessionDescription.parse(
                SdpRewriter.rewrite(SessionDescription.parse(hold), "198.51.100.1", 30000, leg));
        assertThat(rewritten.connectionFor(rewritten.media().get(0)).orElseThrow().isHold()).isTrue();
        assertThat(SdpRewriter.remoteRtp(SessionDescription.parse(hold))).isEmpty();
    }

    @Test
    void theAgreedCodecIsTheAnswersFirstAndTheRemoteIsItsAddress() throws Exception {
        SessionDescription answer = SessionDescription.parse(OFFER);
        SdpRewriter.Agreed agreed = SdpRewriter.agreed(answer).orElseThrow();
        assertThat(agreed.codec().encodingName()).isEqualTo("PCMA");
        assertThat(agreed.telephoneEventPayloadType()).isEqualTo(101);
        assertThat(SdpRewriter.remoteRtp(answer)).contains(new InetSocketAddress("192.0.2.10", 4000));
        assertThat(SdpRewriter.relayable(answer)).isTrue();
    }
}
