package io.tandem.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;

/**
 * An agent's session as the cluster sees it. {@code version} grows with every transition (the compare-and-set token);
 * {@code wrapUpUntil} and {@code leaseUntil} are set only in wrap-up and reserved; {@code node} is where the agent's
 * phone is registered.
 */
public record AgentStatus(
        @JsonProperty("agentId") String agentId,
        @JsonProperty("state") AgentState state,
        @JsonProperty("reason") String reason,
        @JsonProperty("version") long version,
        @JsonProperty("since") Instant since,
        @JsonProperty("wrapUpUntil") Instant wrapUpUntil,
        @JsonProperty("leaseUntil") Instant leaseUntil,
        @JsonProperty("node") String node,
        @JsonProperty("queues") List<String> queues) {

    public AgentStatus {
        reason = reason == null ? "" : reason;
        node = node == null ? "" : node;
        queues = queues == null ? List.of() : List.copyOf(queues);
    }
}
