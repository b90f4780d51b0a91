package io.tandem.telephony.sip.framing;

import io.tandem.telephony.sip.Rejection;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class FramingCheckTest {

    private static String message(String requestLine, String headers, String body) {
        return requestLine + "\r\n"
                + "Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK776asdhds\r\n"
                + "To: <sip:1002@tandem.example>\r\n"
                + "From: \"Alice\" <sip:1001@tandem.example>;tag=1928301774\r\n"
                + "Call-ID: a84b4c76e66710\r\n"
                + "CSeq: 1 OPTIONS\r\n"
                + headers
                + "\r\n" + body;
    }

    private static Optional<Rejection> check(String text, boolean datagram) {
        return FramingCheck.check(text.getBytes(StandardCharsets.ISO_8859_1), datagram);
    }

    @Test
    void aWellFormedRequestPassesOnBothTransports() {
        String ok = message("OPTIONS sip:tandem.example SIP/2.0",
                "Contact: \"Smith, J.\" <sip:a@x>;q=0.5, <sip:b@y>, sip:c@z\r\nContent-Length: 5\r\n", "hello");
        assertThat(check(ok, true)).isEmpty();
        assertThat(check(ok, false)).isEmpty();
        assertThat(check("\r\n\r\n" + ok, true)).as("keep-alive CRLFs before a message").isEmpty();
    }

    @Test
    void contentLengthBeyondTheDatagramIsAFramingErrorOnlyForUdp() {
        String text = message("OPTIONS sip:tandem.example SIP/2.0", "Content-Length: 50\r\n", "short");
        assertThat(check(text, true)).contains(new Rejection(400, "Content-Length larger than the message"));
        assertThat(check(text, false)).as("on TCP the body follows in the stream").isEmpty();
    }

    @Test
    void aContentLengthIsJudgedByItsDigitsBeforeAnyNumberIsMade() {
        for (String bad : new String[]{"-1", "12a", "", "1234567890", "99999999999999999999999"}) {
            String text = message("OPTIONS sip:tandem.example SIP/2.0", "Content-Length: " + bad + "\r\n", "");
            assertThat(check(text, false)).as(bad).contains(new Rejection(400, "Invalid Content-Length"));
        }
    }

    @Test
    void compactAndLongFormsCountAsTheSameHeader() {
        String text = message("OPTIONS sip:tandem.example SIP/2.0", "i: another-call-id\r\n", "");
        assertThat(check(text, true)).contains(new Rejection(400, "Duplicate Call-ID header"));
    }

    @Test
    void foldedHeadersAreJoinedBeforeTheyAreJudged() {
        String text = message("OPTIONS sip:tandem.example SIP/2.0", "Contact:\r\n  <sip:a@x>\r\nl: 0\r\n", "");
        assertThat(check(text, true)).isEmpty();
        String broken = message("OPTIONS sip:tandem.example SIP/2.0", "Contact: <sip:a@x\r\n  >\r\nl: 0\r\n", "");
        assertThat(check(broken, true)).contains(new Rejection(400, "Whitespace inside <> in Contact"));
    }

    @Test
    void responsesAndEmptyInputAreLeftToTheParser() {
        assertThat(check("SIP/2.0 200 OK\r\nCSeq: 1 INVITE\r\nCSeq: 2 INVITE\r\n\r\n", true)).isEmpty();
        assertThat(FramingCheck.check(new byte[0], true)).isEmpty();
        assertThat(FramingCheck.check(null, true)).isEmpty();
    }

    @Test
    void theRequestLineMustBeThreeSingleSpacedParts() {
        assertThat(check(message("OPTIONS sip:tandem.example SIP/2.0 ", "", ""), true)).isPresent();
        assertThat(check(message("OPTIONS\tsip:tandem.example SIP/2.0", "", ""), true)).isPresent();
        assertThat(check(message("OPTIONS sip:tandem.example", "", ""), true)).isPresent();
    }
}
