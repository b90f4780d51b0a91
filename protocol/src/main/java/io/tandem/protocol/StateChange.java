package io.tandem.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What an agent (or a supervisor forcing it) asks for: {@code available}, {@code not-ready} with a reason code,
 * {@code logged-out}; {@code available} from wrap-up ends wrap-up early ("done").
 */
public record StateChange(
        @JsonProperty("state") AgentState state,
        @JsonProperty("reason") String reason) {
}
