package io.tandem.callback.ticket;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Where a callback ticket is, and the one table of where it may go next:
 *
 * <pre>
 * open → offered → dialling → connected → done
 *   ↑       │          ├──→ retry-wait → open          (the customer was not reached; attempts left)
 *   └───────┘          └──→ failed                     (max-attempts reached)
 * (declined)
 * open, retry-wait → cancelled                         (a supervisor)
 * </pre>
 *
 * An open ticket waits in its queue's wait set at the caller's original place; offered, the ACD's claim reserved an
 * agent for it, as for a call; dialling, the agent answered and the customer is being called; retry-wait, the last
 * attempt found nobody and the next waits for {@code retry-delay}; failed, after {@code max-attempts}. Done, failed
 * and cancelled are final. Every change of a ticket's state is a compare-and-set from the states {@link #from}
 * names, so two instances (or a redelivered event) move it once.
 */
public enum TicketState {
    OPEN("open"),
    OFFERED("offered"),
    DIALLING("dialling"),
    CONNECTED("connected"),
    RETRY_WAIT("retry-wait"),
    DONE("done"),
    FAILED("failed"),
    CANCELLED("cancelled");

    private final String wire;

    TicketState(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    /** Nobody works a ticket in these states: it can be assigned or cancelled. */
    public boolean waiting() {
        return this == OPEN || this == RETRY_WAIT;
    }

    /** Done, failed or cancelled: nothing more happens to it. */
    public boolean isFinal() {
        return next().isEmpty();
    }

    /** The states this one may become. */
    public Set<TicketState> next() {
        return switch (this) {
            // open → open: its node died before an agent answered; it is put in a wait set again
            case OPEN -> EnumSet.of(OFFERED, CANCELLED, OPEN);
            // offered → open: the agent did not take it (or its node died): back at its place
            case OFFERED -> EnumSet.of(DIALLING, OPEN);
            case DIALLING -> EnumSet.of(CONNECTED, RETRY_WAIT, FAILED);
            case CONNECTED -> EnumSet.of(DONE);
            case RETRY_WAIT -> EnumSet.of(OPEN, CANCELLED);
            case DONE, FAILED, CANCELLED -> EnumSet.noneOf(TicketState.class);
        };
    }

    public boolean canBecome(TicketState next) {
        return next().contains(next);
    }

    /** The states that may become {@code to}. */
    public static Set<TicketState> from(TicketState to) {
        return Arrays.stream(values()).filter(s -> s.canBecome(to))
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(TicketState.class)));
    }

    public static Optional<TicketState> of(String wire) {
        return Arrays.stream(values()).filter(s -> s.wire.equals(wire)).findFirst();
    }

    /** The wire names, for messages that list what is allowed. */
    public static String allowed() {
        return Arrays.stream(values()).map(TicketState::wire).collect(Collectors.joining(", "));
    }
}
