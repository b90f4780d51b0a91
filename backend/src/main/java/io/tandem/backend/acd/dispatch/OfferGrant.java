package io.tandem.backend.acd.dispatch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tandem.backend.redis.ScriptReply;
import java.time.Instant;
import java.util.List;

/**
 * What one claim decided: this caller is offered to these agents (one, or several for ring-all), who are reserved
 * until {@code leaseUntil}. The node owning the caller rings them and reports back through {@link Claims}.
 *
 * @param offerId    the offer
 * @param tenant     tenant
 * @param queue      queue number
 * @param callId     the caller's call id
 * @param callerNode node holding the caller (places the offer)
 * @param leaseUntil when the reservations lapse by themselves
 * @param agents     reserved agents with the version that fences their reservation
 * @param delivered  the claim script published it on the caller's node's offer channel and that node received it:
 *                   the claiming node, if another one, has nothing more to do with it
 */
public record OfferGrant(String offerId, String tenant, String queue, String callId, String callerNode,
        Instant leaseUntil, List<Reservation> agents, boolean delivered) {

    /** How an offer travels on a node's offer channel, as {@code claim.lua} publishes it ({@code leaseUntil} in ms). */
    record Wire(String offerId, String tenant, String queue, String callId, String callerNode,
            long leaseUntil, List<Reservation> agents) {
    }

    private static final ObjectMapper WIRE = new ObjectMapper();

    public OfferGrant {
        agents = List.copyOf(agents);
    }

    /** An offer still to be delivered to its caller's node (or placed here, on it). */
    public OfferGrant(String offerId, String tenant, String queue, String callId, String callerNode,
            Instant leaseUntil, List<Reservation> agents) {
        this(offerId, tenant, queue, callId, callerNode, leaseUntil, agents, false);
    }

    /** The offer as its caller's node's offer channel carries it: the form {@code claim.lua} publishes. */
    public String toWire() {
        try {
            return WIRE.writeValueAsString(new Wire(offerId, tenant, queue, callId, callerNode,
                    leaseUntil.toEpochMilli(), agents));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode offer " + offerId, e);
        }
    }

    /** An offer received on this node's offer channel ({@link #toWire}, or {@code claim.lua}'s PUBLISH). */
    public static OfferGrant fromWire(String message) {
        Wire wire = ScriptReply.decode(message, Wire.class);
        return new OfferGrant(wire.offerId(), wire.tenant(), wire.queue(), wire.callId(), wire.callerNode(),
                Instant.ofEpochMilli(wire.leaseUntil()), wire.agents(), true);
    }

    /**
     * One reserved agent.
     *
     * @param agentId agent
     * @param version the agent record's version after the reservation (pass it back to accept)
     * @param node     node the agent's session names (where the phone is)
     * @param contacts the agent's registration bindings as the claim read them (JSON records, expired ones
     *                 included; see {@code Bindings}): the placing node routes the offer from these without another
     *                 round trip to Redis
     */
    public record Reservation(String agentId, long version, String node, List<String> contacts) {
        public Reservation {
            contacts = contacts == null ? List.of() : List.copyOf(contacts);
        }
    }
}
