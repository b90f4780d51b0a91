package io.tandem.backend.queuecall;

import io.tandem.backend.acd.dispatch.OfferGrant;
import io.tandem.backend.node.sip.NodeSignalling;
import io.tandem.backend.node.sip.OutgoingBranch;
import io.tandem.backend.node.sip.OutgoingInvite;
import io.tandem.backend.routing.Route;
import io.tandem.telephony.rtp.RtpMediaStream;
import io.tandem.telephony.sdp.NegotiatedMedia;
import io.tandem.telephony.sdp.SdpException;
import io.tandem.telephony.sdp.SdpNegotiationException;
import io.tandem.telephony.sdp.SdpNegotiator;
import io.tandem.telephony.srtp.SdesException;
import java.util.ArrayList;
import java.util.List;
import javax.sip.header.Header;

/**
 * One INVITE that rings a reserved agent for a queue offer: to one of the agent's contacts on this node, or to the
 * node holding the agent's binding over the trunk. The INVITE itself is an {@link OutgoingBranch}; this adds what a
 * queue offer knows (the offer and reservation it answers for) and its own RTP stream on this node, which becomes
 * the agent's side of the two-party bridge when this branch wins. Guarded by the owning {@link QueueCall}'s monitor.
 */
final class AgentBranch {

    /** The offer id, which the softphone matches with the {@code offer} message on its WebSocket. */
    static final String OFFER_HEADER = "X-Tandem-Offer"; // the B2BUA of the agent's node knows it too (Bridge)
    /** RFC 3891 §6.1: the dialog an INVITE replaces; RFC 3892: who referred its sender. */
    private static final String REPLACES = "Replaces";
    private static final String REFERRED_BY = "Referred-By";

    final BranchOwner call;
    final OfferGrant offer;
    final OfferGrant.Reservation reservation;
    final String agentId;
    final Route.Target target;
    final OutgoingBranch branch;
    final RtpMediaStream stream;
    final SdpNegotiator negotiator;
    /** A branch calling someone into a parked caller's room (a node command): no offer, but an agent's call. */
    final boolean intoRoom;
    /**
     * For the caller's leg to a colleague its agent consulted (an attended transfer): the consultation dialog it
     * replaces (RFC 3891 §6.1) and the agent it is sent for (RFC 3892); null for every other leg.
     */
    final String replaces;
    final String referredBy;
    /** The agent's node answered this branch with its id (trunk responses name it), or this node. */
    String agentNode;
    /** Our offer, SRTP to a phone of this node reached over TLS; set when the INVITE is sent. */
    PlacedSrtp placed;
    /**
     * For a leg handed over by this node's B2BUA: lets go of what the B2BUA kept for its party (call field,
     * direct-call count) once the leg is forgotten ({@link OutgoingLegs#forget}); null for every other leg.
     */
    Runnable released;

    AgentBranch(BranchOwner call, OfferGrant offer, OfferGrant.Reservation reservation, Route.Target target,
            OutgoingBranch branch, RtpMediaStream stream, SdpNegotiator negotiator) {
        this.call = call;
        this.offer = offer;
        this.reservation = reservation;
        this.agentId = reservation.agentId();
        this.target = target;
        this.branch = branch;
        this.stream = stream;
        this.negotiator = negotiator;
        this.intoRoom = false;
        this.replaces = null;
        this.referredBy = null;
    }

    /** The leg to a queue's overflow extension: no offer, no reservation; {@code agentId} is the extension. */
    AgentBranch(BranchOwner call, String extension, Route.Target target, OutgoingBranch branch, RtpMediaStream stream,
            SdpNegotiator negotiator) {
        this(call, extension, target, branch, stream, negotiator, false);
    }

    /**
     * A leg without an offer: to the overflow extension, or ({@code intoRoom}) calling a user into the caller's
     * room; {@code agentId} is the extension or user.
     */
    AgentBranch(BranchOwner call, String extension, Route.Target target, OutgoingBranch branch, RtpMediaStream stream,
            SdpNegotiator negotiator, boolean intoRoom) {
        this(call, extension, target, branch, stream, negotiator, intoRoom, null, null);
    }

    /**
     * The caller's leg to {@code extension}, whom agent {@code referredBy} consulted: it takes the agent's place in
     * the consultation dialog {@code replaces} names. For the call's record it is the extension the caller was put
     * through to ({@link #toExtension}), as a blind transfer's is.
     */
    AgentBranch(BranchOwner call, String extension, Route.Target target, OutgoingBranch branch, RtpMediaStream stream,
            SdpNegotiator negotiator, String replaces, String referredBy) {
        this(call, extension, target, branch, stream, negotiator, false, replaces, referredBy);
    }

    private AgentBranch(BranchOwner call, String extension, Route.Target target, OutgoingBranch branch,
            RtpMediaStream stream, SdpNegotiator negotiator, boolean intoRoom, String replaces, String referredBy) {
        this.replaces = replaces;
        this.referredBy = referredBy;
        this.intoRoom = intoRoom;
        this.call = call;
        this.offer = null;
        this.reservation = null;
        this.agentId = extension;
        this.target = target;
        this.branch = branch;
        this.stream = stream;
        this.negotiator = negotiator;
    }

    String callId() {
        return branch.callId();
    }

    /** True for the leg to an overflow extension (not a queue offer, not a room's join). */
    boolean toExtension() {
        return offer == null && !intoRoom;
    }

    /**
     * Sends the INVITE that rings the agent (or the extension): From and P-Asserted-Identity the caller (RFC 3325
     * §9.1: our nodes trust each other), the offer id, our SDP offer; the agent's node over the trunk passes these
     * headers on to its phone.
     */
    boolean invite(NodeSignalling signalling, String callerNumber, String callerName, String tenant,
            PlacedSrtp sdp) {
        placed = sdp;
        List<Header> headers = new ArrayList<>(2);
        if (offer != null) {
            headers.add(signalling.header(OFFER_HEADER, offer.offerId()));
        }
        if (replaces != null) {
            headers.add(signalling.header(REPLACES, replaces));
            headers.add(signalling.header(REFERRED_BY, "<sip:" + referredBy + "@" + signalling.host() + ">"));
        }
        return signalling.invite(branch, new OutgoingInvite(target.requestUri(), target.transport(),
                target.viaTrunk(), callerNumber, callerName, agentId, tenant, true, headers, sdp.offer())
                .routedThrough(target.routeSet()));
    }

    /**
     * The phone's answer ({@code sdp}, the 2xx's body) read by the negotiator in its plain form; an SRTP answer's keys
     * secure the stream (RFC 4568). Throws when the answer is unusable (the branch is then ended).
     */
    NegotiatedMedia accept(String sdp) throws SdpException, SdpNegotiationException, SdesException {
        return placed.accept(sdp, negotiator, stream);
    }

    @Override
    public String toString() {
        if (intoRoom) {
            return "room join of " + agentId + " via " + target.requestUri() + " (" + callId() + ")";
        }
        if (replaces != null) {
            return "attended transfer to " + agentId + " via " + target.requestUri() + " (" + callId() + ")";
        }
        if (offer == null) {
            return "overflow to " + agentId + " via " + target.requestUri() + " (" + callId() + ")";
        }
        return "offer " + offer.offerId() + " to " + agentId + " via " + target.requestUri() + " (" + callId() + ")";
    }
}
