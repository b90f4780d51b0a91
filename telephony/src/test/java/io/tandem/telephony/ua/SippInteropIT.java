package io.tandem.telephony.ua;

import io.tandem.telephony.media.MediaDirection;
import io.tandem.telephony.peers.FreePorts;
import io.tandem.telephony.peers.SippProcess;
import io.tandem.telephony.peers.SippResult;
import io.tandem.telephony.testing.RecordingListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static io.tandem.telephony.testing.RecordingListener.next;
import static org.assertj.core.api.Assertions.assertThat;

/** Our user agent against SIPp, a SIP implementation that is not ours, over loopback. */
class SippInteropIT {
    private static final Duration EXIT = Duration.ofSeconds(40);
    private final Phones phones = new Phones();

    @AfterEach
    void close() {
        phones.close();
    }

    private static Path scenario(String name) throws URISyntaxException {
        return Path.of(SippInteropIT.class.getResource("/sipua/sipp/" + name).toURI());
    }

    private static UserAgentConfig account(String user) {
        return UserAgentConfig.of(user, "tandem.test").withTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(1));
    }

    @Test
    void ourCallIsAnsweredBySippUasAndEndedWithBye() throws Exception {
        RecordingListener events = new RecordingListener();
        UserAgent alice = phones.start(account("alice"), events);
        try (SippProcess uas = SippProcess.builtin("uas").calls(1).start()) {
            Call call = alice.call(uas.uri("service"));
            events.awaitState(call, CallState.CONNECTED);
            assertThat(call.codec().encodingName()).isEqualTo("PCMU");
            call.hangup();
            SippResult result = uas.awaitExit(EXIT);
            assertThat(result.allCallsSucceeded()).as(result.describe()).isTrue();
            assertThat(uas.messages()).contains("ACK sip:", "BYE sip:");
        }
    }

    @Test
    void weAnswerSippUacAndItHangsUp() throws Exception {
        RecordingListener events = new RecordingListener();
        UserAgent bob = phones.start(account("bob").withAutoAnswer(true), events);
        try (SippProcess uac = SippProcess.builtin("uac").remote("127.0.0.1:" + bob.sipPort()).calls(1).start()) {
            Call call = next(events.incoming, "SIPp's INVITE");
            events.awaitState(call, CallState.CONNECTED);
            events.awaitState(call, CallState.ENDED);
            assertThat(call.endStatus()).isEqualTo(200);
            SippResult result = uac.awaitExit(EXIT);
            assertThat(result.allCallsSucceeded()).as(result.describe()).isTrue();
        }
    }

    @Test
    void inviteChallengedWith401IsRepeatedWithAuthorization() throws Exception {
        RecordingListener events = new RecordingListener();
        UserAgent alice = phones.start(account("alice").withPassword("secret"), events);
        try (SippProcess uas = SippProcess.scenarioFile(scenario("uas-invite-401.xml"))
                .key("user", "alice").key("password", "secret").key("realm", "tandem.test").calls(1).start()) {
            Call call = alice.call(uas.uri("service"));
            events.awaitState(call, CallState.CONNECTED);
            call.hangup();
            SippResult result = uas.awaitExit(EXIT);
            assertThat(result.allCallsSucceeded()).as(result.describe()).isTrue();
            assertThat(uas.messages()).contains("Authorization: Digest", "uri=\"sip:service@");
        }
    }

    @Test
    void earlyMediaThenAnswerThenHoldRetriedAfter491() throws Exception {
        RecordingListener events = new RecordingListener();
        UserAgent alice = phones.start(account("alice"), events);
        try (SippProcess uas = SippProcess.scenarioFile(scenario("uas-reinvite-glare.xml")).calls(1).start()) {
            Call call = alice.call(uas.uri("service"));
            events.awaitState(call, CallState.EARLY_MEDIA);
            events.awaitState(call, CallState.CONNECTED);
            call.hold();
            // RFC 3261 §14.1: after 491 the Call-ID owner waits 2.1-4 s, then offers again.
            assertThat(next(events.directions, "hold after the retried re-INVITE")).isEqualTo(MediaDirection.SENDONLY);
            assertThat(call.isOnHold()).isTrue();
            call.hangup();
            SippResult result = uas.awaitExit(EXIT);
            assertThat(result.allCallsSucceeded()).as(result.describe()).isTrue();
            assertThat(uas.messages()).contains("SIP/2.0 491", "a=sendonly");
        }
    }

    @Test
    void dtmfBySipInfoReachesTheListener() throws Exception {
        RecordingListener events = new RecordingListener();
        UserAgent bob = phones.start(account("bob").withAutoAnswer(true), events);
        try (SippProcess uac = SippProcess.scenarioFile(scenario("uac-info-dtmf.xml"))
                .remote("127.0.0.1:" + bob.sipPort()).calls(1).start()) {
            assertThat(next(events.digits, "INFO dtmf-relay digit")).isEqualTo('5');
            assertThat(next(events.digits, "INFO application/dtmf digit")).isEqualTo('7');
            SippResult result = uac.awaitExit(EXIT);
            assertThat(result.allCallsSucceeded()).as(result.describe()).isTrue();
        }
    }

    @Test
    void registersWithDigestAndIsRefusedWithTheWrongPassword() throws Exception {
        try (SippProcess registrar = SippProcess.scenario("register-digest-uas.xml")
                .key("user", "alice").key("password", "secret").key("realm", "tandem.test").calls(1).start()) {
            RecordingListener events = new RecordingListener();
            UserAgent alice = phones.start(account("alice").withPassword("secret")
                    .withRegistrars(List.of("sip:127.0.0.1:" + registrar.port())), events);
            RecordingListener.Registration ok = events.awaitRegistrationEvent(RegistrationState.REGISTERED);
            assertThat(ok.status()).isEqualTo(200);
            assertThat(alice.currentRegistrar()).isEqualTo("sip:127.0.0.1:" + registrar.port());
            SippResult result = registrar.awaitExit(EXIT);
            assertThat(result.allCallsSucceeded()).as(result.describe()).isTrue();
            assertThat(registrar.messages()).contains("Authorization: Digest", "qop=auth", "nc=00000001");
        }

        try (SippProcess registrar = SippProcess.scenario("register-digest-uas.xml")
                .key("user", "alice").key("password", "secret").key("realm", "tandem.test").calls(1).start()) {
            RecordingListener events = new RecordingListener();
            phones.start(account("alice").withPassword("wrong")
                    .withRegistrars(List.of("sip:127.0.0.1:" + registrar.port())), events);
            RecordingListener.Registration refused = events.awaitRegistrationEvent(RegistrationState.FAILED);
            assertThat(refused.status()).isEqualTo(403);
        }
    }

    @Test
    void failsOverFrom503ToTheSecondRegistrar() throws Exception {
        try (SippProcess overloaded = SippProcess.scenarioFile(scenario("register-503-uas.xml")).calls(1).start();
             SippProcess healthy = SippProcess.scenario("register-digest-uas.xml")
                     .key("user", "alice").key("password", "secret").key("realm", "tandem.test").calls(1).start()) {
            RecordingListener events = new RecordingListener();
            UserAgent alice = phones.start(account("alice").withPassword("secret").withRegistrars(List.of(
                    "sip:127.0.0.1:" + overloaded.port(), "sip:127.0.0.1:" + healthy.port())), events);
            RecordingListener.Registration registered = events.awaitRegistrationEvent(RegistrationState.REGISTERED);
            assertThat(registered.registrar()).isEqualTo("sip:127.0.0.1:" + healthy.port());
            assertThat(alice.currentRegistrar()).isEqualTo("sip:127.0.0.1:" + healthy.port());
            assertThat(overloaded.messages()).contains("SIP/2.0 503");
        }
    }

    @Test
    void failsOverFromASilentRegistrarAndMovesBackWhenItAnswersProbes() throws Exception {
        int preferredPort = FreePorts.udpAndTcp(); // nothing listens there at first
        String preferred = "sip:127.0.0.1:" + preferredPort;
        try (SippProcess backup = SippProcess.scenarioFile(scenario("registrar-comeback-uas.xml")).calls(5)
                .timeout(Duration.ofSeconds(90)).start()) {
            RecordingListener events = new RecordingListener();
            UserAgent alice = phones.start(account("alice").withRegistrars(List.of(
                    preferred, "sip:127.0.0.1:" + backup.port())), events);
            RecordingListener.Registration onBackup = events.awaitRegistrationEvent(RegistrationState.REGISTERED);
            assertThat(onBackup.registrar()).isEqualTo("sip:127.0.0.1:" + backup.port());

            try (SippProcess comeback = SippProcess.scenarioFile(scenario("registrar-comeback-uas.xml"))
                    .localPort(preferredPort).calls(2).start()) {
                RecordingListener.Registration back = events.awaitRegistrationEvent(RegistrationState.REGISTERED);
                assertThat(back.registrar()).isEqualTo(preferred);
                assertThat(alice.currentRegistrar()).isEqualTo(preferred);
                SippResult result = comeback.awaitExit(EXIT);
                assertThat(result.allCallsSucceeded()).as(result.describe()).isTrue();
                assertThat(comeback.messages()).contains("OPTIONS sip:127.0.0.1:" + preferredPort);
            }
        }
    }
}
