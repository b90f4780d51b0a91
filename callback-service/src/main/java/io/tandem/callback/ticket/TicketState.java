package io.tandem.callback.ticket;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Where a callback ticket is: open → offered → dialling → connected | retry-wait → done | failed. An open ticket
 * waits for an agent; offered, it is reserved for one (through the ACD claim, as a call is); dialling, the customer is
 * being called; retry-wait, the last attempt found nobody and the next waits for {@code retry-delay}; failed, after
 * {@code max-attempts}. {@code cancelled} is a supervisor's decision to drop it.
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

    public static Optional<TicketState> of(String wire) {
        return Arrays.stream(values()).filter(s -> s.wire.equals(wire)).findFirst();
    }

    /** The wire names, for messages that list what is allowed. */
    public static String allowed() {
        return Arrays.stream(values()).map(TicketState::wire).collect(Collectors.joining(", "));
    }
}
