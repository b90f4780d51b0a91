package io.tandem.backend.call;

import io.tandem.backend.node.NodeAddresses;
import io.tandem.backend.node.NodeMetrics;
import io.tandem.backend.node.sip.TrunkSignature;
import io.tandem.telephony.sip.SipEndpoint;
import io.tandem.telephony.sip.SipMessages;
import java.text.ParseException;
import java.util.Locale;
import java.util.function.Supplier;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.ContactHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SIP messages the B2BUA sends, built from the endpoint's factories, with the node's advertised address
 * ({@link NodeAddresses}) in Via and Contact (the endpoint itself knows only its bind address, which may be the
 * wildcard). Sending failures are logged and reported as false, never thrown at the call logic.
 */
final class Signalling {

    private static final Logger log = LoggerFactory.getLogger(Signalling.class);
    static final String SDP = "application/sdp";

    private final Supplier<SipEndpoint> endpoint;
    private final Supplier<NodeAddresses> addresses;
    private final NodeMetrics metrics;
    private final TrunkSignature trunk;
    private final String nodeId;

    Signalling(Supplier<SipEndpoint> endpoint, Supplier<NodeAddresses> addresses, NodeMetrics metrics,
            TrunkSignature trunk, String nodeId) {
        this.endpoint = endpoint;
        this.addresses = addresses;
        this.metrics = metrics;
        this.trunk = trunk;
        this.nodeId = nodeId;
    }

    SipEndpoint endpoint() {
        return endpoint.get();
    }

    String host() {
        return addresses.get().host();
    }

    /** Our Contact for a dialog: {@code sip:user@host:port}, with the transport when not UDP. */
    ContactHeader contact(String user, String transport) {
        SipMessages messages = endpoint().messages();
        try {
            SipURI uri = messages.addresses().createSipURI(user, host());
            uri.setPort(addresses.get().sipPort());
            if (transport != null && !"udp".equalsIgnoreCase(transport)) {
                uri.setTransportParam(transport.toLowerCase(Locale.ROOT));
            }
            return messages.headers().createContactHeader(messages.addresses().createAddress(uri));
        } catch (ParseException e) {
            throw new IllegalArgumentException("bad contact user " + user, e);
        }
    }

    /**
     * Answers the caller leg's INVITE (or any request of that leg's transaction) with its dialog's To tag; 1xx/2xx
     * to INVITE carry our Contact (RFC 3261 §12.1.1), responses on a trunk leg name this node.
     */
    boolean respond(Leg leg, ServerTransaction st, int status, String reason, String sdp) {
        Request request = st.getRequest();
        Response response = endpoint().messages().responseTo(request, status, reason,
                Request.INVITE.equals(request.getMethod()) && st == leg.inviteSt ? leg.toTag : null);
        if (Request.INVITE.equals(request.getMethod()) && status > 100 && status < 300) {
            response.setHeader(contact(leg.party, transportOf(request)));
        }
        if (sdp != null) {
            endpoint().messages().setBody(response, SDP, sdp);
        }
        return send(st, response, leg.trunk);
    }

    /** Sends a response through its transaction and counts it. */
    boolean send(ServerTransaction st, Response response, boolean trunkLeg) {
        try {
            if (trunkLeg) {
                response.setHeader(endpoint().messages().headers().createHeader(TrunkSignature.NODE, nodeId));
            }
            st.sendResponse(response);
            metrics.sipResponse(response.getStatusCode());
            return true;
        } catch (Exception e) {
            log.debug("cannot send {} {}: {}", response.getStatusCode(), response.getReasonPhrase(), e.getMessage());
            return false;
        }
    }

    /**
     * Sends a branch's INVITE: its own Call-ID, From the caller, To the callee, our Contact, the rewritten offer;
     * signed with the trunk headers when the target is another node.
     */
    boolean invite(Leg branch, String caller, String tenant, String sdp) {
        SipEndpoint ep = endpoint();
        SipMessages messages = ep.messages();
        try {
            URI target = messages.addresses().createURI(branch.target.requestUri());
            Address from = messages.addresses().createAddress(messages.addresses().createSipURI(caller, host()));
            Address to = messages.addresses().createAddress(messages.addresses().createSipURI(branch.party, host()));
            String transport = branch.target.transport();
            Request invite = messages.outOfDialog(Request.INVITE, target, from, SipMessages.newToken(), to,
                    branch.callId, 1, transport, null);
            ViaHeader via = (ViaHeader) invite.getHeader(ViaHeader.NAME);
            via.setHost(host());
            via.setPort(addresses.get().sipPort());
            invite.setHeader(contact(caller, transport));
            if (branch.bridge.inboundTrunk) {
                passOn(branch.bridge.callerLeg.invite, invite);
            }
            if (branch.target.viaTrunk()) {
                trunk.sign(invite, messages.headers(), nodeId, branch.party, tenant);
            }
            messages.setBody(invite, SDP, sdp);
            ClientTransaction tx = ep.provider().getNewClientTransaction(invite);
            branch.dialog = ep.provider().getNewDialog(tx);
            branch.inviteTx = tx;
            branch.invite = invite;
            tx.sendRequest();
            return true;
        } catch (Exception e) {
            log.warn("cannot send INVITE to {}: {}", branch.target.requestUri(), e.getMessage());
            return false;
        }
    }

    /** Headers a node of the cluster set for the callee's phone (a queue offer): passed on only from the trunk. */
    static final java.util.List<String> PASSED_FROM_TRUNK = java.util.List.of(Bridge.QUEUE_OFFER_HEADER,
            "P-Asserted-Identity");

    /**
     * A queue offer crossing the trunk keeps what the caller's node said about it: the offer id the softphone
     * matches with its WebSocket offer, the caller's identity (RFC 3325 §9.1, trusted between our nodes) and the
     * From display name.
     */
    private static void passOn(Request from, Request to) throws ParseException {
        if (from == null) {
            return;
        }
        for (String name : PASSED_FROM_TRUNK) {
            javax.sip.header.Header header = from.getHeader(name);
            if (header != null) {
                to.setHeader((javax.sip.header.Header) header.clone());
            }
        }
        String display = ((javax.sip.header.FromHeader) from.getHeader(javax.sip.header.FromHeader.NAME)).getAddress()
                .getDisplayName();
        if (display != null && !display.isBlank()) {
            ((javax.sip.header.FromHeader) to.getHeader(javax.sip.header.FromHeader.NAME)).getAddress()
                    .setDisplayName(display);
        }
    }

    /** RFC 3261 §13.2.2.4: the ACK of a 2xx is the dialog's own request. */
    void ack(Leg leg, Dialog dialog, long cseq) {
        try {
            Request ack = dialog.createAck(cseq);
            leg.lastAck = ack;
            dialog.sendAck(ack);
        } catch (Exception e) {
            log.debug("cannot ACK on {}: {}", leg, e.getMessage());
        }
    }

    /** Re-sends the ACK for a retransmitted 2xx. */
    void reack(Leg leg) {
        if (leg.lastAck != null && leg.dialog != null) {
            try {
                leg.dialog.sendAck(leg.lastAck);
            } catch (SipException e) {
                log.debug("cannot re-ACK on {}: {}", leg, e.getMessage());
            }
        }
    }

    /** RFC 3261 §9.1: CANCEL only once a provisional response arrived; otherwise when one does. */
    void cancel(Leg branch) {
        if (branch.done || branch.inviteTx == null) {
            return;
        }
        if (!branch.provisional) {
            branch.cancelPending = true;
            return;
        }
        try {
            Request cancel = branch.inviteTx.createCancel();
            endpoint().provider().getNewClientTransaction(cancel).sendRequest();
        } catch (Exception e) {
            log.debug("cannot CANCEL {}: {}", branch, e.getMessage());
        }
    }

    /** Sends an in-dialog request on the leg; returns its transaction, or null when it could not be sent. */
    ClientTransaction inDialog(Leg leg, String method, String contentType, byte[] body) {
        return inDialog(leg, method, contentType, body, java.util.List.of());
    }

    /** Same, with extra headers (Event and Subscription-State of a NOTIFY). */
    ClientTransaction inDialog(Leg leg, String method, String contentType, byte[] body,
            java.util.List<javax.sip.header.Header> extra) {
        if (leg.dialog == null) {
            return null;
        }
        try {
            Request request = leg.dialog.createRequest(method);
            if (request.getHeader(javax.sip.header.MaxForwardsHeader.NAME) == null) {
                request.setHeader(endpoint().messages().headers().createMaxForwardsHeader(SipMessages.MAX_FORWARDS));
            }
            if (Request.INVITE.equals(method)) {
                request.setHeader(contact(leg.isCaller() ? leg.bridge.callee() : leg.bridge.caller(),
                        transportOf(leg.invite)));
            }
            for (javax.sip.header.Header header : extra) {
                request.setHeader(header);
            }
            if (contentType != null && body != null) {
                int slash = contentType.indexOf('/');
                request.setContent(body, endpoint().messages().headers().createContentTypeHeader(
                        contentType.substring(0, slash), contentType.substring(slash + 1)));
            }
            ClientTransaction tx = endpoint().provider().getNewClientTransaction(request);
            leg.dialog.sendRequest(tx);
            return tx;
        } catch (Exception e) {
            log.debug("cannot send {} on {}: {}", method, leg, e.getMessage());
            return null;
        }
    }

    void bye(Leg leg) {
        inDialog(leg, Request.BYE, null, null);
    }

    static String transportOf(Request request) {
        if (request == null) {
            return "udp";
        }
        ViaHeader via = (ViaHeader) request.getHeader(ViaHeader.NAME);
        return via == null || via.getTransport() == null ? "udp" : via.getTransport().toLowerCase(Locale.ROOT);
    }
}
