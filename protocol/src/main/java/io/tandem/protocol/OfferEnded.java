package io.tandem.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/** An offer stopped ringing this agent; {@code reason}: {@code abandoned}, {@code answered-elsewhere}, {@code timeout}. */
public record OfferEnded(
        @JsonProperty("offerId") String offerId,
        @JsonProperty("reason") String reason) {
}
