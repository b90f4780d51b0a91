package io.tandem.agent.engine;

import static io.tandem.agent.testing.PhoneEvents.next;
import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.agent.audio.FileAudio;
import io.tandem.agent.testing.Caller;
import io.tandem.agent.testing.Engines;
import io.tandem.agent.testing.PhoneEvents;
import io.tandem.agent.testing.TestWavs;
import io.tandem.telephony.media.MediaDirection;
import io.tandem.telephony.testing.Await;
import io.tandem.telephony.peers.FreePorts;
import io.tandem.telephony.testing.ToneCount;
import io.tandem.telephony.ua.CallState;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The phone engine takes a call from telephony's own user agent, peer to peer on loopback (calls through a node need
 * the B2BUA): the caller's tone is in the phone's recording, the phone's WAV reaches the caller, hold and mute
 * silence the agent, DTMF arrives, hang-up ends both sides.
 */
class PhoneEngineCallIT {
    private static final Duration AUDIO = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private static PhoneEngine phone(EngineKind kind, FileAudio audio) {
        int rtp = FreePorts.alignedBlock(20);
        EngineSettings settings = EngineSettings.defaults().withLocalAddress(InetAddress.getLoopbackAddress())
                .withRtpPorts(rtp, rtp + 19);
        return Engines.create(kind, settings, audio);
    }

    @ParameterizedTest
    @MethodSource("io.tandem.agent.testing.Engines#all")
    void anAnsweredCallCarriesToneBothWaysAndHoldMuteDtmfAndHangUpWork(EngineKind kind) throws Exception {
        Path agentVoice = TestWavs.tone(dir.resolve("agent-700hz.wav"), 700, 3);
        Path recording = dir.resolve("call.wav");
        PhoneEvents events = new PhoneEvents();
        try (PhoneEngine engine = phone(kind, new FileAudio(agentVoice, recording));
             Caller caller = new Caller("caller", 700)) {
            engine.start(new PhoneAccount("Agent", "1001", "tandem.test", null, List.of(), false), events);

            caller.call(engine.directUri(), 1000);
            PhoneCall call = next(events.incoming, "the call ringing the phone");
            assertThat(call.incoming()).isTrue();
            assertThat(call.remoteNumber()).isEqualTo("caller");
            assertThat(call.phase()).isEqualTo(CallPhase.RINGING);
            call.answer();
            events.awaitPhase(call, CallPhase.CONNECTED);
            caller.awaitState(CallState.CONNECTED);
            assertThat(call.connectedAt()).isNotNull();

            Await.until("the caller hears the agent's 700 Hz", AUDIO, () -> caller.ear.toneFrames() > 25);

            // Hold: the caller is held (RFC 3264 §8.4: we send a=sendonly, it answers recvonly) and hears no agent.
            call.hold();
            assertThat(next(events.holds, "hold reported")).isTrue();
            assertThat(next(caller.directions, "the caller's held direction")).isEqualTo(MediaDirection.RECVONLY);
            assertThat(call.onHold()).isTrue();
            long atHold = caller.ear.toneFrames();
            long framesAtHold = caller.ear.frames();
            Await.until("2 s of audio reach the caller while held", AUDIO, () -> caller.ear.frames() > framesAtHold + 100);
            assertThat(caller.ear.toneFrames()).as("no agent voice while held").isLessThanOrEqualTo(atHold + 3);

            call.resume();
            assertThat(next(events.holds, "resume reported")).isFalse();
            assertThat(next(caller.directions, "the caller resumes")).isEqualTo(MediaDirection.SENDRECV);
            long atResume = caller.ear.toneFrames();
            Await.until("the caller hears the agent again", AUDIO, () -> caller.ear.toneFrames() > atResume + 25);

            // Mute: the far end keeps getting packets, but silence.
            call.setMuted(true);
            assertThat(call.muted()).isTrue();
            long framesAtMute = caller.ear.frames();
            Await.until("1 s of audio after mute", AUDIO, () -> caller.ear.frames() > framesAtMute + 60);
            long atMute = caller.ear.toneFrames();
            long framesMuted = caller.ear.frames();
            Await.until("2 s of muted audio", AUDIO, () -> caller.ear.frames() > framesMuted + 100);
            assertThat(caller.ear.toneFrames()).as("no agent voice while muted").isLessThanOrEqualTo(atMute + 3);
            call.setMuted(false);
            long atUnmute = caller.ear.toneFrames();
            Await.until("the caller hears the agent after unmute", AUDIO, () -> caller.ear.toneFrames() > atUnmute + 25);

            for (char digit : "5#".toCharArray()) {
                call.sendDtmf(digit);
            }
            assertThat(next(caller.digits, "first DTMF digit")).isEqualTo('5');
            assertThat(next(caller.digits, "second DTMF digit")).isEqualTo('#');

            call.hangUp();
            events.awaitPhase(call, CallPhase.ENDED);
            caller.awaitState(CallState.ENDED);
        }
        long toneFrames = ToneCount.inWav(recording, 1000);
        assertThat(toneFrames).as("20 ms frames of the caller's 1 kHz in the phone's recording").isGreaterThan(100);
    }

    @ParameterizedTest
    @MethodSource("io.tandem.agent.testing.Engines#all")
    void aBlindTransferHandsTheCallerToTheTargetAndEndsTheAgentsLeg(EngineKind kind) throws Exception {
        PhoneEvents events = new PhoneEvents();
        BlockingQueue<Integer> transferResults = new LinkedBlockingQueue<>();
        PhoneListener listener = new PhoneListener() {
            @Override
            public void onIncomingCall(PhoneCall call) {
                events.onIncomingCall(call);
            }

            @Override
            public void onCallPhase(PhoneCall call, CallPhase phase) {
                events.onCallPhase(call, phase);
            }

            @Override
            public void onTransferResult(PhoneCall call, int status) {
                transferResults.add(status);
            }
        };
        try (PhoneEngine engine = phone(kind, FileAudio.silent());
             Caller caller = new Caller("caller", 440);
             Caller target = new Caller("supervisor", 1000).answering(440)) {
            engine.start(new PhoneAccount("", "1004", "tandem.test", null, List.of(), false), listener);
            caller.call(engine.directUri(), 1000);
            PhoneCall call = next(events.incoming, "the call ringing the phone");
            call.answer();
            events.awaitPhase(call, CallPhase.CONNECTED);
            caller.awaitState(CallState.CONNECTED);

            call.transfer(target.uri());
            assertThat(next(transferResults, "the transfer's outcome")).isEqualTo(200);
            events.awaitPhase(call, CallPhase.ENDED);
            target.awaitState(CallState.CONNECTED);
            Await.until("the caller now talks to the target (hears its 440 Hz)", AUDIO,
                    () -> caller.ear.toneFrames() > 25);
            Await.until("the target hears the caller's 1 kHz", AUDIO, () -> target.ear.toneFrames() > 25);
        }
    }

    @ParameterizedTest
    @MethodSource("io.tandem.agent.testing.Engines#all")
    void aDeclinedCallEndsAtTheCallerWith603(EngineKind kind) throws Exception {
        PhoneEvents events = new PhoneEvents();
        try (PhoneEngine engine = phone(kind, FileAudio.silent()); Caller caller = new Caller("caller", 700)) {
            engine.start(new PhoneAccount("", "1002", "tandem.test", null, List.of(), false), events);
            var outgoing = caller.call(engine.directUri(), 1000);
            PhoneCall call = next(events.incoming, "the call ringing the phone");
            call.decline();
            caller.awaitState(CallState.ENDED);
            assertThat(outgoing.endStatus()).isEqualTo(603);
            events.awaitPhase(call, CallPhase.ENDED);
        }
    }

    @ParameterizedTest
    @MethodSource("io.tandem.agent.testing.Engines#all")
    void autoAnswerPicksUpAtOnceAndTheCallerHearsThePlayedFile(EngineKind kind) throws Exception {
        Path agentVoice = TestWavs.tone(dir.resolve("agent-700hz.wav"), 700, 2);
        PhoneEvents events = new PhoneEvents();
        try (PhoneEngine engine = phone(kind, new FileAudio(agentVoice, null)); Caller caller = new Caller("c", 700)) {
            engine.start(new PhoneAccount("", "1003", "tandem.test", null, List.of(), true), events);
            caller.call(engine.directUri(), 1000);
            caller.awaitState(CallState.CONNECTED);
            Await.until("the caller hears the looped file", AUDIO, () -> caller.ear.toneFrames() > 25);
        }
    }
}
