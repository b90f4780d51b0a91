package io.tandem.telephony.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tandem.telephony.testing.Await;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Proves the baresip harness: two real baresip phones call each other on loopback. */
class BaresipProcessIT {
    private static final Duration EVENT = Duration.ofSeconds(15);

    @Test
    void sineSentByOnePhoneIsRecordedAsThatToneByTheOther() {
        try (BaresipProcess bob = BaresipProcess.builder().user("bob").autoAnswer(true).sineSource(500).start();
             BaresipProcess alice = BaresipProcess.builder().user("alice").sineSource(1000).start()) {
            alice.dial(bob.uri());
            alice.awaitEvent(BaresipEvent.CALL_ESTABLISHED, EVENT);
            bob.awaitEvent(BaresipEvent.CALL_ESTABLISHED, EVENT);
            bob.awaitEvent(BaresipEvent.CALL_RTPESTAB, EVENT);
            alice.awaitEvent(BaresipEvent.CALL_RTPESTAB, EVENT);
            // Let a couple of seconds of audio flow: wait on the recording's growth, not on a clock.
            Await.until("bob to record 2 s of audio", EVENT,
                    () -> bob.recordedWav().toFile().length() > 2 * 8000 * 2);

            alice.hangup();
            alice.awaitEvent(BaresipEvent.CALL_CLOSED, EVENT);
            BaresipEvent closed = bob.awaitEvent(BaresipEvent.CALL_CLOSED, EVENT);
            assertThat(closed.peerUri()).isEqualTo(alice.uri());

            Recording atBob = bob.recording().skip(Duration.ofMillis(300));
            Recording atAlice = alice.recording().skip(Duration.ofMillis(300));
            assertThat(atBob.sampleRate()).isEqualTo(8000);
            assertThat(atBob.duration()).isGreaterThan(Duration.ofSeconds(1));
            assertThat(atBob.rms()).as("bob hears something").isGreaterThan(0.05);
            assertThat(atBob.toneRatio(1000)).as("bob hears alice's 1 kHz: %s", atBob).isGreaterThan(0.8);
            assertThat(atBob.dominantFrequency(500, 1000, 1500)).isEqualTo(1000);
            assertThat(atAlice.toneRatio(500)).as("alice hears bob's 500 Hz: %s", atAlice).isGreaterThan(0.8);
        }
    }

    @Test
    void wavFileSourceIsHeardAtTheFarEnd(@TempDir Path dir) {
        Path wav = Recording.sine(1200, 12_000, Duration.ofSeconds(20), 8000).writeWav(dir.resolve("tone-1200.wav"));
        try (BaresipProcess bob = BaresipProcess.builder().user("bob").autoAnswer(true).start();
             BaresipProcess alice = BaresipProcess.builder().user("alice").wavSource(wav).start()) {
            alice.dial(bob.uri());
            bob.awaitEvent(BaresipEvent.CALL_ESTABLISHED, EVENT);
            Await.until("bob to record 2 s of audio", EVENT,
                    () -> bob.recordedWav().toFile().length() > 2 * 8000 * 2);
            alice.hangup();
            bob.awaitEvent(BaresipEvent.CALL_CLOSED, EVENT);

            Recording atBob = bob.recording().skip(Duration.ofMillis(300));
            assertThat(atBob.dominantFrequency(1000, 1200, 1400)).isEqualTo(1200);
            assertThat(atBob.toneRatio(1200)).as("bob hears the WAV's 1200 Hz: %s", atBob).isGreaterThan(0.8);
        }
    }

    @Test
    void registerLaterCreatesAUserAgentThatRegisters() {
        try (SippProcess registrar = SippProcess.scenario("register-digest-uas.xml")
                .expectCredentials("carol", "pw").start();
             BaresipProcess carol = BaresipProcess.builder().user("carol").start()) {
            carol.register(registrar.address(), "carol", "pw", Duration.ofSeconds(300));
            carol.awaitEvent(BaresipEvent.REGISTER_OK, EVENT);
            SippResult r = registrar.awaitExit(Duration.ofSeconds(30));
            assertThat(r.allCallsSucceeded()).as(r.describe()).isTrue();
        }
    }

    @Test
    void awaitingAnEventThatNeverComesFailsWithTheEventsSeenAndTheOutput() {
        try (BaresipProcess lonely = BaresipProcess.builder().user("lonely").start()) {
            assertThatThrownBy(() -> lonely.awaitEvent(BaresipEvent.CALL_INCOMING, Duration.ofMillis(300)))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("no CALL_INCOMING event")
                    .hasMessageContaining("baresip is ready");
        }
    }

    @Test
    void closeLeavesNoProcessBehind() {
        BaresipProcess peer = BaresipProcess.builder().user("short").start();
        long pid = peer.pid();
        peer.close();
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(peer.isAlive()).isFalse();
    }

    @Test
    void manualAnswerFlowsThroughCtrlTcpEvents() {
        try (BaresipProcess bob = BaresipProcess.builder().user("bob").start();
             BaresipProcess alice = BaresipProcess.builder().user("alice").start()) {
            alice.dial(bob.uri());
            BaresipEvent incoming = bob.awaitEvent(BaresipEvent.CALL_INCOMING, EVENT);
            assertThat(incoming.peerUri()).isEqualTo(alice.uri());
            assertThat(incoming.direction()).isEqualTo("incoming");
            BaresipEvent ringing = alice.awaitEvent(BaresipEvent.CALL_RINGING, EVENT);
            assertThat(ringing.peerUri()).isEqualTo(bob.uri());

            bob.answer();
            assertThat(bob.awaitEvent(BaresipEvent.CALL_ESTABLISHED, EVENT).callId()).isEqualTo(incoming.callId());
            alice.awaitEvent(BaresipEvent.CALL_ESTABLISHED, EVENT);

            bob.hangup();
            bob.awaitEvent(BaresipEvent.CALL_CLOSED, EVENT);
            alice.awaitEvent(BaresipEvent.CALL_CLOSED, EVENT);
        }
    }

    @Test
    void rejectingAnIncomingCallClosesItAtTheCaller() {
        try (BaresipProcess bob = BaresipProcess.builder().user("bob").start();
             BaresipProcess alice = BaresipProcess.builder().user("alice").start()) {
            alice.dial(bob.uri());
            bob.awaitEvent(BaresipEvent.CALL_INCOMING, EVENT);
            bob.hangup();
            BaresipEvent closed = alice.awaitEvent(BaresipEvent.CALL_CLOSED, EVENT);
            assertThat(closed.param()).contains("486");
            assertThat(alice.events()).noneMatch(e -> e.type().equals(BaresipEvent.CALL_ESTABLISHED));
        }
    }
}
