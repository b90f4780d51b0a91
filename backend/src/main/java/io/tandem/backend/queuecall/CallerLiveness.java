package io.tandem.backend.queuecall;

import java.time.Duration;

/**
 * Whether a waiting caller's phone is still there. A phone that vanishes without a BYE (battery, lost network, a
 * crash) would otherwise wait in the queue until an agent is offered a dead call. While the caller waits, its RTP
 * is watched: after {@code silence} without a packet the phone is asked with an in-dialog OPTIONS (RFC 3261 §11: any
 * answer proves the phone holds the dialog). No answer within {@code probeTimeout}, and still no RTP, or a 481 (the
 * phone no longer knows the call, RFC 3261 §12.2.2), means the caller has vanished. A phone that answers while
 * silent (a caller who put us on hold, silence suppression) is asked again after the next silence. Guarded by the
 * call's lock (the timers take it).
 */
final class CallerLiveness {

    /** Why a caller is taken for gone; the queue log's VANISHED says it. */
    static final String SILENT = "silent";
    static final String DIALOG_GONE = "dialog-gone";

    /**
     * @param silence      RTP silence after which the caller is probed; zero = never probe
     * @param probeTimeout how long the probe may go unanswered
     */
    record Settings(Duration silence, Duration probeTimeout) {
        static final Settings NEVER = new Settings(Duration.ZERO, Duration.ZERO);

        boolean enabled() {
            return !silence.isZero();
        }

        /** How often the RTP counter is read: a quarter of the silence, so a silence is seen at most 25 % late. */
        Duration tick() {
            Duration quarter = silence.dividedBy(4);
            return quarter.compareTo(Duration.ofMillis(250)) < 0 ? Duration.ofMillis(250) : quarter;
        }
    }

    /** What the watch asks of the call. */
    interface Caller {
        /** The caller still waits for an agent (nothing is probed otherwise). */
        boolean waiting();

        /** RTP packets received from the caller so far. */
        long packetsReceived();

        /** Sends the caller an OPTIONS in its dialog; false when none could be sent (nothing to wait for then). */
        boolean probe();

        /** The caller's phone is gone: {@link #SILENT} or {@link #DIALOG_GONE}. */
        void vanished(String why);
    }

    private final Settings settings;
    private final Timers timers;
    private final Caller caller;
    private final Object lock;
    private long packetsSeen = -1;
    private Duration silentFor = Duration.ZERO;
    private Timers.Timer tick;
    private Timers.Timer deadline;
    private boolean probing;
    private boolean stopped;

    CallerLiveness(Settings settings, Timers timers, Caller caller, Object lock) {
        this.settings = settings;
        this.timers = timers;
        this.caller = caller;
        this.lock = lock;
    }

    /** Starts watching (the caller was answered). */
    void start() {
        if (settings.enabled()) {
            packetsSeen = caller.packetsReceived();
            tick = timers.after(settings.tick(), this::tick);
        }
    }

    /** The caller answered the probe with {@code status}. */
    void answered(int status) {
        if (!probing || stopped) {
            return;
        }
        probing = false;
        deadline.cancel();
        if (status == 481) {
            vanish(DIALOG_GONE);
            return;
        }
        silentFor = Duration.ZERO; // alive: asked again only after another silence
    }

    /** The probe's transaction failed (RFC 3261 §17.1.2.2 Timer F, or the transport): as unanswered. */
    void failed() {
        if (probing && !stopped) {
            unanswered();
        }
    }

    /** The call is over or no longer waits for good: nothing more fires. */
    void stop() {
        stopped = true;
        if (tick != null) {
            tick.cancel();
        }
        if (deadline != null) {
            deadline.cancel();
        }
    }

    private void tick() {
        synchronized (lock) {
            if (stopped) {
                return;
            }
            if (heardSinceLastLook()) {
                silentFor = Duration.ZERO;
                if (probing) {
                    // RTP came back while the probe was out: the phone is there whatever becomes of the OPTIONS
                    probing = false;
                    deadline.cancel();
                }
            } else {
                silentFor = silentFor.plus(settings.tick());
            }
            if (!probing && caller.waiting() && silentFor.compareTo(settings.silence()) >= 0 && caller.probe()) {
                probing = true;
                deadline = timers.after(settings.probeTimeout(), this::probeTimedOut);
            }
            tick = timers.after(settings.tick(), this::tick);
        }
    }

    private void probeTimedOut() {
        synchronized (lock) {
            if (probing && !stopped) {
                unanswered();
            }
        }
    }

    private void unanswered() {
        probing = false;
        if (heardSinceLastLook()) {
            silentFor = Duration.ZERO; // RTP came back: the phone is there, the OPTIONS or its answer was lost
            return;
        }
        vanish(SILENT);
    }

    private boolean heardSinceLastLook() {
        long now = caller.packetsReceived();
        boolean heard = now != packetsSeen;
        packetsSeen = now;
        return heard;
    }

    private void vanish(String why) {
        stop();
        if (caller.waiting()) {
            caller.vanished(why);
        }
    }
}
