package io.tandem.backend.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tandem.backend.node.SipProperties;
import io.tandem.telephony.sdp.MediaDescription;
import io.tandem.telephony.sdp.SessionDescription;
import io.tandem.telephony.srtp.CryptoAttribute;
import io.tandem.telephony.srtp.Sdes;
import io.tandem.telephony.srtp.SdesException;
import io.tandem.telephony.srtp.SrtpSuite;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class CalleeSrtpTest {

    private static final String PLAIN_OFFER = "v=0\r\no=tandem 1 1 IN IP4 198.51.100.1\r\ns=-\r\n"
            + "c=IN IP4 198.51.100.1\r\nt=0 0\r\nm=audio 30000 RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\n"
            + "a=rtpmap:101 telephone-event/8000\r\n";
    private static final String PLAIN_ANSWER = "v=0\r\no=bob 7 7 IN IP4 192.0.2.20\r\ns=-\r\nc=IN IP4 192.0.2.20\r\n"
            + "t=0 0\r\nm=audio 4000 RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n";
    private static final String PHONE_KEY = CryptoAttribute.generate(1, SrtpSuite.AES_CM_128_HMAC_SHA1_80,
            new SecureRandom()).format();

    private static CalleeSrtp offered(SipProperties.Srtp policy, boolean required, String transport) {
        return new SrtpTermination(policy, required).offerTo(transport).orElse(null);
    }

    private static SessionDescription srtpAnswer(String crypto) throws Exception {
        return SessionDescription.parse(PLAIN_ANSWER.replace("RTP/AVP", "RTP/SAVP") + "a=crypto:" + crypto + "\r\n");
    }

    @Test
    void onlyAPhoneReachedOverTlsIsOfferedSrtpAndNeverWhenItIsOff() {
        assertThat(offered(SipProperties.Srtp.TLS, false, "tls")).isNotNull();
        assertThat(offered(SipProperties.Srtp.ANY, false, "TLS")).isNotNull();
        assertThat(offered(SipProperties.Srtp.ANY, false, "udp")).as("no key in clear").isNull();
        assertThat(offered(SipProperties.Srtp.TLS, false, "tcp")).isNull();
        assertThat(offered(SipProperties.Srtp.OFF, true, "tls")).isNull();
    }

    @Test
    void theOfferIsSavpWithOneAes80KeyAndTheAnswersKeySecuresTheLeg() throws Exception {
        CalleeSrtp srtp = offered(SipProperties.Srtp.TLS, false, "tls");
        MediaDescription offered = srtp.secure(SessionDescription.parse(PLAIN_OFFER)).media().get(0);
        assertThat(offered.protocol()).isEqualTo("RTP/SAVP");
        assertThat(offered.attributes("crypto")).hasSize(1);
        CryptoAttribute ours = CryptoAttribute.parse(offered.attributes("crypto").get(0));
        assertThat(ours.suite()).isEqualTo(SrtpSuite.AES_CM_128_HMAC_SHA1_80);

        CalleeSrtp.Answer answer = srtp.accept(srtpAnswer(PHONE_KEY));
        assertThat(answer.plain().media().get(0).protocol()).as("the node's side relays plain RTP")
                .isEqualTo("RTP/AVP");
        assertThat(answer.plain().media().get(0).attributes("crypto")).isEmpty();
        assertThat(answer.keys().local()).isEqualTo(ours);
        assertThat(answer.keys().remote()).isEqualTo(CryptoAttribute.parse(PHONE_KEY));
        assertThat(srtp.keys()).isEqualTo(answer.keys());
    }

    @Test
    void anAnswerChoosingACryptoLineWeDidNotOfferIsUnusable() throws Exception {
        CalleeSrtp srtp = offered(SipProperties.Srtp.TLS, false, "tls");
        String other = CryptoAttribute.generate(2, SrtpSuite.AES_CM_128_HMAC_SHA1_32, new SecureRandom()).format();
        assertThatThrownBy(() -> srtp.accept(srtpAnswer(other))).isInstanceOf(SdesException.class);
    }

    @Test
    void anAnswerToOurReofferKeepsTheKeysUnlessThePhoneChangedItsOwn() throws Exception {
        CalleeSrtp srtp = offered(SipProperties.Srtp.TLS, false, "tls");
        srtp.secure(SessionDescription.parse(PLAIN_OFFER));
        Sdes.Keys keys = srtp.accept(srtpAnswer(PHONE_KEY)).keys();

        assertThat(SrtpTermination.reanswer(srtpAnswer(PHONE_KEY), keys)).as("same key: same contexts").isSameAs(keys);
        String newKey = CryptoAttribute.generate(1, SrtpSuite.AES_CM_128_HMAC_SHA1_80, new SecureRandom()).format();
        Sdes.Keys rekeyed = SrtpTermination.reanswer(srtpAnswer(newKey), keys);
        assertThat(rekeyed.remote()).isEqualTo(CryptoAttribute.parse(newKey));
        assertThat(rekeyed.local()).as("ours stays what we offered").isEqualTo(keys.local());
        assertThatThrownBy(() -> SrtpTermination.reanswer(SessionDescription.parse(PLAIN_ANSWER), keys))
                .isInstanceOf(SdesException.class);
    }

    @Test
    void a488GetsThePlainOfferOnceUnlessSrtpIsRequired() throws Exception {
        CalleeSrtp lenient = offered(SipProperties.Srtp.TLS, false, "tls");
        assertThat(lenient.plainAfter(486)).as("not about SRTP").isFalse();
        assertThat(lenient.plainAfter(488)).isTrue();
        assertThat(lenient.offering()).isFalse();
        assertThat(lenient.secure(SessionDescription.parse(PLAIN_OFFER)).media().get(0).protocol())
                .isEqualTo("RTP/AVP");
        assertThat(lenient.plainAfter(488)).as("only once").isFalse();
        assertThat(lenient.accept(SessionDescription.parse(PLAIN_ANSWER)).keys()).isNull();

        CalleeSrtp strict = offered(SipProperties.Srtp.TLS, true, "tls");
        assertThat(strict.plainAfter(488)).isFalse();
        assertThat(strict.refusal(488)).contains("tls-require-srtp");
    }

    @Test
    void aPlainAnswerToTheSrtpOfferIsTakenAsPlainUnlessSrtpIsRequired() throws Exception {
        CalleeSrtp lenient = offered(SipProperties.Srtp.TLS, false, "tls");
        assertThat(lenient.accept(SessionDescription.parse(PLAIN_ANSWER)).keys()).isNull();

        CalleeSrtp strict = offered(SipProperties.Srtp.TLS, true, "tls");
        assertThatThrownBy(() -> strict.accept(SessionDescription.parse(PLAIN_ANSWER)))
                .isInstanceOf(SdesException.class).hasMessageContaining("tls-require-srtp");
    }
}
