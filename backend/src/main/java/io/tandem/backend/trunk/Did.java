package io.tandem.backend.trunk;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A number of the public network the tenant owns (direct inward dialling) and where its calls go.
 *
 * @param number      as the carrier sends it in the Request-URI: E.164 ({@code +4930555000}) or digits
 * @param target      what kind of destination
 * @param destination the queue number, the extension, or the callback service's number
 */
public record Did(String number, Target target, String destination) {

    /** Where a DID's calls go. */
    public enum Target {
        /** A queue: the caller waits like any caller, the queue log names the DID and the trunk. */
        @JsonProperty("queue") QUEUE,
        /** An extension, rung like an internal call. */
        @JsonProperty("extension") EXTENSION,
        /** The callback service's number (a queue that parks its callers for a callback, issue 15). */
        @JsonProperty("callback") CALLBACK
    }
}
