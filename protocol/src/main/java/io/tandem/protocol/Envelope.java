package io.tandem.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.Objects;

/**
 * One WebSocket message, either way: a version, a {@link MessageType}, the event id (the Redis stream id for events,
 * so a supervisor resumes after a reconnect from the last id seen; empty for commands), when it happened and the
 * typed payload as JSON.
 */
public record Envelope(
        @JsonProperty("v") int version,
        @JsonProperty("type") String type,
        @JsonProperty("id") String id,
        @JsonProperty("at") Instant at,
        @JsonProperty("payload") JsonNode payload) {

    public Envelope {
        Objects.requireNonNull(type, "type");
        id = id == null ? "" : id;
    }

    /** An envelope of the current {@link Protocol#VERSION} around {@code payload}. */
    public static Envelope of(ObjectMapper mapper, String type, String id, Instant at, Object payload) {
        return new Envelope(Protocol.VERSION, type, id, at, payload == null ? null : mapper.valueToTree(payload));
    }

    /** The payload as one of this module's records. */
    public <T> T payloadAs(ObjectMapper mapper, Class<T> type) {
        try {
            return mapper.treeToValue(payload, type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("payload of '" + this.type + "' is not a " + type.getSimpleName(), e);
        }
    }
}
