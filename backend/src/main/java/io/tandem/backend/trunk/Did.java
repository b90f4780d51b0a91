package io.tandem.backend.trunk;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A number of the public network the tenant owns (direct inward dialling) and where its calls go.
 *
 * @param number      as the carrier sends it in the Request-URI: E.164 ({@code +4930555000}) or digits
 * @param target      what kind of destination
 * @param destination the queue number, the extension, the callback service's number, or the prompt's name (a sound
 *                    file of the node's prompt directory, without {@code .wav})
 * @param loop        a prompt only: played over and over until {@code maxSeconds}, instead of once
 * @param maxSeconds  a prompt only: the caller is hung up on after this long at most (required with {@code loop});
 *                    0 for no limit (a prompt played once ends the call at its end)
 */
public record Did(String number, Target target, String destination, boolean loop, int maxSeconds) {

    /** A DID of a queue, an extension or the callback service. */
    public Did(String number, Target target, String destination) {
        this(number, target, destination, false, 0);
    }

    /** Where a DID's calls go. */
    public enum Target {
        /** A queue: the caller waits like any caller, the queue log names the DID and the trunk. */
        @JsonProperty("queue") QUEUE,
        /** An extension, rung like an internal call. */
        @JsonProperty("extension") EXTENSION,
        /** The callback service's number (a queue that parks its callers for a callback, issue 15). */
        @JsonProperty("callback") CALLBACK,
        /** A prompt: the caller is answered, hears it (once, or looped up to a time), and is hung up on. */
        @JsonProperty("prompt") PROMPT
    }
}
