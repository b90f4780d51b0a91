package io.tandem.agent.ui;

import io.tandem.agent.audio.Ringer;
import io.tandem.agent.engine.CallPhase;
import io.tandem.agent.engine.PhoneCall;
import io.tandem.agent.engine.PhoneEngine;
import io.tandem.agent.engine.RegistrationStatus;
import io.tandem.agent.session.AgentSession;
import io.tandem.agent.session.SessionListener;
import io.tandem.agent.ui.call.CallViewModel;
import io.tandem.agent.ui.callback.CallbackWakeViewModel;
import io.tandem.agent.ui.dialpad.DialPadViewModel;
import io.tandem.agent.ui.history.HistoryViewModel;
import io.tandem.agent.ui.offer.OfferViewModel;
import io.tandem.agent.ui.queues.QueueStripViewModel;
import io.tandem.agent.ui.settings.SettingsViewModel;
import io.tandem.agent.ui.state.StateViewModel;
import io.tandem.protocol.AgentLogin;
import io.tandem.protocol.AgentStatus;
import io.tandem.protocol.CallbackWake;
import io.tandem.protocol.CallbackWakeEnded;
import io.tandem.protocol.Offer;
import io.tandem.protocol.OfferEnded;
import io.tandem.protocol.QueueFigures;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * The main window's view model: receives the session's events (on the FX thread) and hands each to the feature
 * that shows it — state, offer, call, dial pad, history, queue strip.
 */
public final class MainViewModel implements SessionListener {
    private final StateViewModel state;
    private final OfferViewModel offer;
    private final CallViewModel call;
    private final CallbackWakeViewModel callbackWake;
    private final DialPadViewModel dialPad;
    private final HistoryViewModel history;
    private final QueueStripViewModel queues = new QueueStripViewModel();
    private final SettingsViewModel settings;
    private final StringProperty agentName = new SimpleStringProperty("");
    private final StringProperty notice = new SimpleStringProperty("");

    private final FxBackground background;
    private final Clock clock;
    /** FX thread only: when each known call started, and its queue. */
    private final Map<String, Instant> started = new HashMap<>();
    private final Map<String, String> queueOf = new HashMap<>();
    private final Map<String, Offer> offerOf = new HashMap<>();
    private AgentSession session;

    public MainViewModel(FxBackground background, Clock clock, Ringer ringer, SettingsViewModel settings,
                         Runnable onLogOut) {
        this.background = background;
        this.clock = clock;
        this.settings = settings;
        this.state = new StateViewModel(background, clock, onLogOut);
        this.offer = new OfferViewModel(clock, ringer, settings.ringtoneProperty());
        this.offer.autoAnswerProperty().bindBidirectional(settings.autoAnswerProperty());
        this.call = new CallViewModel(clock);
        this.history = new HistoryViewModel(clock);
        this.dialPad = new DialPadViewModel(this::engine, this::dialled);
        this.callbackWake = new CallbackWakeViewModel(clock, this::join, this::joined);
    }

    private PhoneEngine engine() {
        return session == null ? null : session.engine();
    }

    public void attach(AgentSession newSession, AgentLogin login) {
        session = newSession;
        agentName.set((login.displayName() == null || login.displayName().isBlank() ? "Agent " : login.displayName() + " · ")
                + login.agentId() + "@" + login.tenant());
        state.attach(newSession, login.notReadyReasons());
        queues.clear();
        background.run(newSession::queues, queues::setAll,
                failure -> queues.clear()); // figures also arrive on the WebSocket; a node without the list is fine
    }

    private PhoneCall join(CallbackWake wake) {
        if (session == null) {
            throw new IllegalStateException("not signed in");
        }
        return session.join(wake);
    }

    /** Join placed a call into a parked caller's room: shown as the caller's call, with its queue. */
    private void joined(PhoneCall c, CallbackWake wake) {
        started.put(c.id(), clock.instant());
        queueOf.put(c.id(), wake.queue());
        call.show(c, wake.callerNumber(), wake.callerName(), wake.queue());
    }

    private void dialled(PhoneCall c) {
        started.put(c.id(), clock.instant());
        call.show(c, "");
    }

    public void tick() {
        state.tick();
        offer.tick();
        callbackWake.tick();
        call.tick();
    }

    @Override
    public void onRegistration(RegistrationStatus status) {
        state.onRegistration(status);
    }

    @Override
    public void onSocket(boolean connected, String node) {
        state.onSocket(connected, node);
    }

    @Override
    public void onAgentStatus(AgentStatus status) {
        state.onStatus(status);
        callbackWake.onAgentState(status.state());
    }

    @Override
    public void onOffer(Offer o) {
        offerOf.put(o.callId(), o);
        queueOf.put(o.callId(), o.queueName() == null || o.queueName().isBlank() ? o.queue() : o.queueName());
        offer.onOffer(o);
    }

    @Override
    public void onOfferEnded(OfferEnded ended) {
        offer.onOfferEnded(ended);
    }

    @Override
    public void onCallbackWake(CallbackWake wake) {
        callbackWake.onWake(wake);
    }

    @Override
    public void onCallbackWakeEnded(CallbackWakeEnded ended) {
        callbackWake.onWakeEnded(ended);
    }

    @Override
    public void onQueueFigures(QueueFigures figures) {
        queues.onFigures(figures);
    }

    @Override
    public void onIncomingCall(PhoneCall c, Offer matching) {
        started.put(c.id(), clock.instant());
        if (matching != null) {
            offerOf.put(c.id(), matching);
            queueOf.put(c.id(), matching.queueName() == null || matching.queueName().isBlank()
                    ? matching.queue() : matching.queueName());
        }
        if (call.hasCall()) {
            c.decline(); // one call at a time: an agent on a call is not offered a second one
            return;
        }
        offer.onRinging(c, matching);
    }

    @Override
    public void onCallPhase(PhoneCall c, CallPhase phase) {
        if (phase == CallPhase.CONNECTED && c.incoming() && !call.hasCall()) {
            Offer o = offerOf.get(c.id());
            String queue = queueOf.getOrDefault(c.id(), "");
            if (o != null) {
                call.show(c, o.callerNumber(), o.callerName(), queue);
            } else {
                call.show(c, queue);
            }
        }
        call.onPhase(c, phase);
        if (phase == CallPhase.ENDED) {
            offer.onCallEnded(c);
            Offer o = offerOf.remove(c.id());
            Instant at = started.remove(c.id());
            history.ended(c, o == null ? null : o.callerNumber(), queueOf.remove(c.id()),
                    at == null ? clock.instant() : at);
        }
    }

    @Override
    public void onHold(PhoneCall c, boolean held) {
        call.onHold(c, held);
    }

    @Override
    public void onTransferResult(PhoneCall c, int status) {
        call.onTransferResult(c, status);
    }

    @Override
    public void onNotice(String message) {
        notice.set(message);
    }

    /** F4: hang up the call, or decline the ringing offer. */
    public void hangUpOrDecline() {
        if (call.hasCall()) {
            call.hangUp();
        } else if (offer.showingProperty().get()) {
            offer.decline();
        }
    }

    public StateViewModel state() {
        return state;
    }

    public OfferViewModel offer() {
        return offer;
    }

    public CallbackWakeViewModel callbackWake() {
        return callbackWake;
    }

    public CallViewModel call() {
        return call;
    }

    public DialPadViewModel dialPad() {
        return dialPad;
    }

    public HistoryViewModel history() {
        return history;
    }

    public QueueStripViewModel queues() {
        return queues;
    }

    public SettingsViewModel settings() {
        return settings;
    }

    public StringProperty agentNameProperty() {
        return agentName;
    }

    public StringProperty noticeProperty() {
        return notice;
    }
}
