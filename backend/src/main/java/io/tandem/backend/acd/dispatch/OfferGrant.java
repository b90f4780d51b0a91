package io.tandem.backend.acd.dispatch;

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
 */
public record OfferGrant(String offerId, String tenant, String queue, String callId, String callerNode,
        Instant leaseUntil, List<Reservation> agents) {

    public OfferGrant {
        agents = List.copyOf(agents);
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
