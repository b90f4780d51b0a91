package io.tandem.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A supervisor joined (or being joined) to a live call. {@code mode}: {@code listen} (hears both, heard by nobody),
 * {@code whisper} (the agent hears the supervisor too), {@code barge} (all three hear each other); {@code state}:
 * {@code ringing} until the supervisor's phone answers, then {@code connected}.
 */
public record Monitor(
        @JsonProperty("monitorId") String monitorId,
        @JsonProperty("callId") String callId,
        @JsonProperty("mode") String mode,
        @JsonProperty("extension") String extension,
        @JsonProperty("supervisor") String supervisor,
        @JsonProperty("state") String state) {

    public Monitor withMode(String newMode) {
        return new Monitor(monitorId, callId, newMode, extension, supervisor, state);
    }

    public Monitor withState(String newState) {
        return new Monitor(monitorId, callId, mode, extension, supervisor, newState);
    }
}
