package io.tandem.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Live figures of one queue, the same whichever node computes them: callers waiting, the longest wait, agents
 * available, and today's answered/abandoned, service level, average speed of answer and average handle time
 * (talk + wrap-up per completed call, 0 before the first).
 * <p>
 * Service level: callers answered within the queue's {@code serviceLevelSeconds} ÷ (answered + abandoned), today
 * (UTC), as a percentage. Every abandon counts, however short; callers who left by timeout, exit key or the loss of
 * their node do not. {@code null} until a caller has been answered or has abandoned today: no calls is no level,
 * not 100 %.
 */
public record QueueFigures(
        @JsonProperty("queue") String queue,
        @JsonProperty("name") String name,
        @JsonProperty("waiting") int waiting,
        @JsonProperty("longestWaitSeconds") long longestWaitSeconds,
        @JsonProperty("availableAgents") int availableAgents,
        @JsonProperty("answered") long answered,
        @JsonProperty("abandoned") long abandoned,
        // Written as null, not left out, whatever the mapper's inclusion: "no level yet" is an answer.
        @JsonProperty("serviceLevelPercent") @JsonInclude(JsonInclude.Include.ALWAYS) Double serviceLevelPercent,
        @JsonProperty("averageSpeedOfAnswerSeconds") double averageSpeedOfAnswerSeconds,
        @JsonProperty("averageHandleTimeSeconds") double averageHandleTimeSeconds) {
}
