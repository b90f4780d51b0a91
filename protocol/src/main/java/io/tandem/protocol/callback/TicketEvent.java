package io.tandem.protocol.callback;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One entry of {@link CallbackKeys#ticketEvents}: what happened to a callback ticket the node works (after an
 * {@link NodeCommand.Kind#OFFER_TICKET}), written by that node. The callback service moves the ticket's state on
 * each; the node never writes the ticket's hash itself.
 *
 * @param kind   what happened
 * @param ticket the ticket id
 * @param node   the node working it (its entry in the queue's wait set, the agent's and customer's legs)
 * @param agent  the agent offered, dialling or connected; empty otherwise
 * @param reason {@link Kind#UNANSWERED}: {@code no-answer}, {@code busy}, {@code declined}, {@code failed},
 *               {@code unreachable}; {@link Kind#DECLINED}: why the agent did not take it; else empty
 * @param at     when, epoch ms
 */
public record TicketEvent(Kind kind, String ticket, String node, String agent, String reason, long at) {

    public enum Kind {
        /** The ACD claimed the ticket's entry for {@code agent}: its phone rings ("callback to ..."). */
        OFFERED,
        /** The agent did not take the offer (no answer, declined, lost it): the entry keeps its place. */
        DECLINED,
        /** The agent answered: it waits while the customer is called. */
        DIALLING,
        /** The customer answered: agent and customer hear each other. */
        CONNECTED,
        /** The customer was not reached ({@code reason}): the attempt is over, the agent wraps up. */
        UNANSWERED,
        /** The connected call ended (either side hung up): the ticket is done. */
        ENDED,
        /** The entry left the wait set without an agent (a withdraw command, the queue is gone). */
        WITHDRAWN;

        public String wire() {
            return WireNames.of(this);
        }

        public static Kind of(String wire) {
            return WireNames.parse(Kind.class, wire, "ticket event kind");
        }
    }

    public TicketEvent {
        agent = agent == null ? "" : agent;
        reason = reason == null ? "" : reason;
    }

    /** The stream entry's fields. */
    public Map<String, String> fields() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("kind", kind.wire());
        f.put("ticket", ticket);
        f.put("node", node);
        f.put("agent", agent);
        f.put("reason", reason);
        f.put("at", Long.toString(at));
        return f;
    }

    /** Reads an entry; an unknown kind throws {@link IllegalArgumentException} (the reader logs and acks it). */
    public static TicketEvent of(Map<String, String> f) {
        return new TicketEvent(Kind.of(StreamFields.text(f, "kind")), StreamFields.text(f, "ticket"),
                StreamFields.text(f, "node"), StreamFields.text(f, "agent"), StreamFields.text(f, "reason"),
                StreamFields.number(f, "at"));
    }
}
