package io.tandem.backend.registrar;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import javax.sip.SipFactory;
import javax.sip.message.Request;
import org.junit.jupiter.api.Test;

/** RFC 8599 push parameters of a REGISTER's Contact: what is kept, what is refused with 400 and why. */
class PushRequestTest {

    private static final RegistrarProperties PROPERTIES = new RegistrarProperties(Duration.ofSeconds(60),
            Duration.ofSeconds(3600), Duration.ofSeconds(1800), Duration.ofSeconds(10), 5, Duration.ofSeconds(300),
            List.of("MD5"), List.of(), 10, Duration.ofSeconds(60), Duration.ofSeconds(300), Duration.ofDays(7), 100, Duration.ofHours(1));
    private static final String TOKEN = "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90";
    private static final String INSTANCE = "+sip.instance=\"<urn:uuid:00000000-0000-1000-8000-00a0c91e6bf6>\"";

    @Test
    void aContactWithoutPushParametersAsksForNone() throws Exception {
        assertThat(push(300, "<sip:2001@10.0.0.1>")).isInstanceOf(PushRequest.Absent.class);
    }

    @Test
    void apnsWantsAHexTokenAndATeamIdBundleIdVoipTopic() throws Exception {
        PushRequest push = push(300, "<sip:2001@10.0.0.1;pn-provider=apns;pn-prid=" + TOKEN
                + ";pn-param=ABCDE12345.com.example.app.voip>;" + INSTANCE);
        assertThat(push).isEqualTo(new PushRequest.Push(PushProvider.APNS, TOKEN, "ABCDE12345.com.example.app.voip",
                "urn:uuid:00000000-0000-1000-8000-00a0c91e6bf6"));
        assertThat(refusal("<sip:2001@10.0.0.1;pn-provider=apns;pn-prid=" + TOKEN
                + ";pn-param=ABCDE12345.com.example.app>"))
                .startsWith("Bad pn-param").contains("TEAMID.bundle.id.voip");
        assertThat(refusal("<sip:2001@10.0.0.1;pn-provider=apns;pn-prid=" + TOKEN
                + ";pn-param=SHORT.com.example.app.voip>")).startsWith("Bad pn-param");
        assertThat(refusal("<sip:2001@10.0.0.1;pn-provider=apns;pn-prid=" + TOKEN + ">"))
                .startsWith("Missing pn-param");
        assertThat(refusal("<sip:2001@10.0.0.1;pn-provider=apns;pn-prid=not-hex"
                + ";pn-param=ABCDE12345.com.example.app.voip>")).startsWith("Bad pn-prid");
    }

    @Test
    void fcmWantsItsProjectIdAndWithoutAnInstanceTheTokenNamesTheDevice() throws Exception {
        String token = "fMx3:APA91bH-token_0123456789";
        PushRequest push = push(300, "<sip:2001@10.0.0.1;pn-provider=fcm;pn-prid=" + token
                + ";pn-param=tandem-demo-app>");
        assertThat(push).isEqualTo(new PushRequest.Push(PushProvider.FCM, token, "tandem-demo-app", token));
        assertThat(refusal("<sip:2001@10.0.0.1;pn-provider=fcm;pn-prid=" + token + ">"))
                .startsWith("Missing pn-param").contains("project id");
        assertThat(refusal("<sip:2001@10.0.0.1;pn-provider=fcm;pn-prid=" + token + ";pn-param=Not_A_Project>"))
                .startsWith("Bad pn-param");
    }

    @Test
    void aWebhookNamesItsTargetAndTakesNoParam() throws Exception {
        assertThat(push(300, "<sip:2001@10.0.0.1;pn-provider=webhook;pn-prid=sms-gateway>"))
                .isEqualTo(new PushRequest.Push(PushProvider.WEBHOOK, "sms-gateway", "", "sms-gateway"));
        assertThat(refusal("<sip:2001@10.0.0.1;pn-provider=webhook;pn-prid=sms-gateway;pn-param=x>"))
                .startsWith("Bad pn-param").contains("no pn-param");
        assertThat(refusal("<sip:2001@10.0.0.1;pn-provider=webhook;pn-prid=Bad!Name>")).startsWith("Bad pn-prid");
    }

    @Test
    void missingPartsAreNamed() throws Exception {
        assertThat(refusal("<sip:2001@10.0.0.1;pn-provider=fcm;pn-param=tandem-demo-app>"))
                .startsWith("Missing pn-prid");
        assertThat(refusal("<sip:2001@10.0.0.1;pn-prid=" + TOKEN + ">")).startsWith("Missing pn-provider");
        assertThat(refusal("<sip:2001@10.0.0.1;pn-provider=apns;pn-prid=" + TOKEN
                + ";pn-param=ABCDE12345.com.example.app.voip>;+sip.instance=\"<>\"")).startsWith("Bad +sip.instance");
    }

    @Test
    void anUnknownProviderIsTakenWithoutPushAndARemovedContactKeepsItsPushBinding() throws Exception {
        assertThat(push(300, "<sip:2001@10.0.0.1;pn-provider=acme-push;pn-prid=whatever>"))
                .isEqualTo(new PushRequest.UnknownProvider("acme-push"));
        // Expires 0: the SIP binding goes, the push parameters (even malformed ones) are not read: the device sleeps.
        assertThat(push(0, "<sip:2001@10.0.0.1;pn-provider=apns;pn-prid=" + TOKEN + ">"))
                .isInstanceOf(PushRequest.Absent.class);
    }

    private static PushRequest push(int expires, String contact) throws Exception {
        return ContactRequest.read(register(expires, contact), PROPERTIES).entries().get(0).push();
    }

    /** The reason phrase of the 400 the REGISTER gets. */
    private static String refusal(String contact) {
        Throwable thrown = null;
        try {
            ContactRequest.read(register(300, contact), PROPERTIES);
        } catch (Throwable t) {
            thrown = t;
        }
        assertThat(thrown).isInstanceOfSatisfying(ContactRequest.Refusal.class,
                r -> assertThat(r.status()).isEqualTo(400));
        return thrown.getMessage();
    }

    private static Request register(int expires, String contact) throws Exception {
        String raw = "REGISTER sip:example.com SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1\r\n"
                + "From: <sip:2001@example.com>;tag=1\r\n"
                + "To: <sip:2001@example.com>\r\n"
                + "Call-ID: c1\r\nCSeq: 1 REGISTER\r\nMax-Forwards: 70\r\n"
                + "Contact: " + contact + "\r\n"
                + "Expires: " + expires + "\r\nContent-Length: 0\r\n\r\n";
        return SipFactory.getInstance().createMessageFactory().createRequest(raw);
    }
}
