package io.tandem.agent.ui.callback;

import io.tandem.agent.engine.PhoneCall;
import io.tandem.protocol.AgentState;
import io.tandem.protocol.CallbackWake;
import io.tandem.protocol.CallbackWakeEnded;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.regex.Pattern;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * "Caller waiting — Join": a parked app caller the callback service woke this agent for, shown while the agent is not
 * ready or logged out of the queues (an agent at work gets queue offers instead). Join dials the room's node with the
 * one-time token; the node lets the agent in and logs it in as on call. The notification goes when the service says
 * the wake is over (another agent joined, the caller left), when the agent dismisses it, or when the agent gets busy.
 * Several wakes wait their turn, oldest first. The waiting time ticks with {@link #tick()}.
 */
public final class CallbackWakeViewModel {
    /** The states in which the service wakes an agent, and so in which the notification is shown. */
    private static final Set<AgentState> ASLEEP = Set.of(AgentState.NOT_READY, AgentState.LOGGED_OUT);
    /** Control and bidirectional-override characters: a caller's name must not break or reorder the card's lines. */
    private static final Pattern UNPRINTABLE = Pattern.compile("[\\p{Cc}\\p{Zl}\\p{Zp}\\u202A-\\u202E\\u2066-\\u2069]");
    private static final int MAX_SHOWN = 60;

    private final StringProperty callerNumber = new SimpleStringProperty("");
    private final StringProperty callerName = new SimpleStringProperty("");
    private final StringProperty queue = new SimpleStringProperty("");
    private final StringProperty waiting = new SimpleStringProperty("");
    private final StringProperty message = new SimpleStringProperty("");
    private final BooleanProperty showing = new SimpleBooleanProperty(false);

    private final Clock clock;
    private final Function<CallbackWake, PhoneCall> dialler;
    private final BiConsumer<PhoneCall, CallbackWake> joined;
    /** FX thread only: wakes not yet ended, by room, oldest first, each with when it arrived. */
    private final Map<String, Pending> pending = new LinkedHashMap<>();
    private AgentState state = AgentState.LOGGED_OUT;

    private record Pending(CallbackWake wake, Instant receivedAt) {
    }

    /**
     * @param dialler dials a wake's join URI (the session's {@code join}); throws when the phone cannot
     * @param joined  told of the call Join placed, to show it as the current call
     */
    public CallbackWakeViewModel(Clock clock, Function<CallbackWake, PhoneCall> dialler,
                                 BiConsumer<PhoneCall, CallbackWake> joined) {
        this.clock = clock;
        this.dialler = dialler;
        this.joined = joined;
    }

    public void onWake(CallbackWake wake) {
        pending.remove(wake.room());
        pending.put(wake.room(), new Pending(wake, clock.instant()));
        refresh();
    }

    public void onWakeEnded(CallbackWakeEnded ended) {
        if (pending.remove(ended.room()) != null) {
            refresh();
        }
    }

    /** The agent's state changed: shown only while not ready or logged out. */
    public void onAgentState(AgentState newState) {
        state = newState == null ? AgentState.LOGGED_OUT : newState;
        if (state == AgentState.ON_CALL || state == AgentState.RESERVED) {
            pending.clear(); // at work now (perhaps on this very caller, joined from another device)
        }
        refresh();
    }

    /**
     * Dials the shown caller's room; the card goes, since its token admits once (a refusal — someone else was
     * quicker — comes back as the call's end). When the phone cannot dial at all, the card stays with the reason.
     */
    public void join() {
        Pending shown = shown();
        if (shown == null) {
            return;
        }
        PhoneCall call;
        try {
            call = dialler.apply(shown.wake());
        } catch (IllegalArgumentException | IllegalStateException e) {
            message.set("Could not join: " + e.getMessage());
            return;
        }
        pending.remove(shown.wake().room());
        message.set("");
        refresh();
        joined.accept(call, shown.wake());
    }

    /** Hides the shown caller; another agent may still take it. */
    public void dismiss() {
        Pending shown = shown();
        if (shown != null) {
            pending.remove(shown.wake().room());
            refresh();
        }
    }

    public void tick() {
        Pending shown = shown();
        if (shown != null) {
            long total = shown.wake().waitedSeconds()
                    + Math.max(0, Duration.between(shown.receivedAt(), clock.instant()).toSeconds());
            waiting.set(String.format("waiting %d:%02d", total / 60, total % 60));
        }
    }

    private Pending shown() {
        return pending.isEmpty() || !ASLEEP.contains(state) ? null : pending.values().iterator().next();
    }

    private void refresh() {
        Pending shown = shown();
        if (shown == null) {
            showing.set(false);
            return;
        }
        CallbackWake wake = shown.wake();
        String name = printable(wake.callerName());
        callerNumber.set(printable(wake.callerNumber()));
        callerName.set(name.equals(callerNumber.get()) ? "" : name); // a number sent as the name: said once
        queue.set(printable(wake.queue()));
        tick();
        showing.set(true);
    }

    /** What the app sent, as one line of plain text of a sensible length. */
    static String printable(String text) {
        String line = UNPRINTABLE.matcher(text == null ? "" : text).replaceAll(" ").strip();
        return line.codePointCount(0, line.length()) <= MAX_SHOWN ? line
                : line.substring(0, line.offsetByCodePoints(0, MAX_SHOWN - 1)) + "…";
    }

    public StringProperty callerNumberProperty() {
        return callerNumber;
    }

    public StringProperty callerNameProperty() {
        return callerName;
    }

    public StringProperty queueProperty() {
        return queue;
    }

    public StringProperty waitingProperty() {
        return waiting;
    }

    /** Why Join failed, or empty. */
    public StringProperty messageProperty() {
        return message;
    }

    public BooleanProperty showingProperty() {
        return showing;
    }
}
