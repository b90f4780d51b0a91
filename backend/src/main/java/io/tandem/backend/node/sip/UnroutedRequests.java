package io.tandem.backend.node.sip;

import java.util.Set;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * What the node answers for methods no {@link SipFeature} handles. On a node without the B2BUA feature an INVITE
 * gets 480 (RFC 3261 §21.4.18: the callee is not reachable here now; a phone shows "unavailable", not "broken");
 * a request inside a dialog we never made (BYE, CANCEL...) gets 481; anything else 501 (§21.5.2).
 */
final class UnroutedRequests implements SipFeature {

    @Override
    public Set<String> methods() {
        return Set.of();
    }

    @Override
    public void onRequest(InboundRequest request) {
        switch (request.method()) {
            case Request.ACK -> {
                // RFC 3261 §17.2.3: an ACK is never answered; an ACK for our 480 is absorbed by the transaction.
            }
            case Request.INVITE -> request.respond(Response.TEMPORARILY_UNAVAILABLE,
                    "Call routing is not available on this node");
            case Request.BYE, Request.CANCEL, Request.INFO, Request.NOTIFY, Request.REFER, Request.UPDATE,
                    Request.PRACK -> request.respond(Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, null);
            default -> request.respond(Response.NOT_IMPLEMENTED, request.method() + " is not implemented");
        }
    }
}
