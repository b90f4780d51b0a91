package io.tandem.backend.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tandem.backend.node.SipProperties;
import io.tandem.telephony.sdp.MediaDescription;
import io.tandem.telephony.sdp.SessionDescription;
import io.tandem.telephony.srtp.CryptoAttribute;
import io.tandem.telephony.srtp.SdesException;
import io.tandem.telephony.srtp.SrtpSuite;
import org.junit.jupiter.api.Test;

class SrtpTerminationTest {

    private static final String KEY = "WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz";
    private static final String SRTP_OFFER = "v=0\r\no=alice 42 7 IN IP4 192.0.2.10\r\ns=-\r\nc=IN IP4 192.0.2.10\r\n"
            + "t=0 0\r\nm=audio 4000 RTP/SAVP 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n"
            + "a=crypto:1 AES_CM_128_HMAC_SHA1_32 inline:" + KEY + "\r\na=crypto:2 AES_CM_128_HMAC_SHA1_80 inline:"
            + KEY + "\r\na=ptime:20\r\n";
    private static final String PLAIN_OFFER = SRTP_OFFER.replace("RTP/SAVP", "RTP/AVP")
            .replaceAll("a=crypto:[^\r]*\r\n", "");

    private final SrtpTermination byDefault = new SrtpTermination(SipProperties.Srtp.TLS, false);

    @Test
    void anSrtpOfferOverTlsIsAnsweredWithTheFirstSuiteAndRelayedPlain() throws Exception {
        SrtpTermination.Terminated t = byDefault.terminate(SessionDescription.parse(SRTP_OFFER), "tls");
        assertThat(t.keys()).isNotNull();
        assertThat(t.keys().remote()).isEqualTo(CryptoAttribute.parse("1 AES_CM_128_HMAC_SHA1_32 inline:" + KEY));
        assertThat(t.keys().local().suite()).isEqualTo(SrtpSuite.AES_CM_128_HMAC_SHA1_32);
        MediaDescription relayed = t.offer().media().get(0);
        assertThat(relayed.protocol()).isEqualTo("RTP/AVP");
        assertThat(relayed.attributes("crypto")).isEmpty();
        assertThat(relayed.ptime()).isEqualTo(20);
        assertThat(SdpRewriter.relayable(t.offer())).isTrue();

        // What the node sends back on the caller's leg: RTP/SAVP with the node's own key, never the caller's.
        Leg caller = new Leg(null, Leg.Side.CALLER, "x@y", "1001");
        caller.srtp = t.keys();
        SessionDescription answer = SessionDescription.parse(SdpRewriter.rewrite(t.offer(),
                SessionDescription.parse(PLAIN_OFFER), "198.51.100.1", 30000, caller));
        assertThat(answer.media().get(0).protocol()).isEqualTo("RTP/SAVP");
        assertThat(answer.media().get(0).attributes("crypto")).containsExactly(t.keys().local().format());
    }

    @Test
    void overUdpTheOfferStaysAsItCameUnlessSrtpIsAcceptedEverywhere() throws Exception {
        SessionDescription offer = SessionDescription.parse(SRTP_OFFER);
        SrtpTermination.Terminated udp = byDefault.terminate(offer, "udp");
        assertThat(udp.keys()).isNull();
        assertThat(udp.offer()).isSameAs(offer);
        assertThat(SdpRewriter.relayable(udp.offer())).as("refused 488 as before").isFalse();
        assertThat(new SrtpTermination(SipProperties.Srtp.ANY, false).terminate(offer, "udp").keys()).isNotNull();
        assertThat(new SrtpTermination(SipProperties.Srtp.OFF, false).terminate(offer, "tls").keys()).isNull();
    }

    @Test
    void plainRtpOverTlsIsRelayedUnlessSrtpIsRequiredThere() throws Exception {
        SessionDescription plain = SessionDescription.parse(PLAIN_OFFER);
        assertThat(byDefault.terminate(plain, "tls").keys()).isNull();
        SrtpTermination strict = new SrtpTermination(SipProperties.Srtp.TLS, true);
        assertThatThrownBy(() -> strict.terminate(plain, "tls")).isInstanceOf(SdesException.class)
                .hasMessageContaining("required over TLS");
        assertThat(strict.terminate(plain, "udp").keys()).as("UDP phones are not asked for SRTP").isNull();
    }

    @Test
    void aBadKeyIsRefusedAndAReofferWithTheSameKeyKeepsOurs() throws Exception {
        assertThatThrownBy(() -> byDefault.terminate(SessionDescription.parse(
                SRTP_OFFER.replace(KEY, "AAAA")), "tls")).isInstanceOf(SdesException.class)
                .hasMessageContaining("30 bytes");
        SrtpTermination.Terminated first = byDefault.terminate(SessionDescription.parse(SRTP_OFFER), "tls");
        assertThat(SrtpTermination.reoffer(SessionDescription.parse(SRTP_OFFER), first.keys()).keys())
                .isSameAs(first.keys());
        String rekeyed = SRTP_OFFER.replace("crypto:1 AES_CM_128_HMAC_SHA1_32 inline:" + KEY,
                "crypto:1 AES_CM_128_HMAC_SHA1_32 inline:" + new StringBuilder(KEY).reverse());
        assertThat(SrtpTermination.reoffer(SessionDescription.parse(rekeyed), first.keys()).keys())
                .isNotEqualTo(first.keys());
        assertThatThrownBy(() -> SrtpTermination.reoffer(SessionDescription.parse(PLAIN_OFFER), first.keys()))
                .isInstanceOf(SdesException.class);
    }
}
