package io.tandem.backend.trunk;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.telephony.sip.auth.DigestAlgorithm;
import io.tandem.telephony.sip.auth.DigestResponse;
import io.tandem.telephony.sip.auth.DigestVerifier;
import java.util.Optional;
import javax.sip.SipFactory;
import javax.sip.message.Response;
import org.junit.jupiter.api.Test;

/**
 * A trunk's credentials answer each challenge to an INVITE once (RFC 3261 §22.2): a repeated nonce that is not stale
 * means they are wrong and gets no answer (no loop); a stale one, or a new nonce, gets one.
 */
class CarrierCredentialsTest {

    private static final String URI = "sip:+442071234567@198.51.100.7:5060";

    @Test
    void aProxyChallengeIsAnsweredWithTheTrunksDigestInProxyAuthorization() throws Exception {
        CarrierCredentials credentials = new CarrierCredentials("acme", "s3cret-pass");
        Optional<CarrierCredentials.Answer> answer = credentials.answer(challenge(407, "n1", false), "INVITE", URI);
        assertThat(answer).isPresent();
        assertThat(answer.get().header()).isEqualTo("Proxy-Authorization");
        DigestResponse digest = DigestResponse.parse(answer.get().value());
        assertThat(digest.uri()).isEqualTo(URI);
        assertThat(new DigestVerifier().verify(digest, "INVITE", URI,
                DigestAlgorithm.MD5.ha1("acme", "carrier.test", "s3cret-pass"))).isTrue();
    }

    @Test
    void theSameNonceAgainIsNotAnsweredUnlessStale() throws Exception {
        CarrierCredentials credentials = new CarrierCredentials("acme", "s3cret-pass");
        assertThat(credentials.answer(challenge(401, "n1", false), "INVITE", URI)).get()
                .extracting(CarrierCredentials.Answer::header).isEqualTo("Authorization");
        assertThat(credentials.answer(challenge(401, "n1", false), "INVITE", URI)).as("wrong credentials").isEmpty();
        assertThat(credentials.answer(challenge(401, "n1", true), "INVITE", URI)).as("stale: the nonce expired")
                .isPresent();
    }

    @Test
    void withoutCredentialsNothingIsAnswered() throws Exception {
        assertThat(CarrierCredentials.NONE.answer(challenge(407, "n1", false), "INVITE", URI)).isEmpty();
    }

    private static Response challenge(int status, String nonce, boolean stale) throws Exception {
        String header = status == 407 ? "Proxy-Authenticate" : "WWW-Authenticate";
        String raw = "SIP/2.0 " + status + " Challenge\r\n"
                + "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKabc\r\n"
                + "From: <sip:+4930555000@192.0.2.1>;tag=f1\r\n"
                + "To: <sip:+442071234567@198.51.100.7>;tag=t1\r\n"
                + "Call-ID: c1@tandem\r\n"
                + "CSeq: 1 INVITE\r\n"
                + header + ": Digest realm=\"carrier.test\", nonce=\"" + nonce + "\", algorithm=MD5, qop=\"auth\""
                + (stale ? ", stale=true" : "") + "\r\n"
                + "Content-Length: 0\r\n\r\n";
        return SipFactory.getInstance().createMessageFactory().createResponse(raw);
    }
}
