package io.tandem.agent.ui.call;

import io.tandem.agent.engine.CallPhase;
import io.tandem.agent.engine.PhoneCall;
import io.tandem.agent.engine.SipTargets;
import java.time.Clock;
import java.time.Duration;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * The call in progress: who, for how long, hold, mute, the DTMF keypad, blind transfer to an extension or a queue,
 * hang up.
 */
public final class CallViewModel {
    private final StringProperty remote = new SimpleStringProperty("");
    private final StringProperty remoteName = new SimpleStringProperty("");
    private final StringProperty detail = new SimpleStringProperty("");
    private final StringProperty timer = new SimpleStringProperty("0:00");
    private final StringProperty phaseText = new SimpleStringProperty("");
    private final BooleanProperty active = new SimpleBooleanProperty(false);
    private final BooleanProperty connected = new SimpleBooleanProperty(false);
    private final BooleanProperty held = new SimpleBooleanProperty(false);
    private final BooleanProperty muted = new SimpleBooleanProperty(false);
    private final StringProperty transferTarget = new SimpleStringProperty("");
    private final StringProperty message = new SimpleStringProperty("");
    private final StringProperty digitsSent = new SimpleStringProperty("");

    private final Clock clock;
    private PhoneCall call;

    public CallViewModel(Clock clock) {
        this.clock = clock;
    }

    /** An outgoing call or a direct one: the number is what SIP says. */
    public void show(PhoneCall newCall, String queue) {
        show(newCall, newCall.remoteNumber(), "", queue);
    }

    /** The call now shown, with the caller as the offer named them; {@code name} and {@code queue} may be empty. */
    public void show(PhoneCall newCall, String number, String name, String queue) {
        call = newCall;
        remote.set(number);
        // A caller without a name of their own is often sent with the number as the name: say it once.
        remoteName.set(name == null || name.equals(number) ? "" : name);
        detail.set(queue == null || queue.isEmpty() ? (newCall.incoming() ? "Direct call" : "Outgoing call") : queue);
        held.set(false);
        muted.set(false);
        message.set("");
        digitsSent.set("");
        transferTarget.set("");
        active.set(true);
        onPhase(newCall, newCall.phase());
    }

    public void onPhase(PhoneCall c, CallPhase phase) {
        if (call == null || !call.id().equals(c.id())) {
            return;
        }
        connected.set(phase == CallPhase.CONNECTED);
        phaseText.set(switch (phase) {
            case DIALLING -> "Calling…";
            case RINGING -> "Ringing";
            case CONNECTED -> held.get() ? "On hold" : "Connected";
            case ENDED -> "Ended";
        });
        if (phase == CallPhase.ENDED) {
            active.set(false);
            call = null;
        }
        tick();
    }

    public void onHold(PhoneCall c, boolean isHeld) {
        if (call != null && call.id().equals(c.id())) {
            held.set(isHeld);
            phaseText.set(isHeld ? "On hold" : "Connected");
        }
    }

    public void onTransferResult(PhoneCall c, int status) {
        if (call != null && call.id().equals(c.id())) {
            message.set(status < 300 ? "Transferred" : "Transfer failed (" + status + "): the call is still yours");
        }
    }

    public void toggleHold() {
        if (call == null || !connected.get()) {
            return;
        }
        if (held.get()) {
            call.resume();
        } else {
            call.hold();
        }
    }

    public void toggleMute() {
        if (call == null) {
            return;
        }
        boolean now = !muted.get();
        call.setMuted(now);
        muted.set(now);
    }

    public void dtmf(char digit) {
        if (call != null && connected.get()) {
            call.sendDtmf(digit);
            digitsSent.set(digitsSent.get() + digit);
        }
    }

    public void transfer() {
        String target = transferTarget.get().strip();
        String problem = SipTargets.problem(target);
        if (problem != null) {
            message.set(problem.replace("a number to call", "an extension or queue to transfer to"));
            return;
        }
        if (call != null && connected.get()) {
            call.transfer(SipTargets.normalise(target));
            message.set("Transferring to " + target + "…");
        }
    }

    public void hangUp() {
        if (call != null) {
            call.hangUp();
        }
    }

    public void tick() {
        PhoneCall c = call;
        if (c == null || c.connectedAt() == null) {
            if (c != null) {
                timer.set("0:00");
            }
            return;
        }
        long s = Math.max(0, Duration.between(c.connectedAt(), clock.instant()).toSeconds());
        timer.set(s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format("%d:%02d", s / 60, s % 60));
    }

    public boolean hasCall() {
        return call != null;
    }

    public StringProperty remoteProperty() {
        return remote;
    }

    public StringProperty remoteNameProperty() {
        return remoteName;
    }

    public StringProperty detailProperty() {
        return detail;
    }

    public StringProperty timerProperty() {
        return timer;
    }

    public StringProperty phaseTextProperty() {
        return phaseText;
    }

    public BooleanProperty activeProperty() {
        return active;
    }

    public BooleanProperty connectedProperty() {
        return connected;
    }

    public BooleanProperty heldProperty() {
        return held;
    }

    public BooleanProperty mutedProperty() {
        return muted;
    }

    public StringProperty transferTargetProperty() {
        return transferTarget;
    }

    public StringProperty messageProperty() {
        return message;
    }

    public StringProperty digitsSentProperty() {
        return digitsSent;
    }
}
