package io.tandem.backend.cdr;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One finished call, as the B2BUA reports it.
 *
 * @param callId     the call's id (the caller leg's Call-ID)
 * @param tenant     tenant the call belongs to
 * @param from       calling party (extension or number)
 * @param to         dialled number
 * @param nodes      ids of the nodes that carried a leg, in the order the call crossed them
 * @param startedAt  when the first INVITE arrived
 * @param answeredAt when the call was answered; null if never
 * @param endedAt    when the last leg ended
 * @param endCause   why it ended: {@code normal}, {@code busy}, {@code no-answer}, {@code cancelled}, a SIP status...
 * @param hungUpBy   who ended it: {@code caller}, {@code callee} or {@code system}
 * @param queue      for a queue call, the queue (empty otherwise)
 * @param agent      for a queue call answered by an agent, the agent's id (empty otherwise)
 */
public record CallRecord(String callId, String tenant, String from, String to, List<String> nodes,
        Instant startedAt, Instant answeredAt, Instant endedAt, String endCause, String hungUpBy, String queue,
        String agent) {

    /** A call that went to no queue. */
    public CallRecord(String callId, String tenant, String from, String to, List<String> nodes, Instant startedAt,
            Instant answeredAt, Instant endedAt, String endCause, String hungUpBy) {
        this(callId, tenant, from, to, nodes, startedAt, answeredAt, endedAt, endCause, hungUpBy, "", "");
    }

    public CallRecord {
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(endedAt, "endedAt");
        nodes = List.copyOf(nodes);
        from = from == null ? "" : from;
        to = to == null ? "" : to;
        endCause = endCause == null ? "" : endCause;
        hungUpBy = hungUpBy == null ? "" : hungUpBy;
        queue = queue == null ? "" : queue;
        agent = agent == null ? "" : agent;
    }
}
