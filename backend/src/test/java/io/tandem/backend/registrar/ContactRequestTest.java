package io.tandem.backend.registrar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import javax.sip.SipFactory;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import org.junit.jupiter.api.Test;

/** RFC 3261 §10.3 steps 6-7 on parsed REGISTERs: wildcard, per-contact expiry, clamping. */
class ContactRequestTest {

    private static final RegistrarProperties PROPERTIES = new RegistrarProperties(Duration.ofSeconds(60),
            Duration.ofSeconds(3600), Duration.ofSeconds(1800), Duration.ofSeconds(10), 5, Duration.ofSeconds(300),
            List.of("MD5"), List.of(), 10, Duration.ofSeconds(60), Duration.ofSeconds(300),
            Duration.ofDays(7), 100, Duration.ofHours(1));

    @Test
    void noContactIsAQuery() throws Exception {
        ContactRequest r = ContactRequest.read(register(null), PROPERTIES);
        assertThat(r.removeAll()).isFalse();
        assertThat(r.entries()).isEmpty();
    }

    @Test
    void expiresComesFromTheParamThenTheHeaderThenTheDefault() throws Exception {
        assertThat(ContactRequest.read(register(120, "<sip:a@10.0.0.1>;expires=90"), PROPERTIES).entries())
                .extracting(ContactRequest.Entry::expires).containsExactly(90L);
        assertThat(ContactRequest.read(register(120, "<sip:a@10.0.0.1>"), PROPERTIES).entries())
                .extracting(ContactRequest.Entry::expires).containsExactly(120L);
        assertThat(ContactRequest.read(register(null, "<sip:a@10.0.0.1>"), PROPERTIES).entries())
                .extracting(ContactRequest.Entry::expires).containsExactly(1800L);
    }

    @Test
    void tooBriefIsRefusedTooLongIsLoweredZeroRemoves() throws Exception {
        assertThatThrownBy(() -> ContactRequest.read(register(30, "<sip:a@10.0.0.1>"), PROPERTIES))
                .isInstanceOfSatisfying(ContactRequest.Refusal.class, r -> assertThat(r.status()).isEqualTo(423));
        assertThat(ContactRequest.read(register(86400, "<sip:a@10.0.0.1>"), PROPERTIES).entries())
                .extracting(ContactRequest.Entry::expires).containsExactly(3600L);
        assertThat(ContactRequest.read(register(0, "<sip:a@10.0.0.1>"), PROPERTIES).entries())
                .extracting(ContactRequest.Entry::expires).containsExactly(0L);
    }

    @Test
    void starNeedsExpiresZeroAndNoOtherContact() throws Exception {
        assertThat(ContactRequest.read(register(0, "*"), PROPERTIES).removeAll()).isTrue();
        assertThatThrownBy(() -> ContactRequest.read(register(60, "*"), PROPERTIES))
                .isInstanceOfSatisfying(ContactRequest.Refusal.class, r -> assertThat(r.status()).isEqualTo(400));
        assertThatThrownBy(() -> ContactRequest.read(register(0, "*", "<sip:a@10.0.0.1>"), PROPERTIES))
                .isInstanceOf(ContactRequest.Refusal.class);
    }

    private static Request register(Integer expires, String... contacts) throws Exception {
        StringBuilder raw = new StringBuilder("""
                REGISTER sip:example.com SIP/2.0\r
                Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1\r
                From: <sip:a@example.com>;tag=1\r
                To: <sip:a@example.com>\r
                Call-ID: c1\r
                CSeq: 1 REGISTER\r
                Max-Forwards: 70\r
                """);
        for (String contact : contacts) {
            raw.append("Contact: ").append(contact).append("\r\n");
        }
        if (expires != null) {
            raw.append("Expires: ").append(expires).append("\r\n");
        }
        raw.append("Content-Length: 0\r\n\r\n");
        MessageFactory factory = SipFactory.getInstance().createMessageFactory();
        return factory.createRequest(raw.toString());
    }
}
