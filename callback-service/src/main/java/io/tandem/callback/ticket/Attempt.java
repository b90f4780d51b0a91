package io.tandem.callback.ticket;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One try to reach the customer of a ticket.
 *
 * @param at      when it ended, epoch ms
 * @param agent   the agent who made it
 * @param outcome {@code connected}, {@code no-answer}, {@code busy}, {@code failed}
 * @param detail  the reason in words, or empty
 */
public record Attempt(
        @JsonProperty("at") long at,
        @JsonProperty("agent") String agent,
        @JsonProperty("outcome") String outcome,
        @JsonProperty("detail") String detail) {
}
