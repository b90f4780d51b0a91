package io.tandem.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Map;

/**
 * One agent's figures for one UTC day, the same whichever node computes them: queue calls answered, offers missed
 * (rang until the timeout), talk time (time on queue calls), average handle time ((talk + wrap-up) per answered
 * call, 0 without calls) and the time in each state, not-ready per reason code; logged-out time is not counted.
 * The current state counts up to {@code at}. Times are seconds with millisecond precision.
 */
public record AgentStatistics(
        @JsonProperty("agentId") String agentId,
        @JsonProperty("day") String day,
        @JsonProperty("at") Instant at,
        @JsonProperty("state") AgentState state,
        @JsonProperty("reason") String reason,
        @JsonProperty("callsAnswered") long callsAnswered,
        @JsonProperty("missedOffers") long missedOffers,
        @JsonProperty("talkSeconds") double talkSeconds,
        @JsonProperty("averageHandleTimeSeconds") double averageHandleTimeSeconds,
        @JsonProperty("availableSeconds") double availableSeconds,
        @JsonProperty("reservedSeconds") double reservedSeconds,
        @JsonProperty("onCallSeconds") double onCallSeconds,
        @JsonProperty("wrapUpSeconds") double wrapUpSeconds,
        @JsonProperty("notReadySeconds") Map<String, Double> notReadySeconds) {

    public AgentStatistics {
        reason = reason == null ? "" : reason;
        notReadySeconds = notReadySeconds == null ? Map.of() : Map.copyOf(notReadySeconds);
    }
}
