package io.tandem.backend.call;

import static org.assertj.core.api.Assertions.assertThat;

import gov.nist.javax.sip.message.MessageFactoryImpl;
import javax.sip.message.Request;
import org.junit.jupiter.api.Test;

/** RFC 4028 §9 negotiation of an initial INVITE's session timer, as the node's UAS does it. */
class SessionTimerTest {

    private static final long DEFAULT = 1800;
    private static final long MIN_SE = 90;

    private static Request invite(String headers) throws Exception {
        String text = "INVITE sip:1002@127.0.0.1:5062 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKabc\r\n"
                + "From: <sip:1001@127.0.0.1>;tag=1\r\nTo: <sip:1002@127.0.0.1>\r\n"
                + "Call-ID: st-1\r\nCSeq: 1 INVITE\r\nMax-Forwards: 70\r\n" + headers
                + "Content-Length: 0\r\n\r\n";
        return new MessageFactoryImpl().createRequest(text);
    }

    @Test
    void aCallerThatKnowsNothingOfTimersGetsNone() throws Exception {
        assertThat(SessionTimer.negotiate(invite(""), DEFAULT, MIN_SE)).isEqualTo(new SessionTimer.Untimed());
    }

    @Test
    void aCallerThatSupportsTimersWithoutAskingGetsTheDefaultAndRefreshes() throws Exception {
        assertThat(SessionTimer.negotiate(invite("Supported: replaces, timer\r\n"), DEFAULT, MIN_SE))
                .isEqualTo(new SessionTimer.Granted(DEFAULT, false, true));
    }

    @Test
    void anIntervalBelowMinSeIs422WhenTheCallerSupportsTimers() throws Exception {
        assertThat(SessionTimer.negotiate(invite("Supported: timer\r\nSession-Expires: 60\r\n"), DEFAULT, MIN_SE))
                .isEqualTo(new SessionTimer.TooSmall(MIN_SE));
        assertThat(SessionTimer.negotiate(invite("Supported: timer\r\nSession-Expires: 120\r\nMin-SE: 300\r\n"),
                DEFAULT, MIN_SE)).as("the request's own Min-SE counts too").isEqualTo(new SessionTimer.TooSmall(300));
    }

    @Test
    void anIntervalBelowMinSeIsRaisedForACallerThatCannotRetry() throws Exception {
        assertThat(SessionTimer.negotiate(invite("Allow: INVITE, ACK, BYE, UPDATE\r\nSession-Expires: 60\r\n"),
                DEFAULT, MIN_SE)).isEqualTo(new SessionTimer.Granted(MIN_SE, true, false));
        assertThat(SessionTimer.negotiate(invite("Allow: INVITE, ACK, BYE\r\nSession-Expires: 600\r\n"),
                DEFAULT, MIN_SE)).as("we could not refresh it without UPDATE").isEqualTo(new SessionTimer.Untimed());
    }

    @Test
    void theCallersChoiceOfRefresherStands() throws Exception {
        assertThat(SessionTimer.negotiate(invite("Supported: timer\r\nSession-Expires: 600;refresher=uas\r\n"),
                DEFAULT, MIN_SE)).isEqualTo(new SessionTimer.Granted(600, true, true));
        assertThat(SessionTimer.negotiate(invite("Supported: timer\r\nx: 600;refresher=uac\r\n"),
                DEFAULT, MIN_SE)).as("compact form").isEqualTo(new SessionTimer.Granted(600, false, true));
    }
}
