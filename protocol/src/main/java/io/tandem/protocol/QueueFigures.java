package io.tandem.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Live figures of one queue, the same whichever node computes them: callers waiting, the longest wait, agents
 * available, and today's answered/abandoned, service level (% answered within the queue's target), average speed
 * of answer and average handle time (talk + wrap-up per completed call, 0 before the first).
 */
public record QueueFigures(
        @JsonProperty("queue") String queue,
        @JsonProperty("name") String name,
        @JsonProperty("waiting") int waiting,
        @JsonProperty("longestWaitSeconds") long longestWaitSeconds,
        @JsonProperty("availableAgents") int availableAgents,
        @JsonProperty("answered") long answered,
        @JsonProperty("abandoned") long abandoned,
        @JsonProperty("serviceLevelPercent") double serviceLevelPercent,
        @JsonProperty("averageSpeedOfAnswerSeconds") double averageSpeedOfAnswerSeconds,
        @JsonProperty("averageHandleTimeSeconds") double averageHandleTimeSeconds) {
}
