package io.tandem.backend.node.sip;

import static org.assertj.core.api.Assertions.assertThat;

import gov.nist.javax.sip.header.HeaderFactoryImpl;
import gov.nist.javax.sip.message.MessageFactoryImpl;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import javax.sip.header.HeaderFactory;
import javax.sip.message.Request;
import org.junit.jupiter.api.Test;

class TrunkSignatureTest {

    private static final String SECRET = "trunk-signature-test-secret-0123";
    private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
    private final HeaderFactory headers = new HeaderFactoryImpl();

    private static Request invite(String callId) throws Exception {
        String text = "INVITE sip:1002@127.0.0.1:5062 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKabc\r\n"
                + "From: <sip:1001@127.0.0.1>;tag=1\r\nTo: <sip:1002@127.0.0.1>\r\n"
                + "Call-ID: " + callId + "\r\nCSeq: 1 INVITE\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n";
        return new MessageFactoryImpl().createRequest(text);
    }

    private static TrunkSignature at(Instant instant) {
        return new TrunkSignature(SECRET, Clock.fixed(instant, ZoneOffset.UTC), Duration.ofSeconds(30));
    }

    @Test
    void aSignedInviteVerifiesWithinTheValidityAndNamesTargetAndOrigin() throws Exception {
        Request invite = invite("a@b");
        at(NOW).sign(invite, headers, "n1", "1002", "demo");
        TrunkSignature.Signed signed = at(NOW.plusSeconds(29)).verify(invite);
        assertThat(signed.verdict()).isEqualTo(TrunkSignature.Verdict.VALID);
        assertThat(signed.origin()).isEqualTo("n1");
        assertThat(signed.extension()).isEqualTo("1002");
        assertThat(signed.tenant()).isEqualTo("demo");
    }

    @Test
    void staleTamperedOrForeignSignaturesAreInvalid() throws Exception {
        Request invite = invite("a@b");
        at(NOW).sign(invite, headers, "n1", "1002", "demo");
        assertThat(at(NOW.plusSeconds(31)).verify(invite).verdict()).isEqualTo(TrunkSignature.Verdict.INVALID);

        Request retargeted = (Request) invite.clone();
        retargeted.setHeader(headers.createHeader(TrunkSignature.TARGET, "1003@demo"));
        assertThat(at(NOW).verify(retargeted).verdict()).isEqualTo(TrunkSignature.Verdict.INVALID);

        Request otherCall = invite("other@b");
        for (String name : new String[] {TrunkSignature.ORIGIN, TrunkSignature.TARGET, TrunkSignature.TIMESTAMP,
                TrunkSignature.SIGNATURE}) {
            otherCall.setHeader(headers.createHeader(name, TrunkSignature.value(invite, name)));
        }
        assertThat(at(NOW).verify(otherCall).verdict()).isEqualTo(TrunkSignature.Verdict.INVALID);

        Request foreign = invite("a@b");
        new TrunkSignature("another-cluster-secret-456789", Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofSeconds(30))
                .sign(foreign, headers, "n1", "1002", "demo");
        assertThat(at(NOW).verify(foreign).verdict()).isEqualTo(TrunkSignature.Verdict.INVALID);
    }

    @Test
    void aPhoneInviteHasNoTrunkHeadersAndAPartialSetIsInvalid() throws Exception {
        assertThat(at(NOW).verify(invite("a@b")).verdict()).isEqualTo(TrunkSignature.Verdict.ABSENT);
        Request partial = invite("a@b");
        partial.setHeader(headers.createHeader(TrunkSignature.ORIGIN, "n1"));
        assertThat(at(NOW).verify(partial).verdict()).isEqualTo(TrunkSignature.Verdict.INVALID);
    }
}
