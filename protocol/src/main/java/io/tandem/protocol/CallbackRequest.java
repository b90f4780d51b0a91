package io.tandem.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Map;

/**
 * A caller who left a queue to be called back: one entry of the tenant's callback stream
 * ({@code tandem:{tenant}:callbacks}), listed by {@code GET /api/v1/tenants/{tenant}/callbacks} and consumed by the
 * callback service.
 *
 * @param requestId     the stream id ({@code ms-seq}): unique, ordered, the resume point of a consumer
 * @param callId        the caller's call at the node that answered it
 * @param callerNumber  who to call back (the From user of the caller's INVITE)
 * @param callerName    its display name, or empty
 * @param queue         the queue the caller left
 * @param waitedSeconds how long the caller waited (in every queue it passed through) before leaving
 * @param priority      the caller's priority (0-9, higher first)
 * @param data          the caller's custom data
 * @param cause         {@code timeout} (max wait), {@code key} (exit key), {@code full} (queue full), {@code empty}
 *                      (join refused: nobody logged in), {@code unreachable} (the overflow extension did not answer)
 * @param node          the node that answered the caller
 * @param at            when the request was made
 */
public record CallbackRequest(
        @JsonProperty("requestId") String requestId,
        @JsonProperty("callId") String callId,
        @JsonProperty("callerNumber") String callerNumber,
        @JsonProperty("callerName") String callerName,
        @JsonProperty("queue") String queue,
        @JsonProperty("waitedSeconds") long waitedSeconds,
        @JsonProperty("priority") int priority,
        @JsonProperty("data") Map<String, String> data,
        @JsonProperty("cause") String cause,
        @JsonProperty("node") String node,
        @JsonProperty("at") Instant at) {

    public CallbackRequest {
        callerName = callerName == null ? "" : callerName;
        data = data == null ? Map.of() : Map.copyOf(data);
    }
}
