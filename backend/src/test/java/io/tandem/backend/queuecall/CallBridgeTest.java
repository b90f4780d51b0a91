package io.tandem.backend.queuecall;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.telephony.codec.AudioCodec;
import io.tandem.telephony.media.AudioFrames;
import io.tandem.telephony.media.MediaDirection;
import io.tandem.telephony.media.MediaSink;
import io.tandem.telephony.media.MediaSource;
import io.tandem.telephony.rtp.MediaStream;
import io.tandem.telephony.rtp.RtpStatistics;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Who hears whom in each monitor mode, with constant frames as voices (caller 1000, agent 200, supervisor 30, so a
 * heard frame's value says whose voices it carries), and digits relayed between caller and agent only.
 */
class CallBridgeTest {

    private static final int CALLER = 1000;
    private static final int AGENT = 200;
    private static final int SUPERVISOR = 30;

    /** A stream without a network: the test speaks into its sink and listens to its source. */
    private static final class Stream implements MediaStream {
        MediaSource source;
        MediaSink sink;
        Consumer<Character> dtmf;
        final List<Character> sent = new ArrayList<>();
        boolean telephoneEvent = true;

        void say(int value) {
            short[] frame = AudioFrames.newFrame();
            Arrays.fill(frame, (short) value);
            sink.write(frame);
        }

        int hear() {
            short[] frame = AudioFrames.newFrame();
            source.read(frame);
            return frame[0];
        }

        @Override
        public InetSocketAddress localAddress() {
            return null;
        }

        @Override
        public void start(InetSocketAddress remote, AudioCodec codec, int telephoneEventPayloadType) {
        }

        @Override
        public void setDirection(MediaDirection direction) {
        }

        @Override
        public MediaDirection direction() {
            return MediaDirection.SENDRECV;
        }

        @Override
        public void setSource(MediaSource source) {
            this.source = source;
        }

        @Override
        public void setSink(MediaSink sink) {
            this.sink = sink;
        }

        @Override
        public void sendDtmf(char digit, int durationMillis) {
            if (!telephoneEvent) {
                throw new IllegalStateException("no telephone-event");
            }
            sent.add(digit);
        }

        @Override
        public void onDtmf(Consumer<Character> listener) {
            this.dtmf = listener;
        }

        @Override
        public RtpStatistics statistics() {
            return null;
        }

        @Override
        public void close() {
        }
    }

    private final Stream caller = new Stream();
    private final Stream agent = new Stream();
    private final Stream supervisor = new Stream();
    private final CallBridge bridge = new CallBridge(caller, agent);

    /** One 20 ms frame: everybody speaks, then returns {caller hears, agent hears, supervisor hears}. */
    private int[] frame() {
        caller.say(CALLER);
        agent.say(AGENT);
        if (supervisor.sink != null) {
            supervisor.say(SUPERVISOR);
        }
        return new int[] {caller.hear(), agent.hear(), supervisor.source == null ? 0 : supervisor.hear()};
    }

    @Test
    void withoutAMonitorCallerAndAgentHearEachOther() {
        assertThat(frame()).containsExactly(AGENT, CALLER, 0);
    }

    @Test
    void listenWhisperAndBargeChangeWhoHearsTheSupervisorFromTheNextFrame() {
        bridge.tap(supervisor, MonitorMode.LISTEN);
        assertThat(frame()).containsExactly(AGENT, CALLER, CALLER + AGENT);
        bridge.mode(MonitorMode.WHISPER);
        assertThat(frame()).containsExactly(AGENT, CALLER + SUPERVISOR, CALLER + AGENT);
        bridge.mode(MonitorMode.BARGE);
        assertThat(frame()).containsExactly(AGENT + SUPERVISOR, CALLER + SUPERVISOR, CALLER + AGENT);
        bridge.untap();
        assertThat(frame()[0]).isEqualTo(AGENT);
        assertThat(frame()[1]).isEqualTo(CALLER);
    }

    @Test
    void whatTheSupervisorSaidBeforeTheUntapIsNeverHeardAfterIt() {
        bridge.tap(supervisor, MonitorMode.BARGE);
        assertThat(frame()[0]).isEqualTo(AGENT + SUPERVISOR);
        for (int i = 0; i < 5; i++) {
            supervisor.say(SUPERVISOR); // a backlog in the tap's pipes that nobody has played yet
        }
        bridge.untap();
        for (int i = 0; i < 5; i++) {
            assertThat(frame()).as("frame %d after the untap", i).startsWith(AGENT, CALLER);
        }
    }

    @Test
    void whatTheSupervisorSaidInListenIsNotHeardLaterInBarge() {
        bridge.tap(supervisor, MonitorMode.LISTEN);
        frame();
        frame();
        bridge.mode(MonitorMode.BARGE);
        assertThat(frame()[0]).as("one frame of the supervisor, not a backlog").isEqualTo(AGENT + SUPERVISOR);
    }

    @Test
    void loudVoicesAreClampedNotWrapped() {
        short[] into = AudioFrames.newFrame();
        short[] extra = AudioFrames.newFrame();
        Arrays.fill(into, (short) 30000);
        Arrays.fill(extra, (short) 10000);
        CallBridge.mix(into, extra);
        assertThat(into[0]).isEqualTo(Short.MAX_VALUE);
        Arrays.fill(into, (short) -30000);
        Arrays.fill(extra, (short) -10000);
        CallBridge.mix(into, extra);
        assertThat(into[0]).isEqualTo(Short.MIN_VALUE);
    }

    @Test
    void digitsGoFromEachSideToTheOtherAndNeverToTheSupervisor() {
        bridge.tap(supervisor, MonitorMode.BARGE);
        caller.dtmf.accept('5');
        agent.dtmf.accept('#');
        assertThat(agent.sent).containsExactly('5');
        assertThat(caller.sent).containsExactly('#');
        assertThat(supervisor.sent).isEmpty();
        assertThat(bridge.digitsRelayed()).isEqualTo(2);
    }

    @Test
    void aDigitTheFarSideCannotTakeIsCountedNotThrown() {
        agent.telephoneEvent = false;
        caller.dtmf.accept('1');
        assertThat(agent.sent).isEmpty();
        assertThat(bridge.digitsDropped()).isEqualTo(1);
    }
}
