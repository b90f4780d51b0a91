package io.tandem.telephony.ua;

import io.tandem.telephony.media.SineSource;
import io.tandem.telephony.testing.Await;
import io.tandem.telephony.peers.BaresipEvent;
import io.tandem.telephony.peers.BaresipProcess;
import io.tandem.telephony.peers.Recording;
import io.tandem.telephony.testing.RecordingListener;
import io.tandem.telephony.testing.ToneCount;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Our user agent calls baresip, a real softphone: audio is checked both ways as tones. */
class BaresipInteropIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private final Phones phones = new Phones();

    @AfterEach
    void close() {
        phones.close();
    }

    @Test
    void audioFlowsBothWaysWithBaresip() throws Exception {
        try (BaresipProcess baresip = BaresipProcess.builder().user("bob").autoAnswer(true).sineSource(500)
                .codecs("PCMU").start()) {
            RecordingListener events = new RecordingListener();
            UserAgent alice = phones.start("alice", events);
            ToneCount aliceHears500 = new ToneCount(500);
            Call call = alice.call(baresip.uri());
            call.setSource(new SineSource(1000, 8000));
            call.setSink(aliceHears500);

            events.awaitState(call, CallState.CONNECTED);
            baresip.awaitEvent(BaresipEvent.CALL_ESTABLISHED, WAIT);
            Await.until("alice hears baresip's 500 Hz", WAIT, () -> aliceHears500.toneFrames() > 50);
            Await.until("baresip records 2 s of audio", WAIT,
                    () -> baresip.recordedWav().toFile().length() > 2 * 8000 * 2);

            call.hangup();
            baresip.awaitEvent(BaresipEvent.CALL_CLOSED, WAIT);
            Recording atBaresip = baresip.recording().skip(Duration.ofMillis(300));
            assertThat(atBaresip.toneRatio(1000)).as("baresip hears our 1 kHz: %s", atBaresip).isGreaterThan(0.8);
        }
    }

    @Test
    void baresipCallsUsAndHangsUp() throws Exception {
        RecordingListener events = new RecordingListener();
        UserAgent bob = phones.start(UserAgentConfig.of("bob", "tandem.test").withAutoAnswer(true), events);
        try (BaresipProcess baresip = BaresipProcess.builder().user("alice").sineSource(700).codecs("PCMA")
                .start()) {
            baresip.dial(Phones.uriOf(bob));
            Call call = RecordingListener.next(events.incoming, "baresip's INVITE");
            ToneCount bobHears700 = new ToneCount(700);
            call.setSink(bobHears700);
            events.awaitState(call, CallState.CONNECTED);
            assertThat(call.codec().encodingName()).isEqualTo("PCMA");
            Await.until("bob hears baresip's 700 Hz", WAIT, () -> bobHears700.toneFrames() > 50);
            baresip.hangup();
            events.awaitState(call, CallState.ENDED);
        }
    }
}
