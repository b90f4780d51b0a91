package io.tandem.agent.ui.state;

import io.tandem.agent.engine.RegistrationStatus;
import io.tandem.agent.session.AgentSession;
import io.tandem.agent.ui.FxBackground;
import io.tandem.protocol.AgentState;
import io.tandem.protocol.AgentStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The agent's state and connections: the selector (Available, Not ready with a reason, Log out), the wrap-up
 * countdown with "done", and which node the phone is on with whether SIP and the WebSocket are up.
 */
public final class StateViewModel {
    public static final String AVAILABLE = "Available";
    public static final String LOG_OUT = "Log out";
    private static final String NOT_READY = "Not ready";

    private final ObservableList<String> choices = FXCollections.observableArrayList();
    private final ObjectProperty<AgentState> state = new SimpleObjectProperty<>(AgentState.LOGGED_OUT);
    private final StringProperty stateText = new SimpleStringProperty("Logged out");
    private final StringProperty selected = new SimpleStringProperty("");
    private final BooleanProperty inWrapUp = new SimpleBooleanProperty(false);
    private final IntegerProperty wrapUpSecondsLeft = new SimpleIntegerProperty(0);
    private final StringProperty sipText = new SimpleStringProperty("SIP: offline");
    private final BooleanProperty sipUp = new SimpleBooleanProperty(false);
    private final StringProperty socketText = new SimpleStringProperty("Events: offline");
    private final BooleanProperty socketUp = new SimpleBooleanProperty(false);
    private final StringProperty message = new SimpleStringProperty("");
    private final BooleanProperty busy = new SimpleBooleanProperty(false);

    private final FxBackground background;
    private final Clock clock;
    private final Runnable onLogOut;
    private AgentSession session;
    private Instant wrapUpUntil;
    private String reason = "";

    public StateViewModel(FxBackground background, Clock clock, Runnable onLogOut) {
        this.background = background;
        this.clock = clock;
        this.onLogOut = onLogOut;
    }

    public void attach(AgentSession newSession, List<String> notReadyReasons) {
        this.session = newSession;
        choices.setAll(AVAILABLE);
        if (notReadyReasons.isEmpty()) {
            choices.add(NOT_READY);
        }
        for (String reason : notReadyReasons) {
            choices.add(NOT_READY + " — " + reason);
        }
        choices.add(LOG_OUT);
        // The login answer's status may have arrived before the choices existed.
        String choice = choiceFor(state.get(), reason);
        if (choice != null) {
            selected.set(choice);
        }
    }

    /** The agent picked {@code choice} in the selector. */
    public void choose(String choice) {
        if (choice == null || choice.equals(selected.get()) || session == null) {
            return;
        }
        if (LOG_OUT.equals(choice)) {
            onLogOut.run();
            return;
        }
        AgentState target = AVAILABLE.equals(choice) ? AgentState.AVAILABLE : AgentState.NOT_READY;
        String reason = choice.startsWith(NOT_READY + " — ") ? choice.substring((NOT_READY + " — ").length()) : "";
        request(target, reason);
    }

    /** Ends wrap-up now ("done"): Available again. */
    public void done() {
        request(AgentState.AVAILABLE, "");
    }

    private void request(AgentState target, String reason) {
        AgentSession s = session;
        busy.set(true);
        message.set("");
        background.run(() -> s.changeState(target, reason), status -> busy.set(false), failure -> {
            busy.set(false);
            message.set("State not changed: " + failure.getMessage());
            selected.set(choiceFor(state.get(), ""));
        });
    }

    public void onStatus(AgentStatus status) {
        reason = status.reason();
        state.set(status.state());
        stateText.set(label(status));
        wrapUpUntil = status.state() == AgentState.WRAP_UP ? status.wrapUpUntil() : null;
        inWrapUp.set(wrapUpUntil != null);
        tick();
        String choice = choiceFor(status.state(), status.reason());
        if (choice != null) {
            selected.set(choice);
        }
    }

    private String choiceFor(AgentState s, String reason) {
        if (s == AgentState.AVAILABLE) {
            return AVAILABLE;
        }
        if (s == AgentState.NOT_READY) {
            String withReason = NOT_READY + " — " + reason;
            return choices.contains(withReason) ? withReason : choices.contains(NOT_READY) ? NOT_READY : null;
        }
        return null; // reserved, on call, wrap-up: the selector keeps what the agent chose
    }

    private static String label(AgentStatus status) {
        return switch (status.state()) {
            case AVAILABLE -> "Available";
            case RESERVED -> "Ringing";
            case ON_CALL -> "On call";
            case WRAP_UP -> "Wrap-up";
            case NOT_READY -> status.reason().isEmpty() ? "Not ready" : "Not ready · " + status.reason();
            case LOGGED_OUT -> "Logged out";
        };
    }

    /** Once a second: the wrap-up countdown. */
    public void tick() {
        if (wrapUpUntil == null) {
            wrapUpSecondsLeft.set(0);
            return;
        }
        long left = Math.max(0, Duration.between(clock.instant(), wrapUpUntil).toSeconds());
        wrapUpSecondsLeft.set((int) left);
    }

    public void onRegistration(RegistrationStatus status) {
        String node = status.registrar() == null ? "" : " · " + where(status.registrar());
        sipUp.set(status.registered());
        sipText.set(switch (status.phase()) {
            case REGISTERED -> "SIP registered" + node;
            case REGISTERING -> "SIP registering" + node;
            case FAILED -> status.problem().isEmpty() ? "SIP refused (" + status.lastStatus() + ")" + node
                    : "SIP failed: " + status.problem();
            case OFFLINE -> "SIP offline";
        });
    }

    /** {@code sip:10.0.0.1:5061;transport=tls} → {@code 10.0.0.1:5061 (TLS)}; a plain node as it is. */
    private static String where(String registrar) {
        String hostPort = registrar.replaceFirst("^sips?:", "").replaceFirst(";.*$", "");
        String transport = registrar.replaceFirst("^[^;]*", "").toLowerCase(Locale.ROOT);
        return transport.contains("transport=tls") ? hostPort + " (TLS)"
                : transport.contains("transport=tcp") ? hostPort + " (TCP)" : hostPort;
    }

    public void onSocket(boolean connected, String node) {
        socketUp.set(connected);
        socketText.set(connected ? "Events connected" : "Events reconnecting…");
    }

    public ObservableList<String> choices() {
        return choices;
    }

    public ObjectProperty<AgentState> stateProperty() {
        return state;
    }

    public StringProperty stateTextProperty() {
        return stateText;
    }

    public StringProperty selectedProperty() {
        return selected;
    }

    public BooleanProperty inWrapUpProperty() {
        return inWrapUp;
    }

    public IntegerProperty wrapUpSecondsLeftProperty() {
        return wrapUpSecondsLeft;
    }

    public StringProperty sipTextProperty() {
        return sipText;
    }

    public BooleanProperty sipUpProperty() {
        return sipUp;
    }

    public StringProperty socketTextProperty() {
        return socketText;
    }

    public BooleanProperty socketUpProperty() {
        return socketUp;
    }

    public StringProperty messageProperty() {
        return message;
    }

    public BooleanProperty busyProperty() {
        return busy;
    }
}
