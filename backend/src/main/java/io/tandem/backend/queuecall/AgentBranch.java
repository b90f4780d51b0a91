package io.tandem.backend.queuecall;

import io.tandem.backend.acd.dispatch.OfferGrant;
import io.tandem.backend.routing.Route;
import io.tandem.telephony.rtp.RtpMediaStream;
import io.tandem.telephony.sdp.SdpNegotiator;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.message.Request;

/**
 * One INVITE that rings a reserved agent for a queue offer: to one of the agent's contacts on this node, or to the
 * node holding the agent's binding over the trunk. It has its own RTP stream on this node, which becomes the agent's
 * side of the two-party bridge when this branch wins. Guarded by the owning {@link QueueCall}'s monitor.
 */
final class AgentBranch {

    final QueueCall call;
    final OfferGrant offer;
    final OfferGrant.Reservation reservation;
    final String agentId;
    final Route.Target target;
    final String callId;
    final RtpMediaStream stream;
    final SdpNegotiator negotiator;

    Dialog dialog;
    ClientTransaction inviteTx;
    boolean provisional;
    boolean cancelPending;
    boolean done;
    int finalStatus;
    Request lastAck;
    /** The agent's node answered this branch with its id (trunk responses name it), or this node. */
    String agentNode;

    AgentBranch(QueueCall call, OfferGrant offer, OfferGrant.Reservation reservation, Route.Target target,
            String callId, RtpMediaStream stream, SdpNegotiator negotiator) {
        this.call = call;
        this.offer = offer;
        this.reservation = reservation;
        this.agentId = reservation.agentId();
        this.target = target;
        this.callId = callId;
        this.stream = stream;
        this.negotiator = negotiator;
    }

    /** The leg to a queue's overflow extension: no offer, no reservation; {@code agentId} is the extension. */
    AgentBranch(QueueCall call, String extension, Route.Target target, String callId, RtpMediaStream stream,
            SdpNegotiator negotiator) {
        this.call = call;
        this.offer = null;
        this.reservation = null;
        this.agentId = extension;
        this.target = target;
        this.callId = callId;
        this.stream = stream;
        this.negotiator = negotiator;
    }

    /** True for the leg to an overflow extension (not a queue offer). */
    boolean toExtension() {
        return offer == null;
    }

    @Override
    public String toString() {
        if (offer == null) {
            return "overflow to " + agentId + " via " + target.requestUri() + " (" + callId + ")";
        }
        return "offer " + offer.offerId() + " to " + agentId + " via " + target.requestUri() + " (" + callId + ")";
    }
}
