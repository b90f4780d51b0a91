package io.tandem.backend.queuecall;

import io.tandem.telephony.media.AudioFrames;
import io.tandem.telephony.media.MediaSink;
import io.tandem.telephony.media.MediaSource;
import io.tandem.telephony.rtp.MediaStream;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The media of a connected queue call on the caller's node: caller and agent hear each other through one
 * {@link FramePipe} per direction, RFC 4733 digits of each side are sent on to the other, and a supervisor's stream
 * may be tapped in. With a tap, what the caller and the agent say is also copied to the supervisor (who hears the
 * sum of both), and what the supervisor says is added to the agent's and/or the caller's frame as the
 * {@link MonitorMode} says. The mode and the tap are volatile references read once per frame, so a change takes
 * effect on the next 20 ms frame without a re-INVITE; every buffer is allocated when the bridge or the tap is
 * built, so the media threads neither block nor allocate.
 */
final class CallBridge implements Monitorable {

    private static final int N = AudioFrames.SAMPLES_PER_FRAME;
    /** RFC 4733 §2.5: how long a relayed digit is played; what our user agent sends too. */
    static final int DIGIT_MILLIS = 160;

    /** The pipes of one supervisor tap; a new tap starts with empty pipes, so no stale audio leaks in. */
    private static final class Tap {
        final FramePipe callerToMonitor = new FramePipe();
        final FramePipe agentToMonitor = new FramePipe();
        final FramePipe monitorToCaller = new FramePipe();
        final FramePipe monitorToAgent = new FramePipe();
        volatile MonitorMode mode;

        Tap(MonitorMode mode) {
            this.mode = mode;
        }
    }

    private final MediaStream caller;
    private final MediaStream agent;
    private final FramePipe callerToAgent = new FramePipe();
    private final FramePipe agentToCaller = new FramePipe();
    private volatile Tap tap;
    private final AtomicLong digitsRelayed = new AtomicLong();
    private final AtomicLong digitsDropped = new AtomicLong();

    /** Connects the two streams (both started) and relays digits between them. */
    CallBridge(MediaStream caller, MediaStream agent) {
        this.caller = caller;
        this.agent = agent;
        caller.setSink(new Spoken(callerToAgent, true));
        agent.setSink(new Spoken(agentToCaller, false));
        agent.setSource(new Heard(callerToAgent, false));
        caller.setSource(new Heard(agentToCaller, true));
        caller.onDtmf(digit -> relay(agent, digit));
        agent.onDtmf(digit -> relay(caller, digit));
    }

    @Override
    public void tap(MediaStream monitor, MonitorMode mode) {
        Tap t = new Tap(mode);
        monitor.setSource(new MonitorHears(t));
        monitor.setSink(new MonitorSays(t));
        tap = t;
    }

    @Override
    public void mode(MonitorMode mode) {
        Tap t = tap;
        if (t != null) {
            t.mode = mode;
        }
    }

    @Override
    public void untap() {
        tap = null;
    }

    long digitsRelayed() {
        return digitsRelayed.get();
    }

    /** Digits lost because the far side negotiated no telephone-event or its digit queue was full. */
    long digitsDropped() {
        return digitsDropped.get();
    }

    /** I/O thread: {@code sendDtmf} only queues the digit for the far stream's sender, it never blocks. */
    private void relay(MediaStream to, char digit) {
        try {
            to.sendDtmf(digit, DIGIT_MILLIS);
            digitsRelayed.incrementAndGet();
        } catch (RuntimeException notNegotiated) {
            digitsDropped.incrementAndGet(); // the far side has no telephone-event, or its digit queue is full
        }
    }

    /** What one party says: to the other party, and to the supervisor when a tap is in. */
    private final class Spoken implements MediaSink {
        private final FramePipe toOther;
        private final boolean fromCaller;

        Spoken(FramePipe toOther, boolean fromCaller) {
            this.toOther = toOther;
            this.fromCaller = fromCaller;
        }

        @Override
        public void write(short[] frame) {
            toOther.write(frame);
            Tap t = tap;
            if (t != null) {
                (fromCaller ? t.callerToMonitor : t.agentToMonitor).write(frame);
            }
        }

        @Override
        public void close() {
            // the pipes are plain memory
        }
    }

    /** What one party hears: the other party, plus the supervisor when the mode lets it. */
    private final class Heard implements MediaSource {
        private final FramePipe fromOther;
        private final boolean toCaller;
        private final short[] extra = AudioFrames.newFrame();

        Heard(FramePipe fromOther, boolean toCaller) {
            this.fromOther = fromOther;
            this.toCaller = toCaller;
        }

        @Override
        public boolean read(short[] frame) {
            fromOther.read(frame);
            Tap t = tap;
            if (t != null) {
                (toCaller ? t.monitorToCaller : t.monitorToAgent).read(extra); // drained even when not heard
                MonitorMode mode = t.mode;
                if (toCaller ? mode.callerHears : mode.agentHears) {
                    mix(frame, extra);
                }
            }
            return true;
        }

        @Override
        public void close() {
            // nothing to release
        }
    }

    /** The supervisor hears caller and agent. */
    private static final class MonitorHears implements MediaSource {
        private final Tap tap;
        private final short[] extra = AudioFrames.newFrame();

        MonitorHears(Tap tap) {
            this.tap = tap;
        }

        @Override
        public boolean read(short[] frame) {
            tap.callerToMonitor.read(frame);
            tap.agentToMonitor.read(extra);
            mix(frame, extra);
            return true;
        }

        @Override
        public void close() {
            // nothing to release
        }
    }

    /** What the supervisor says goes towards both parties; {@link Heard} decides whether it is added. */
    private static final class MonitorSays implements MediaSink {
        private final Tap tap;

        MonitorSays(Tap tap) {
            this.tap = tap;
        }

        @Override
        public void write(short[] frame) {
            tap.monitorToCaller.write(frame);
            tap.monitorToAgent.write(frame);
        }

        @Override
        public void close() {
            // nothing to release
        }
    }

    /** {@code into += extra}, clamped to 16 bits. */
    static void mix(short[] into, short[] extra) {
        for (int i = 0; i < N; i++) {
            int sum = into[i] + extra[i];
            into[i] = (short) (sum > Short.MAX_VALUE ? Short.MAX_VALUE : Math.max(sum, Short.MIN_VALUE));
        }
    }
}
