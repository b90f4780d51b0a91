package io.tandem.protocol.callback;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A message for one agent, published on the tenant's live channel ({@link NodeKeys#liveEvents}) in the shape of a
 * live tenant event but without a stream id, and never appended to the stream: every node fans the channel out, and
 * the one holding the agent's WebSocket delivers it to that agent alone (supervisors' feeds skip it). The callback
 * service reaches a running desktop softphone this way ({@code callback.wake}, {@code callback.wake.ended}).
 *
 * @param kind    the message kind, also its WebSocket {@code type}
 * @param agentId the one agent it is for
 * @param origin  who sent it (the service instance's name), in the event's {@code node} field
 * @param at      when, epoch ms
 * @param fields  the payload, all strings
 */
public record DirectMessage(String kind, String agentId, String origin, long at, Map<String, String> fields) {

    public DirectMessage {
        if (kind == null || kind.isEmpty() || agentId == null || agentId.isEmpty()) {
            throw new IllegalArgumentException("a direct message names its kind and its agent");
        }
        origin = origin == null ? "" : origin;
        fields = fields == null ? Map.of() : Map.copyOf(fields);
    }

    /** The object to publish as JSON: a live event's fields, no {@code id}. */
    public Map<String, Object> live() {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("kind", kind);
        event.put("queue", "");
        event.put("agentId", agentId);
        event.put("callId", "");
        event.put("node", origin);
        event.put("at", Long.toString(at));
        event.put("fields", fields);
        return event;
    }
}
