package io.tandem.agent.ui.history;

import java.time.Duration;
import java.time.Instant;

/** One line of the local call history. */
public record CallRecord(Instant started, boolean incoming, String number, String queue, Duration talked,
                         String outcome) {
}
