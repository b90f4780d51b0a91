package io.tandem.telephony.ua;

import io.tandem.telephony.media.MediaDirection;
import io.tandem.telephony.media.SineSource;
import io.tandem.telephony.testing.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import io.tandem.telephony.codec.CodecSpec;
import io.tandem.telephony.codec.Codecs;
import io.tandem.telephony.testing.RecordingListener;
import io.tandem.telephony.testing.ToneCount;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.tandem.telephony.testing.RecordingListener.next;
import static org.assertj.core.api.Assertions.assertThat;

/** Two of our user agents call each other over loopback: audio both ways, hold, DTMF, hang-up. */
class TwoPhonesCallIT {
    private static final Duration AUDIO = Duration.ofSeconds(20);
    private final Phones phones = new Phones();

    @AfterEach
    void close() {
        phones.close();
    }

    @Test
    void tonesFlowBothWaysHoldStopsAndRestoresAudioAndDtmfArrives() throws Exception {
        RecordingListener aliceEvents = new RecordingListener();
        RecordingListener bobEvents = new RecordingListener().answering();
        UserAgent alice = phones.start("alice", aliceEvents);
        UserAgent bob = phones.start("bob", bobEvents);

        ToneCount aliceHears440 = new ToneCount(440);
        ToneCount bobHears1k = new ToneCount(1000);
        Call aliceCall = alice.call(Phones.uriOf(bob));
        aliceCall.setSource(new SineSource(1000, 8000));
        aliceCall.setSink(aliceHears440);

        Call bobCall = next(bobEvents.incoming, "incoming call at bob");
        bobCall.setSource(new SineSource(440, 8000));
        bobCall.setSink(bobHears1k);

        aliceEvents.awaitState(aliceCall, CallState.CONNECTED);
        bobEvents.awaitState(bobCall, CallState.CONNECTED);
        assertThat(aliceCall.codec().encodingName()).isEqualTo("PCMU");

        Await.until("bob hears alice's 1 kHz", AUDIO, () -> bobHears1k.toneFrames() > 25);
        Await.until("alice hears bob's 440 Hz", AUDIO, () -> aliceHears440.toneFrames() > 25);

        // Hold: alice sends only, bob receives only (RFC 3264 §8.4) -> alice hears nothing.
        aliceCall.hold();
        assertThat(next(aliceEvents.directions, "alice's hold direction")).isEqualTo(MediaDirection.SENDONLY);
        assertThat(next(bobEvents.directions, "bob's held direction")).isEqualTo(MediaDirection.RECVONLY);
        long heardAtHold = aliceHears440.toneFrames();
        long bobFramesAtHold = bobHears1k.toneFrames();
        Await.until("bob keeps hearing alice for 2 s of audio while held", AUDIO,
                () -> bobHears1k.toneFrames() > bobFramesAtHold + 100);
        assertThat(aliceHears440.toneFrames()).as("alice hears no 440 Hz while bob is held")
                .isLessThanOrEqualTo(heardAtHold + 3);

        aliceCall.unhold();
        assertThat(next(aliceEvents.directions, "alice resumes")).isEqualTo(MediaDirection.SENDRECV);
        assertThat(next(bobEvents.directions, "bob resumes")).isEqualTo(MediaDirection.SENDRECV);
        long heardAtResume = aliceHears440.toneFrames();
        Await.until("alice hears 440 Hz again", AUDIO, () -> aliceHears440.toneFrames() > heardAtResume + 25);

        for (char digit : "15#*".toCharArray()) {
            aliceCall.sendDtmf(digit);
        }
        List<Character> received = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            received.add(next(bobEvents.digits, "DTMF digit " + i));
        }
        assertThat(received).containsExactly('1', '5', '#', '*');

        bobCall.hangup();
        aliceEvents.awaitState(aliceCall, CallState.ENDED);
        assertThat(aliceCall.endStatus()).isEqualTo(200);
        assertThat(alice.calls()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"G722", "opus", "PCMA"})
    void wideAndNarrowbandCodecsCarryTheTone(String codecName) throws Exception {
        CodecSpec codec = Codecs.supported().stream().filter(c -> c.encodingName().equals(codecName))
                .findFirst().orElseThrow();
        RecordingListener aliceEvents = new RecordingListener();
        RecordingListener bobEvents = new RecordingListener().answering();
        UserAgent alice = phones.start(UserAgentConfig.of("alice", "tandem.test").withCodecs(List.of(codec)),
                aliceEvents);
        UserAgent bob = phones.start("bob", bobEvents);
        ToneCount bobHears1k = new ToneCount(1000);
        bobEvents.onIncoming(c -> {
            c.setSink(bobHears1k);
            c.answer();
        });
        Call call = alice.call(Phones.uriOf(bob));
        call.setSource(new SineSource(1000, 8000));
        aliceEvents.awaitState(call, CallState.CONNECTED);
        assertThat(call.codec().encodingName()).isEqualTo(codecName);
        Await.until("bob hears 1 kHz over " + codecName, AUDIO, () -> bobHears1k.toneFrames() > 25);
    }

    @Test
    void busyRejectionAndCancelBeforeAnswer() throws Exception {
        RecordingListener aliceEvents = new RecordingListener();
        RecordingListener bobEvents = new RecordingListener().onIncoming(c -> c.reject(486));
        UserAgent alice = phones.start("alice", aliceEvents);
        UserAgent bob = phones.start("bob", bobEvents);

        Call rejected = alice.call(Phones.uriOf(bob));
        aliceEvents.awaitState(rejected, CallState.ENDED);
        assertThat(rejected.endStatus()).isEqualTo(486);

        RecordingListener carolEvents = new RecordingListener(); // rings, never answers
        UserAgent carol = phones.start("carol", carolEvents);
        Call cancelled = alice.call(Phones.uriOf(carol));
        aliceEvents.awaitState(cancelled, CallState.RINGING);
        Call ringing = next(carolEvents.incoming, "carol rings");
        cancelled.hangup();
        carolEvents.awaitState(ringing, CallState.ENDED);
        assertThat(ringing.endStatus()).isEqualTo(487);
    }
}
