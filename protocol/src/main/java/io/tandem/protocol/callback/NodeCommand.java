package io.tandem.protocol.callback;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One entry of {@link CallbackKeys#nodeCommands}: what the callback service asks a node to do: with a room it holds, or with a
 * callback ticket it is to work.
 * Delivered at least once: the node carries out a command id once ({@link CallbackKeys#doneCommand}).
 *
 * @param id     unique per command; the idempotency key
 * @param kind   what to do
 * @param tenant the room's tenant
 * @param room   the room; for {@link Kind#OFFER_TICKET} and {@link Kind#WITHDRAW_TICKET} the ticket id
 * @param user   {@link Kind#CALL_INTO_ROOM}: the extension (agent) or app user (customer) to call into the room;
 *               {@link Kind#OFFER_TICKET}: the agent the ticket is assigned to (only that agent is offered it), or
 *               empty
 * @param reason {@link Kind#CLOSE_ROOM}: why ({@code timeout} plays "we will call you back")
 * @param at     when the service wrote it, epoch ms
 */
public record NodeCommand(String id, Kind kind, String tenant, String room, String user, String reason, long at) {

    public enum Kind {
        /** Call every current contact of {@code user}; the first to answer joins the room if it is still open. */
        CALL_INTO_ROOM,
        /** Close the room: the announcement for {@code reason}, then BYE to everyone in it. */
        CLOSE_ROOM,
        /**
         * Work the ticket {@code room} (its hash, {@link CallbackKeys#ticket}, says queue, customer, enqueue time and
         * priority): put it in its queue's wait set at its original place, offer it to an agent through the ACD's
         * claim like a caller, and when the agent answers call the customer. What happens is reported on
         * {@link CallbackKeys#ticketEvents}. A ticket already waiting on the node only takes the new assignee.
         */
        OFFER_TICKET,
        /** Take the ticket {@code room} out of its queue's wait set (cancelled); one being dialled is left alone. */
        WITHDRAW_TICKET;

        public String wire() {
            return WireNames.of(this);
        }

        public static Kind of(String wire) {
            return WireNames.parse(Kind.class, wire, "node command kind");
        }
    }

    public NodeCommand {
        user = user == null ? "" : user;
        reason = reason == null ? "" : reason;
    }

    public Map<String, String> fields() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("id", id);
        f.put("kind", kind.wire());
        f.put("tenant", tenant);
        f.put("room", room);
        f.put("user", user);
        f.put("reason", reason);
        f.put("at", Long.toString(at));
        return f;
    }

    public static NodeCommand of(Map<String, String> f) {
        return new NodeCommand(StreamFields.text(f, "id"), Kind.of(StreamFields.text(f, "kind")),
                StreamFields.text(f, "tenant"), StreamFields.text(f, "room"), StreamFields.text(f, "user"),
                StreamFields.text(f, "reason"), StreamFields.number(f, "at"));
    }
}
