package io.tandem.protocol.callback;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One entry of {@link CallbackKeys#roomEvents}: something that happened to a parked caller's room, written by the
 * node holding the room.
 *
 * @param kind          what happened
 * @param room          the room id (unique in the cluster)
 * @param node          the node holding the room (and the caller's leg)
 * @param callId        the caller's call at that node
 * @param queue         the queue the caller dialled
 * @param callerNumber  who is parked
 * @param callerName    its display name, or empty
 * @param enqueuedAt    when the caller first joined a queue, epoch ms (a ticket keeps this place)
 * @param priority      the caller's priority, 0-9
 * @param agent         the agent that joined or was refused; empty otherwise
 * @param reason        why: {@code no-agent} | {@code key} | {@code wait} on parked; the refusal or close reason
 * @param at            when, epoch ms
 */
public record RoomEvent(Kind kind, String room, String node, String callId, String queue, String callerNumber,
        String callerName, long enqueuedAt, int priority, String agent, String reason, long at) {

    /**
     * The {@code reason} of an {@link Kind#ABANDONED} whose queue asks for the caller to be called back all the same
     * (the queue's park setting {@code ticketOnAbandon}): the service makes a ticket, reason {@code abandoned}.
     */
    public static final String ABANDONED_CALL_BACK = "caller-hung-up-call-back";

    public enum Kind {
        /** A caller was parked in a new room: wake agents. */
        PARKED,
        /** An agent joined: the room is connected; cancel the other pushes. */
        JOINED,
        /** A late join was refused (another agent won, or the room is closed). */
        REFUSED,
        /** The caller hung up while parked: cancel pushes; abandon. */
        ABANDONED,
        /** The room closed after it was connected (the call ended) or on a close command. */
        CLOSED,
        /** The node lost the room without a caller's BYE (shutdown); the service tickets the caller. */
        LOST;

        public String wire() {
            return WireNames.of(this);
        }

        public static Kind of(String wire) {
            return WireNames.parse(Kind.class, wire, "room event kind");
        }
    }

    public RoomEvent {
        callerName = callerName == null ? "" : callerName;
        agent = agent == null ? "" : agent;
        reason = reason == null ? "" : reason;
    }

    /** The stream entry's fields. */
    public Map<String, String> fields() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("kind", kind.wire());
        f.put("room", room);
        f.put("node", node);
        f.put("callId", callId);
        f.put("queue", queue);
        f.put("callerNumber", callerNumber);
        f.put("callerName", callerName);
        f.put("enqueuedAt", Long.toString(enqueuedAt));
        f.put("priority", Integer.toString(priority));
        f.put("agent", agent);
        f.put("reason", reason);
        f.put("at", Long.toString(at));
        return f;
    }

    /** Reads an entry; an unknown kind throws {@link IllegalArgumentException} (the reader logs and acks it). */
    public static RoomEvent of(Map<String, String> f) {
        return new RoomEvent(Kind.of(StreamFields.text(f, "kind")), StreamFields.text(f, "room"),
                StreamFields.text(f, "node"), StreamFields.text(f, "callId"), StreamFields.text(f, "queue"),
                StreamFields.text(f, "callerNumber"), StreamFields.text(f, "callerName"),
                StreamFields.number(f, "enqueuedAt"), (int) StreamFields.number(f, "priority"),
                StreamFields.text(f, "agent"), StreamFields.text(f, "reason"), StreamFields.number(f, "at"));
    }
}
