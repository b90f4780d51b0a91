package io.tandem.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/** RFC 9457 problem details, as REST error bodies and WebSocket {@code error} payloads carry them. */
public record Problem(
        @JsonProperty("type") String type,
        @JsonProperty("title") String title,
        @JsonProperty("status") int status,
        @JsonProperty("detail") String detail) {
}
