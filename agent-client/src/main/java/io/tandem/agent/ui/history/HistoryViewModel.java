package io.tandem.agent.ui.history;

import io.tandem.agent.engine.PhoneCall;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The calls of this session, newest first, capped at {@value #MAX} entries (the backend's CDR is the record; this
 * is the agent's own short memory for "who was that again?").
 */
public final class HistoryViewModel {
    static final int MAX = 200;

    private final ObservableList<CallRecord> calls = FXCollections.observableArrayList();
    private final Clock clock;

    public HistoryViewModel(Clock clock) {
        this.clock = clock;
    }

    /** Records a call that just ended, under {@code number} as the offer showed it (null: the SIP number). */
    public void ended(PhoneCall call, String number, String queue, Instant started) {
        Instant connected = call.connectedAt();
        Duration talked = connected == null ? Duration.ZERO : Duration.between(connected, clock.instant());
        String outcome = connected != null ? "answered" : call.incoming() ? "missed" : "no answer";
        calls.add(0, new CallRecord(started, call.incoming(), number == null ? call.remoteNumber() : number, queue == null ? "" : queue,
                talked, outcome));
        if (calls.size() > MAX) {
            calls.remove(MAX, calls.size());
        }
    }

    public ObservableList<CallRecord> calls() {
        return calls;
    }
}
