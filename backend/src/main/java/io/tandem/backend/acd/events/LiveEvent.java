package io.tandem.backend.acd.events;

import java.time.Instant;
import java.util.Map;

/**
 * One entry of a tenant's event stream as the scripts publish it live (with its stream id).
 *
 * @param id      stream id ({@code ms-seq}), the resume point of a supervisor; empty for a {@linkplain #direct() direct}
 *                message
 * @param kind    {@code agent.state}, {@code offer}, {@code offer.ended}, {@code connect}, {@code caller.enqueued}, ...
 * @param queue   queue number or empty
 * @param agentId agent or empty
 * @param callId  caller's call id or empty
 * @param node    node that ran the script
 * @param at      when (the node's clock)
 * @param fields  the rest
 */
public record LiveEvent(String id, String kind, String queue, String agentId, String callId, String node, Instant at,
        Map<String, String> fields) {

    public LiveEvent {
        fields = fields == null ? Map.of() : Map.copyOf(fields);
    }

    /**
     * A message for the one agent named in {@code agentId} (the callback service's wake), published live but never
     * appended to the stream: it has no stream id, carries what only that agent may see (a join token), and is worth
     * nothing later, so supervisors' feeds skip it.
     */
    public boolean direct() {
        return id == null || id.isEmpty();
    }

    public String field(String name) {
        return fields.getOrDefault(name, "");
    }

    /** Stream ids compare by time, then sequence. */
    public static int compareIds(String a, String b) {
        int da = a.indexOf('-');
        int db = b.indexOf('-');
        int byTime = Long.compare(Long.parseLong(a.substring(0, da)), Long.parseLong(b.substring(0, db)));
        return byTime != 0 ? byTime : Long.compare(Long.parseLong(a.substring(da + 1)), Long.parseLong(b.substring(db + 1)));
    }
}
