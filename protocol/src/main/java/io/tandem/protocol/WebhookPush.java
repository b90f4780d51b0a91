package io.tandem.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The JSON body of a callback-service webhook push (POSTed to a configured receiver, signed with
 * {@code X-Tandem-Signature: sha256=<hex HMAC-SHA256 of the body>}). The signature covers {@code timestamp}, so a
 * receiver can refuse replays of old bodies.
 *
 * @param version       {@link #VERSION}; a receiver refuses versions it does not know
 * @param kind          {@code ring} or {@code cancel}
 * @param roomId        the room the caller is parked in
 * @param callerNumber  who is waiting
 * @param callerName    its display name, or empty
 * @param queue         the queue the caller dialled
 * @param waitedSeconds how long the caller has waited so far
 * @param joinToken     the one-time token to join the room; empty on a cancel
 * @param collapseId    the same for the ring and the cancel of one room: the cancel replaces the ring
 * @param timestamp     when the push was made, epoch seconds (also in {@code X-Tandem-Timestamp})
 */
public record WebhookPush(
        @JsonProperty("version") int version,
        @JsonProperty("kind") String kind,
        @JsonProperty("roomId") String roomId,
        @JsonProperty("callerNumber") String callerNumber,
        @JsonProperty("callerName") String callerName,
        @JsonProperty("queue") String queue,
        @JsonProperty("waitedSeconds") long waitedSeconds,
        @JsonProperty("joinToken") String joinToken,
        @JsonProperty("collapseId") String collapseId,
        @JsonProperty("timestamp") long timestamp) {

    /** The body version this build writes. */
    public static final int VERSION = 1;
}
