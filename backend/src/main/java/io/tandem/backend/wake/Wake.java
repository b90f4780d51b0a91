package io.tandem.backend.wake;

import io.tandem.protocol.callback.CallWake;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call's wake of a sleeping callee: the RING written once when the call starts ringing, then at most one of
 * ANSWERED or CANCELLED; in between, the callee's REGISTERs on this node are handed to the call.
 */
public final class Wake {

    private static final Logger log = LoggerFactory.getLogger(Wake.class);

    private final CallWakes wakes;
    private final String tenant;
    private final String callee;
    private final String callId;
    private final String callerNumber;
    private final String callerName;
    private final AtomicBoolean rung = new AtomicBoolean();
    private final AtomicBoolean over = new AtomicBoolean();
    /** What the call does when the callee registers; published once by {@link #ring}. */
    private volatile Runnable onRegistered = () -> { };

    Wake(CallWakes wakes, String tenant, String callee, String callId, String callerNumber, String callerName) {
        this.wakes = wakes;
        this.tenant = tenant;
        this.callee = callee;
        this.callId = callId;
        this.callerNumber = callerNumber;
        this.callerName = callerName;
    }

    /**
     * Asks for the callee's devices to be woken (RING) and hands {@code onRegistered} every REGISTER of the callee
     * on this node until {@link #stopListening}.
     */
    public void ring(Runnable onRegistered) {
        if (!rung.compareAndSet(false, true)) {
            return;
        }
        this.onRegistered = onRegistered;
        wakes.listen(this);
        wakes.append(this, CallWake.Kind.RING);
        log.info("call {}: {}@{} has push bindings; wake asked for", callId, callee, tenant);
    }

    /** The call no longer takes new branches (answered, ended, or the wake wait is over). */
    public void stopListening() {
        wakes.forget(this);
    }

    /** A branch answered: the other devices may stop ringing. */
    public void answered() {
        finish(CallWake.Kind.ANSWERED);
    }

    /** The call ended unanswered (the caller cancelled, nobody answered): every woken device may stop ringing. */
    public void cancelled() {
        finish(CallWake.Kind.CANCELLED);
    }

    private void finish(CallWake.Kind kind) {
        stopListening();
        if (rung.get() && over.compareAndSet(false, true)) {
            wakes.append(this, kind);
        }
    }

    void deviceRegistered() {
        onRegistered.run();
    }

    String tenant() {
        return tenant;
    }

    String callee() {
        return callee;
    }

    String callId() {
        return callId;
    }

    String callerNumber() {
        return callerNumber;
    }

    String callerName() {
        return callerName;
    }
}
