package io.tandem.telephony.peers;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.telephony.testing.Await;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Proves every scenario in src/test/resources/peers/sipp against a real peer: another SIPp, or
 * baresip where audio, DTMF or a real UA's digest client has to be judged.
 */
class SippScenariosIT {
    private static final Duration EXIT = Duration.ofSeconds(40);
    private static final Duration EVENT = Duration.ofSeconds(15);

    @Test
    void uacInvitePcmuStreamsAToneThatBaresipHears() {
        try (BaresipProcess bob = BaresipProcess.builder().user("bob").autoAnswer(true).start();
             SippProcess uac = SippProcess.scenario("uac-invite-pcmu.xml").remote(bob.address()).serviceUser("bob")
                     .pcmuTone(1000, Duration.ofSeconds(1)).holdFor(Duration.ofSeconds(3)).start()) {
            SippResult r = uac.awaitExit(EXIT);
            assertThat(r.allCallsSucceeded()).as(r.describe()).isTrue();
            bob.awaitEvent(BaresipEvent.CALL_CLOSED, EVENT);

            Recording heard = bob.recording().skip(Duration.ofMillis(300));
            assertThat(heard.duration()).isGreaterThan(Duration.ofSeconds(1));
            assertThat(heard.toneRatio(1000)).as("bob hears SIPp's 1 kHz: %s", heard).isGreaterThan(0.8);
            assertThat(uac.messages()).contains("a=rtpmap:101 telephone-event/8000");
        }
    }

    @Test
    void uasAnswerSdpAnswersBaresipAndStreamsItsTone() {
        try (SippProcess uas = SippProcess.scenario("uas-answer-sdp.xml").pcmuTone(800, Duration.ofSeconds(1)).start();
             BaresipProcess alice = BaresipProcess.builder().user("alice").start()) {
            alice.dial(uas.uri("service"));
            alice.awaitEvent(BaresipEvent.CALL_RINGING, EVENT);
            alice.awaitEvent(BaresipEvent.CALL_ESTABLISHED, EVENT);
            Await.until("alice to record 2 s of SIPp's audio", EVENT,
                    () -> alice.recordedWav().toFile().length() > 2 * 8000 * 2);
            alice.hangup();
            alice.awaitEvent(BaresipEvent.CALL_CLOSED, EVENT);

            SippResult r = uas.awaitExit(EXIT);
            assertThat(r.allCallsSucceeded()).as(r.describe()).isTrue();
            Recording heard = alice.recording().skip(Duration.ofMillis(300));
            assertThat(heard.dominantFrequency(800, 1000)).isEqualTo(800);
            assertThat(heard.toneRatio(800)).as("alice hears SIPp's 800 Hz: %s", heard).isGreaterThan(0.8);
        }
    }

    @Test
    void uacInvitePcmuCompletesAgainstUasAnswerSdp() {
        try (SippProcess uas = SippProcess.scenario("uas-answer-sdp.xml").calls(2).start();
             SippProcess uac = SippProcess.scenario("uac-invite-pcmu.xml").remote(uas.address()).calls(2)
                     .holdFor(Duration.ofSeconds(1)).start()) {
            SippResult caller = uac.awaitExit(EXIT);
            SippResult callee = uas.awaitExit(EXIT);
            assertThat(caller.allCallsSucceeded()).as(caller.describe()).isTrue();
            assertThat(caller.successfulCalls()).isEqualTo(2);
            assertThat(callee.allCallsSucceeded()).as(callee.describe()).isTrue();
        }
    }

    @Test
    void uasBusyRejectsBaresipWith486() {
        try (SippProcess uas = SippProcess.scenario("uas-busy-486.xml").start();
             BaresipProcess alice = BaresipProcess.builder().user("alice").start()) {
            alice.dial(uas.uri("busy"));
            BaresipEvent closed = alice.awaitEvent(BaresipEvent.CALL_CLOSED, EVENT);
            assertThat(closed.param()).contains("486");

            SippResult r = uas.awaitExit(EXIT);
            assertThat(r.allCallsSucceeded()).as(r.describe()).isTrue();
        }
    }

    @Test
    void registerDigestUasAcceptsTheRightPassword() {
        try (SippProcess registrar = SippProcess.scenario("register-digest-uas.xml")
                .expectCredentials("alice", "s3cret").start();
             BaresipProcess alice = BaresipProcess.builder()
                     .registerTo(registrar.address(), "alice", "s3cret", Duration.ofSeconds(600)).start()) {
            BaresipEvent ok = alice.awaitEvent(BaresipEvent.REGISTER_OK, EVENT);
            assertThat(ok.param()).startsWith("200");

            SippResult r = registrar.awaitExit(EXIT);
            assertThat(r.allCallsSucceeded()).as(r.describe()).isTrue();
            assertThat(registrar.messages()).contains("WWW-Authenticate: Digest realm=\"" + SippProcess.DEFAULT_REALM + "\"")
                    .contains("Authorization: Digest");
        }
    }

    @Test
    void registerDigestUasRejectsAWrongPasswordWith403AndFailsTheCall() {
        try (SippProcess registrar = SippProcess.scenario("register-digest-uas.xml")
                .expectCredentials("alice", "s3cret").start();
             BaresipProcess alice = BaresipProcess.builder()
                     .registerTo(registrar.address(), "alice", "wrong", Duration.ofSeconds(600)).start()) {
            BaresipEvent fail = alice.awaitEvent(BaresipEvent.REGISTER_FAIL, EVENT);
            assertThat(fail.param()).contains("403");

            SippResult r = registrar.awaitExit(EXIT);
            assertThat(r.exitCode()).as(r.describe()).isEqualTo(1);
            assertThat(r.failedCalls()).isEqualTo(1);
        }
    }

    @Test
    void uacInviteAuthAuthenticatesAgainstUasInviteDigest() {
        try (SippProcess uas = SippProcess.scenario("uas-invite-digest.xml").expectCredentials("bob", "pa55").start();
             SippProcess uac = SippProcess.scenario("uac-invite-auth.xml").remote(uas.address()).auth("bob", "pa55")
                     .holdFor(Duration.ofMillis(500)).start()) {
            SippResult caller = uac.awaitExit(EXIT);
            SippResult callee = uas.awaitExit(EXIT);
            assertThat(caller.allCallsSucceeded()).as(caller.describe()).isTrue();
            assertThat(callee.allCallsSucceeded()).as(callee.describe()).isTrue();
            assertThat(uac.messages()).contains("Authorization: Digest username=\"bob\"");
        }
    }

    @Test
    void uacInviteAuthWithAWrongPasswordIsRefused() {
        try (SippProcess uas = SippProcess.scenario("uas-invite-digest.xml").expectCredentials("bob", "pa55").start();
             SippProcess uac = SippProcess.scenario("uac-invite-auth.xml").remote(uas.address()).auth("bob", "nope")
                     .holdFor(Duration.ofMillis(500)).start()) {
            SippResult caller = uac.awaitExit(EXIT);
            SippResult callee = uas.awaitExit(EXIT);
            assertThat(caller.exitCode()).as(caller.describe()).isEqualTo(1);
            assertThat(callee.exitCode()).as(callee.describe()).isEqualTo(1);
            assertThat(uas.messages()).contains("SIP/2.0 403 Forbidden");
        }
    }

    @Test
    void uacInviteDtmfSendsAnRfc4733DigitThatBaresipDecodes() {
        try (BaresipProcess bob = BaresipProcess.builder().user("bob").autoAnswer(true).start();
             SippProcess uac = SippProcess.scenario("uac-invite-dtmf.xml").remote(bob.address()).serviceUser("bob")
                     .dtmfDigit('7').holdFor(Duration.ofSeconds(2)).start()) {
            BaresipEvent digit = bob.awaitEvent(BaresipEvent.CALL_DTMF_START, EVENT);
            assertThat(digit.param()).isEqualTo("7");

            SippResult r = uac.awaitExit(EXIT);
            assertThat(r.allCallsSucceeded()).as(r.describe()).isTrue();
        }
    }
}
