package io.tandem.callback.ticket;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * A callback ticket: a parked caller nobody took, to be called back. It keeps the caller's place in the queue
 * ({@code enqueuedAt}, {@code priority}) so it is worked in the order the call would have been.
 *
 * @param id           the ticket id (the room's id: one ticket per room)
 * @param state        where it is
 * @param queue        the queue the caller dialled
 * @param callerNumber whom to call back
 * @param callerName   its display name, or empty
 * @param enqueuedAt   when the caller first joined the queue, epoch ms
 * @param priority     the caller's priority, 0-9
 * @param room         the room the caller was parked in
 * @param node         the node that held the room
 * @param callId       the caller's call id at that node
 * @param reason       why it was made: {@code timeout}, {@code lost}, {@code node-lost}
 * @param createdAt    epoch ms
 * @param updatedAt    epoch ms of the last change
 * @param assignee     the agent it is assigned to, or empty
 * @param maxAttempts  attempts before it fails
 * @param attempts     the attempts so far
 * @param holder       the node whose queue wait set holds it (open, offered) or that dials it; empty otherwise
 * @param agent        the agent it is offered to, dialling or connected with; empty otherwise
 * @param retryAt      retry-wait: when it is offered again, epoch ms; 0 otherwise
 */
public record Ticket(
        @JsonProperty("id") String id,
        @JsonProperty("state") TicketState state,
        @JsonProperty("queue") String queue,
        @JsonProperty("callerNumber") String callerNumber,
        @JsonProperty("callerName") String callerName,
        @JsonProperty("enqueuedAt") long enqueuedAt,
        @JsonProperty("priority") int priority,
        @JsonProperty("room") String room,
        @JsonProperty("node") String node,
        @JsonProperty("callId") String callId,
        @JsonProperty("reason") String reason,
        @JsonProperty("createdAt") long createdAt,
        @JsonProperty("updatedAt") long updatedAt,
        @JsonProperty("assignee") String assignee,
        @JsonProperty("maxAttempts") int maxAttempts,
        @JsonProperty("attempts") List<Attempt> attempts,
        @JsonProperty("holder") String holder,
        @JsonProperty("agent") String agent,
        @JsonProperty("retryAt") long retryAt) {

    public Ticket {
        attempts = List.copyOf(attempts);
    }
}
