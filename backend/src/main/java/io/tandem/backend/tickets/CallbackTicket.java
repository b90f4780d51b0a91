package io.tandem.backend.tickets;

import java.time.Instant;

/**
 * A callback ticket as supervisors see it, read from the hash the callback service writes
 * ({@code tandem:{t}:ticket:<id>}).
 *
 * @param id           the ticket id (its room's id)
 * @param state        {@code open}, {@code offered}, {@code dialling}, {@code connected}, {@code retry-wait},
 *                     {@code done}, {@code failed} or {@code cancelled}
 * @param queue        the queue the caller dialled
 * @param callerNumber whom to call back (from the caller's SIP headers: hostile input)
 * @param callerName   the caller's display name, or empty (the same)
 * @param priority     the caller's priority
 * @param reason       why the ticket was made: {@code timeout}, {@code lost}, {@code node-lost}
 * @param createdAt    when it was made
 * @param updatedAt    when it last changed
 * @param assignee     the agent it is assigned to, or empty
 * @param attempts     tries to reach the caller so far
 * @param maxAttempts  tries before it fails
 */
public record CallbackTicket(String id, String state, String queue, String callerNumber, String callerName,
        int priority, String reason, Instant createdAt, Instant updatedAt, String assignee, int attempts,
        int maxAttempts) {
}
