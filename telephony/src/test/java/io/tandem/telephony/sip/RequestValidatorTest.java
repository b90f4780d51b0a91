package io.tandem.telephony.sip;

import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.parser.StringMsgParser;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** RequestValidator on requests beyond the torture corpus: what real UAs send, and the edges of each rule. */
class RequestValidatorTest {
    private final RequestValidator validator = new RequestValidator();

    private static final String SDP = "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\n"
            + "m=audio 5000 RTP/AVP 0\r\n";

    private static SIPRequest request(String method, String uri, String extraHeaders, String contentType,
                                      String body) throws Exception {
        byte[] content = body.getBytes(StandardCharsets.UTF_8);
        String text = method + " " + uri + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK776asdhds\r\n"
                + "Max-Forwards: 70\r\n"
                + "To: <sip:1002@tandem.example>\r\n"
                + "From: \"Alice\" <sip:1001@tandem.example>;tag=1928301774\r\n"
                + "Call-ID: a84b4c76e66710@192.0.2.1\r\n"
                + "CSeq: 314159 " + method + "\r\n"
                + "Contact: <sip:1001@192.0.2.1:5060>\r\n"
                + extraHeaders
                + (contentType == null ? "" : "Content-Type: " + contentType + "\r\n")
                + "Content-Length: " + content.length + "\r\n\r\n" + body;
        return (SIPRequest) new StringMsgParser().parseSIPMessage(text.getBytes(StandardCharsets.UTF_8), true, false,
                null);
    }

    private static SIPRequest invite(String extraHeaders) throws Exception {
        return request("INVITE", "sip:1002@tandem.example", extraHeaders, "application/sdp", SDP);
    }

    @Test
    void aPlainInviteRegisterByeAndTelUriPass() throws Exception {
        assertThat(validator.validate(invite(""))).isEmpty();
        assertThat(validator.validate(request("REGISTER", "sip:tandem.example", "Expires: 3600\r\n", null, "")))
                .isEmpty();
        assertThat(validator.validate(request("BYE", "sip:1002@192.0.2.2", "", null, ""))).isEmpty();
        assertThat(validator.validate(request("INVITE", "tel:+15551234567", "", "application/sdp", SDP))).isEmpty();
        assertThat(validator.validate(request("INVITE", "sips:1002@tandem.example", "", null, ""))).isEmpty();
    }

    @Test
    void acceptHeadersThatCoverSdpPass() throws Exception {
        assertThat(validator.validate(invite("Accept: application/sdp, text/plain\r\n"))).isEmpty();
        assertThat(validator.validate(invite("Accept: */*\r\n"))).isEmpty();
        assertThat(validator.validate(invite("Accept: application/*\r\n"))).isEmpty();
        assertThat(validator.validate(invite("Accept: text/html\r\n"))).contains(new Rejection(406, "Not Acceptable"));
    }

    @Test
    void sessionBodiesMustBeSdpButOtherMethodsCarryWhatTheirFeatureReads() throws Exception {
        assertThat(validator.validate(request("INVITE", "sip:1002@tandem.example", "", "multipart/mixed;boundary=x",
                "--x--\r\n"))).contains(new Rejection(415, "Unsupported Media Type"));
        assertThat(validator.validate(request("INFO", "sip:1002@tandem.example", "", "application/dtmf-relay",
                "Signal=5\r\nDuration=160\r\n"))).isEmpty();
        assertThat(validator.validate(request("MESSAGE", "sip:1002@tandem.example", "", "text/plain", "hi")))
                .isEmpty();
        assertThat(validator.validate(request("INVITE", "sip:1002@tandem.example", "", "APPLICATION/SDP", SDP)))
                .isEmpty();
    }

    @Test
    void aBodyWithoutContentTypeIsRefused() throws Exception {
        assertThat(validator.validate(request("MESSAGE", "sip:1002@tandem.example", "", null, "hi")))
                .contains(new Rejection(400, "Missing Content-Type header"));
    }

    @Test
    void requireIsIgnoredOnAckAndCancelAndHonouredForSupportedTags() throws Exception {
        assertThat(validator.validate(request("ACK", "sip:1002@192.0.2.2", "Require: 100rel\r\n", null, "")))
                .isEmpty();
        assertThat(validator.validate(request("CANCEL", "sip:1002@tandem.example", "Require: 100rel\r\n", null, "")))
                .isEmpty();
        Optional<Rejection> r = validator.validate(invite("Require: replaces, 100rel\r\n"));
        assertThat(r).isPresent();
        assertThat(r.get().status()).isEqualTo(420);
        assertThat(r.get().unsupported()).containsExactly("replaces", "100rel");
        assertThat(new RequestValidator(Set.of("replaces", "100rel"), false)
                .validate(invite("Require: replaces, 100rel\r\n"))).isEmpty();
    }

    @Test
    void aRelayAnswersInDialogRequestsWithZeroHopsLeft() throws Exception {
        RequestValidator relay = new RequestValidator(Set.of(), true);
        SIPRequest bye = request("BYE", "sip:1002@192.0.2.2", "", null, "");
        bye.getMaxForwards().setMaxForwards(0);
        bye.getTo().setTag("a6c85cf");
        assertThat(relay.validate(bye)).isEmpty();
        SIPRequest initial = invite("");
        initial.getMaxForwards().setMaxForwards(0);
        assertThat(relay.validate(initial)).contains(new Rejection(483, "Too Many Hops"));
    }

    @Test
    void aContactWithHeadersOutsideAngleBracketsIsRefusedEvenWithoutTheFramingCheck() throws Exception {
        SIPRequest register = request("REGISTER", "sip:tandem.example",
                "Contact: sip:user@example.com?Route=%3Csip:sip.example.com%3E\r\n", null, "");
        assertThat(validator.validate(register))
                .contains(new Rejection(400, "URI with headers must be enclosed in <>"));
        SIPRequest bracketed = request("REGISTER", "sip:tandem.example",
                "Contact: <sip:user@example.com?Route=%3Csip:sip.example.com%3E>\r\n", null, "");
        assertThat(validator.validate(bracketed)).isEmpty();
    }

    @Test
    void aViaOfAnotherVersionGets505() throws Exception {
        SIPRequest options = request("OPTIONS", "sip:tandem.example", "", null, "");
        String text = options.encode().replace("SIP/2.0/UDP", "SIP/3.0/UDP");
        SIPRequest v3 = (SIPRequest) new StringMsgParser()
                .parseSIPMessage(text.getBytes(StandardCharsets.UTF_8), true, false, null);
        assertThat(validator.validate(v3)).contains(new Rejection(505, "SIP Version Not Supported"));
    }

    @Test
    void nullIsAnAnswerNotACrash() {
        assertThat(validator.validate(null)).contains(new Rejection(400, "Unparseable request"));
    }

    @Test
    void rejectionsAreAlways4xxTo6xx() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Rejection(200, "OK"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
