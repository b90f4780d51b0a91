package io.tandem.backend.queuecall;

import io.tandem.backend.acd.dispatch.OfferGrant;
import io.tandem.backend.call.B2bua;
import io.tandem.backend.call.ConsultationTaker;
import io.tandem.backend.call.DialogIndex;
import io.tandem.backend.call.TransferAdmission;
import io.tandem.backend.node.sip.OutgoingBranch;
import io.tandem.backend.routing.Route;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The legs one caller placed (agents for its offers, the overflow extension), until the call ends: each rung through
 * the node's {@link OutgoingLegs}, the first offer INVITE timed from the caller's join. Guarded by the call's lock.
 */
final class CallerBranches implements RingingOffer.Lines {

    private final QueueCall call;
    private final OutgoingLegs legs;
    private final List<AgentBranch> branches = new ArrayList<>();
    /** When the caller joined (System.nanoTime), until its first offer rang someone; 0 after. */
    private long enqueuedNanos;

    CallerBranches(QueueCall call, OutgoingLegs legs) {
        this.call = call;
        this.legs = legs;
    }

    /** The caller joined: the dispatch latency runs until the first offer INVITE is out. */
    void joined() {
        enqueuedNanos = System.nanoTime();
    }

    @Override
    public AgentBranch ring(OfferGrant grant, OfferGrant.Reservation reservation, Route.Target target) {
        AgentBranch branch = legs.ring(call, grant, reservation, target);
        if (branch != null) {
            branches.add(branch);
            if (enqueuedNanos != 0) {
                legs.dispatched(enqueuedNanos);
                enqueuedNanos = 0;
            }
        }
        return branch;
    }

    @Override
    public void release(AgentBranch branch) {
        legs.drop(branch, false);
    }

    /** Where an extension is reached, as for any call. */
    Route route(String extension) {
        return legs.route(call.tenant, extension);
    }

    /** A stream of this node and its SDP offer for a leg; IOException when no RTP port is free. */
    OutgoingMedia media() throws IOException {
        return legs.media();
    }

    /** Dials the overflow extension at {@code target}; null when the INVITE could not be sent. */
    AgentBranch dial(String extension, Route.Target target, OutgoingMedia media) {
        AgentBranch leg = legs.dial(call, extension, target, media);
        if (leg != null) {
            branches.add(leg);
        }
        return leg;
    }

    /** Where the consultation an agent's attended transfer names is held (RFC 3891 Replaces); empty: nowhere. */
    Optional<DialogIndex.Holder> consultation(String replaces) {
        return legs.consultation(call.tenant, replaces);
    }

    /** A consultation of {@code agent} this node holds, its colleague over the trunk: that half's node and dialog. */
    Optional<B2bua.FarHalf> consultationOverTrunk(String replaces, String agent) {
        return legs.consultationOverTrunk(call.tenant, replaces, agent);
    }

    /** A consultation of {@code agent} this node holds with a phone of this node: the colleague's half. */
    Optional<B2bua.NearHalf> consultationHere(String replaces, String agent) {
        return legs.consultationHere(call.tenant, replaces, agent);
    }

    /** {@code media}'s offer as a leg to {@code target} makes it (SRTP to a phone of this node over TLS). */
    PlacedSrtp offerTo(Route.Target target, OutgoingMedia media) {
        return legs.offerTo(target, true, media.offer());
    }

    /**
     * Asks this node's B2BUA to hand over agent {@code agent}'s consultation {@code replaces} names, re-offered
     * {@code offer}, to {@code taker} for the caller; empty when the handover started.
     */
    Optional<TransferAdmission.Refusal> handOver(String replaces, String agent, String offer,
            ConsultationTaker taker) {
        return legs.handOver(call.tenant, replaces, agent, call.number, offer, taker);
    }

    /**
     * The colleague's dialog {@code branch}, handed over by the B2BUA, as the caller's leg to {@code extension},
     * findable at once; {@code released} runs once it is forgotten. Called without the call's lock: not yet one of
     * this call's legs ({@link #keep}).
     */
    AgentBranch adopt(String extension, Route.Target target, OutgoingMedia media, PlacedSrtp placed, String replaces,
            String agent, OutgoingBranch branch, Runnable released) {
        return legs.adopt(call, extension, target, media, placed, replaces, agent, branch, released);
    }

    /** An adopted leg becomes one of this call's, ended with it. */
    void keep(AgentBranch leg) {
        branches.add(leg);
    }

    /** The leg is still findable (its dialog was not ended by the far end). */
    boolean holds(AgentBranch leg) {
        return legs.find(leg.callId()) == leg;
    }

    /** This node's id. */
    String nodeId() {
        return legs.nodeId();
    }

    /** {@code number} reached at {@code node} over the signed trunk. */
    Route routeToNode(String node, String number) {
        return legs.routeToNode(node, number);
    }

    /** The caller's leg replacing agent {@code agent}'s consultation with {@code extension}; null if not sent. */
    AgentBranch dialReplacing(String extension, Route.Target target, OutgoingMedia media, String replaces,
            String agent) {
        AgentBranch leg = legs.dialReplacing(call, extension, target, media, replaces, agent);
        if (leg != null) {
            branches.add(leg);
        }
        return leg;
    }

    /** Calls {@code user} at {@code target} into the caller's room; null when the INVITE could not be sent. */
    AgentBranch dialIntoRoom(String user, Route.Target target, OutgoingMedia media) {
        AgentBranch leg = legs.dialIntoRoom(call, user, target, media);
        if (leg != null) {
            branches.add(leg);
        }
        return leg;
    }

    /** A leg that will not carry the call and has its final response: no longer findable. */
    void forget(AgentBranch leg) {
        legs.forget(leg);
    }

    /** The call's lock, which guards its legs (a leg's timer takes it). */
    Object lock() {
        return call;
    }

    /** The call ended: every leg's stream closes; a leg with its final response is forgotten. */
    void end() {
        for (AgentBranch branch : branches) {
            branch.stream.close();
            if (branch.branch.isFinal()) {
                legs.forget(branch);
            }
        }
    }

    /** The node stops: every leg's stream closes. */
    void close() {
        branches.forEach(b -> b.stream.close());
    }
}
