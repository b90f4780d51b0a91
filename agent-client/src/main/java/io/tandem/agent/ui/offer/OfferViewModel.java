package io.tandem.agent.ui.offer;

import io.tandem.agent.audio.Ringer;
import io.tandem.agent.engine.PhoneCall;
import io.tandem.protocol.Offer;
import io.tandem.protocol.OfferEnded;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.TreeMap;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The incoming offer: who calls (number, name), from which queue, how long they waited, their custom data, with a
 * ringtone and Answer/Decline. A queue offer may be announced on the WebSocket before its INVITE rings the phone
 * (or after): Answer is possible once the call itself rings.
 */
public final class OfferViewModel {
    private final StringProperty callerNumber = new SimpleStringProperty("");
    private final StringProperty callerName = new SimpleStringProperty("");
    private final StringProperty queue = new SimpleStringProperty("");
    private final StringProperty waited = new SimpleStringProperty("");
    private final ObservableList<String> data = FXCollections.observableArrayList();
    private final BooleanProperty showing = new SimpleBooleanProperty(false);
    private final BooleanProperty canAnswer = new SimpleBooleanProperty(false);
    private final BooleanProperty autoAnswer = new SimpleBooleanProperty(false);

    private final Clock clock;
    private final Ringer ringer;
    private final BooleanProperty ringtone;
    private Offer offer;
    private PhoneCall call;
    private Instant shownAt;
    private long waitedBefore;

    public OfferViewModel(Clock clock, Ringer ringer, BooleanProperty ringtone) {
        this.clock = clock;
        this.ringer = ringer;
        this.ringtone = ringtone;
    }

    public void onOffer(Offer newOffer) {
        offer = newOffer;
        show(newOffer.callerNumber(), newOffer.callerName(), newOffer.queueName() != null
                && !newOffer.queueName().isBlank() ? newOffer.queueName() : newOffer.queue(), newOffer.waitedSeconds());
        data.setAll(new TreeMap<>(newOffer.data()).entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).toList());
    }

    /** A call rings the phone; {@code matching} is its queue offer, or null for a direct call. */
    public void onRinging(PhoneCall ringingCall, Offer matching) {
        call = ringingCall;
        if (matching != null) {
            onOffer(matching);
        } else if (offer == null || !offer.callId().equals(ringingCall.id())) {
            offer = null;
            data.clear();
            show(ringingCall.remoteNumber(), ringingCall.remoteName(), "Direct call", 0);
        }
        canAnswer.set(true);
        if (autoAnswer.get()) {
            answer();
        }
    }

    private void show(String number, String name, String queueName, long waitedSeconds) {
        callerNumber.set(number);
        callerName.set(name == null || name.equals(number) ? "" : name); // a number sent as the name: said once
        queue.set(queueName);
        waitedBefore = waitedSeconds;
        shownAt = clock.instant();
        showing.set(true);
        tick();
        if (ringtone.get() && !autoAnswer.get()) {
            ringer.start();
        }
    }

    public void answer() {
        if (call != null) {
            call.answer();
            close();
        }
    }

    public void decline() {
        if (call != null) {
            call.decline();
        }
        close();
    }

    public void onOfferEnded(OfferEnded ended) {
        if (offer != null && offer.offerId().equals(ended.offerId())) {
            close();
        }
    }

    /** The ringing call ended before an answer (caller gave up, answered elsewhere). */
    public void onCallEnded(PhoneCall ended) {
        if (call != null && call.id().equals(ended.id())) {
            close();
        }
    }

    private void close() {
        ringer.stop();
        showing.set(false);
        canAnswer.set(false);
        offer = null;
        call = null;
    }

    public void tick() {
        if (shownAt != null) {
            long total = waitedBefore + Duration.between(shownAt, clock.instant()).toSeconds();
            waited.set(String.format("waited %d:%02d", total / 60, total % 60));
        }
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

    public StringProperty waitedProperty() {
        return waited;
    }

    public ObservableList<String> data() {
        return data;
    }

    public BooleanProperty showingProperty() {
        return showing;
    }

    public BooleanProperty canAnswerProperty() {
        return canAnswer;
    }

    public BooleanProperty autoAnswerProperty() {
        return autoAnswer;
    }
}
