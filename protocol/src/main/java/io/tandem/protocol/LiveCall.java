package io.tandem.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A queue call connected to an agent, as every node lists it: who talks to whom, which node carries the caller's
 * media (where a monitor is joined) and which node the agent's phone is on; {@code monitor} is the supervisor
 * listening in, or null.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LiveCall(
        @JsonProperty("callId") String callId,
        @JsonProperty("queue") String queue,
        @JsonProperty("callerNumber") String callerNumber,
        @JsonProperty("callerName") String callerName,
        @JsonProperty("agentId") String agentId,
        @JsonProperty("callerNode") String callerNode,
        @JsonProperty("agentNode") String agentNode,
        @JsonProperty("answeredAt") long answeredAt,
        @JsonProperty("monitor") Monitor monitor) {

    /** The same call with {@code monitor} (or none). */
    public LiveCall with(Monitor monitor) {
        return new LiveCall(callId, queue, callerNumber, callerName, agentId, callerNode, agentNode, answeredAt,
                monitor);
    }
}
