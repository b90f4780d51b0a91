package io.tandem.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/** One node a client may use: its id, SIP URI ({@code sip:host:port}, UDP and TCP) and HTTP base URL. */
public record NodeEndpoint(
        @JsonProperty("id") String id,
        @JsonProperty("sipUri") String sipUri,
        @JsonProperty("httpUrl") String httpUrl) {
}
