package io.tandem.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * A queue call ringing an agent: shown by the softphone while the INVITE for it rings. That INVITE names the offer in
 * its {@code X-Tandem-Offer} header ({@code offerId}); its Call-ID is the agent leg's own (a ring-all offer rings
 * several agents, each on its own leg), while {@code callId} here is the caller's call at the node.
 * {@code data} is the caller's custom data (CRM id, language, what the app collected).
 */
public record Offer(
        @JsonProperty("offerId") String offerId,
        @JsonProperty("callId") String callId,
        @JsonProperty("queue") String queue,
        @JsonProperty("queueName") String queueName,
        @JsonProperty("callerNumber") String callerNumber,
        @JsonProperty("callerName") String callerName,
        @JsonProperty("waitedSeconds") long waitedSeconds,
        @JsonProperty("ringTimeoutSeconds") int ringTimeoutSeconds,
        @JsonProperty("data") Map<String, String> data) {

    public Offer {
        callerName = callerName == null ? "" : callerName;
        data = data == null ? Map.of() : Map.copyOf(data);
    }
}
