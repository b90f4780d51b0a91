package io.tandem.backend.call;

import io.tandem.backend.node.sip.InboundRequest;
import io.tandem.backend.routing.TenantServiceNumbers;
import io.tandem.backend.trunk.CarrierLeg;
import io.tandem.backend.trunk.Did;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.sip.message.Response;

/**
 * Numbers the B2BUA does not route to an extension but hands to another feature of the node (the ACD's queues):
 * the B2BUA still checks who calls (digest or trunk signature) and that an SDP offer is readable or absent (a late
 * offer, which only the queues take: a join number needs the offer), then the feature answers on this node. In-dialog requests of the dialogs the feature owns are passed to it as they arrive.
 */
public interface ServiceNumbers {

    /**
     * A room's join number, {@code join*<token>} ({@link TenantServiceNumbers#JOIN_NUMBER}): not an extension, so
     * only a feature serves it.
     */
    Pattern JOIN_NUMBER = TenantServiceNumbers.JOIN_NUMBER;

    /** True when {@code number} of {@code tenant} is served by this feature. */
    boolean serves(String tenant, String number);

    /**
     * An authenticated (or trunk-signed) initial INVITE to a served number, with a readable SDP offer or none (a late
     * offer, RFC 3261 §13.2.1: the feature offers in its 200 and reads the answer in the ACK).
     *
     * @param caller the extension in From
     */
    void onInvite(InboundRequest request, String tenant, String caller, String number);

    /**
     * As {@link #onInvite} for a call from the public network: {@code caller} is the carrier's caller number,
     * {@code carrier} the trunk and the DID it came in on (a feature that records calls names them). By default the
     * same as any call.
     */
    default void onCarrierInvite(InboundRequest request, String tenant, String caller, String number,
            CarrierLeg carrier) {
        onInvite(request, tenant, caller, number);
    }

    /**
     * As {@link #onInvite} / {@link #onCarrierInvite} ({@code carrier} null for a phone) for a caller whose SRTP the
     * B2BUA ended ({@link SrtpTermination}, the node's policy {@code tandem.sip.srtp}): the feature answers from
     * {@code srtp}'s plain offer, not the INVITE's body, and secures the caller's media with its keys. By default
     * refused with 488 (RFC 3261 §21.4.26): the feature's media does not speak SRTP.
     */
    default void onSrtpInvite(InboundRequest request, String tenant, String caller, String number,
            CarrierLeg carrier, CallerSrtp srtp) {
        request.respond(Response.NOT_ACCEPTABLE_HERE, "SRTP is not taken by this number: offer plain RTP/AVP");
    }

    /**
     * A call from the public network to a DID whose destination is a prompt ({@link Did.Target#PROMPT}): the feature
     * that plays prompts answers it, plays it and hangs up. False when this feature plays no prompts (the B2BUA asks
     * the next one).
     */
    default boolean onPromptInvite(InboundRequest request, String tenant, String caller, Did did,
            CarrierLeg carrier) {
        return false;
    }

    /**
     * For a served join number whose room another node holds: that node's id, so the B2BUA bridges the INVITE over
     * the signed trunk to it (the room's node admits it: the token's single use is checked there), and the room's
     * queue, which the call's record names instead of the join number (its token is a credential). Empty when this
     * node answers the INVITE itself. Called only for a join number dialled by a phone (never over the trunk).
     */
    default Optional<RemoteRoom> roomNode(String tenant, String caller, String number) {
        return Optional.empty();
    }

    /** A room held by another node: its node's id and the queue its caller was parked from. */
    record RemoteRoom(String node, String queue) {
    }

    /** True for a Call-ID of a dialog this feature holds (its caller or its outgoing legs). */
    boolean owns(String callId);

    /** An in-dialog request (ACK, BYE, CANCEL, INFO, re-INVITE, ...) of a dialog this feature owns. */
    void onRequest(InboundRequest request);
}
