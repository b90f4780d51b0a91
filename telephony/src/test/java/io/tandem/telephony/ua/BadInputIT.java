package io.tandem.telephony.ua;

import io.tandem.telephony.sip.RawSip;
import io.tandem.telephony.testing.RecordingListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What a peer sends wrong gets a precise answer, and the user agent keeps working. */
class BadInputIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private final Phones phones = new Phones();

    @AfterEach
    void close() {
        phones.close();
    }

    private static byte[] invite(int port, String sdp, String cseqMethod) {
        String body = sdp.replace("\n", "\r\n");
        String msg = "INVITE sip:bob@127.0.0.1:" + port + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:9;rport;branch=z9hG4bK" + System.nanoTime() + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:mallory@127.0.0.1>;tag=m1\r\n"
                + "To: <sip:bob@127.0.0.1>\r\n"
                + "Call-ID: bad-" + System.nanoTime() + "@test\r\n"
                + "CSeq: 1 " + cseqMethod + "\r\n"
                + "Contact: <sip:mallory@127.0.0.1:9>\r\n"
                + "Content-Type: application/sdp\r\n"
                + "Content-Length: " + body.getBytes(StandardCharsets.US_ASCII).length + "\r\n\r\n" + body;
        return msg.getBytes(StandardCharsets.US_ASCII);
    }

    private static final String G729_ONLY = """
            v=0
            o=m 1 1 IN IP4 127.0.0.1
            s=-
            c=IN IP4 127.0.0.1
            t=0 0
            m=audio 40000 RTP/AVP 18
            a=rtpmap:18 G729/8000
            """;

    private static final String PCMU = G729_ONLY.replace("RTP/AVP 18", "RTP/AVP 0")
            .replace("a=rtpmap:18 G729/8000", "a=rtpmap:0 PCMU/8000");

    @Test
    void unacceptableOfferIs488MalformedRequestIs400AndTheAgentStillAnswers() throws Exception {
        RecordingListener events = new RecordingListener();
        UserAgent bob = phones.start(UserAgentConfig.of("bob", "tandem.test").withAutoAnswer(true), events);

        List<String> noCodec = RawSip.udp(bob.sipPort(), invite(bob.sipPort(), G729_ONLY, "INVITE"), WAIT);
        assertThat(noCodec).isNotEmpty();
        assertThat(RawSip.status(noCodec.get(noCodec.size() - 1))).as(noCodec.toString()).isEqualTo(488);

        List<String> mismatch = RawSip.udp(bob.sipPort(), invite(bob.sipPort(), PCMU, "OPTIONS"), WAIT);
        assertThat(mismatch).isNotEmpty();
        String last = mismatch.get(mismatch.size() - 1);
        assertThat(RawSip.status(last)).as(mismatch.toString()).isEqualTo(400);
        assertThat(RawSip.reason(last)).as("a reason phrase that says what is wrong").isNotBlank()
                .isNotEqualTo("Bad Request");

        List<String> good = RawSip.udp(bob.sipPort(), invite(bob.sipPort(), PCMU, "INVITE"), WAIT);
        assertThat(good).as("a normal INVITE is answered").anyMatch(s -> RawSip.status(s) == 200);
        assertThat(bob.endpoint().handlerFailures()).isZero();
    }
}
