package io.tandem.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * One entry of a tenant's event stream as a supervisor sees it: what happened ({@code kind}, e.g.
 * {@code agent.state}, {@code caller.enqueued}, {@code offer}, {@code connect}, {@code abandon}), to whom and where.
 * The envelope around it carries the stream id and time.
 */
public record TenantEvent(
        @JsonProperty("kind") String kind,
        @JsonProperty("queue") String queue,
        @JsonProperty("agentId") String agentId,
        @JsonProperty("callId") String callId,
        @JsonProperty("node") String node,
        @JsonProperty("fields") Map<String, String> fields) {

    public TenantEvent {
        queue = queue == null ? "" : queue;
        agentId = agentId == null ? "" : agentId;
        callId = callId == null ? "" : callId;
        node = node == null ? "" : node;
        fields = fields == null ? Map.of() : Map.copyOf(fields);
    }
}
