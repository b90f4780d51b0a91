package io.tandem.backend.queuecall;

import java.util.Locale;
import java.util.Optional;

/** Who hears a supervisor joined to a queue call (the caller and the agent are always heard by the supervisor). */
enum MonitorMode {
    /** Nobody hears the supervisor. */
    LISTEN(false, false),
    /** The agent hears the supervisor, the caller does not (coaching). */
    WHISPER(true, false),
    /** Caller and agent hear the supervisor: a three-way call. */
    BARGE(true, true);

    final boolean agentHears;
    final boolean callerHears;

    MonitorMode(boolean agentHears, boolean callerHears) {
        this.agentHears = agentHears;
        this.callerHears = callerHears;
    }

    String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Optional<MonitorMode> parse(String mode) {
        if (mode == null) {
            return Optional.empty();
        }
        for (MonitorMode m : values()) {
            if (m.wire().equals(mode.trim().toLowerCase(Locale.ROOT))) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }
}
