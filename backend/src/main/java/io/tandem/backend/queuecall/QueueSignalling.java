package io.tandem.backend.queuecall;

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
import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.header.ContactHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SIP messages of queue calls: answers to the caller's dialog, and the INVITE (with its ACK, CANCEL and BYE)
 * that rings an agent, built with the node's advertised address in Via and Contact. Sending failures are logged and
 * reported as false/null, never thrown at the call logic.
 */
final class QueueSignalling {

    private static final Logger log = LoggerFactory.getLogger(QueueSignalling.class);
    static final String SDP = "application/sdp";
    /** The offer id, which the softphone matches with the {@code offer} message on its WebSocket. */
    static final String OFFER_HEADER = "X-Tandem-Offer"; // the B2BUA of the agent's node knows it too (Bridge)

    private final Supplier<SipEndpoint> endpoint;
    private final Supplier<NodeAddresses> addresses;
    private final NodeMetrics metrics;
    private final TrunkSignature trunk;
    private final String nodeId;

    QueueSignalling(Supplier<SipEndpoint> endpoint, Supplier<NodeAddresses> addresses, NodeMetrics metrics,
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

    String nodeId() {
        return nodeId;
    }

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
     * Answers a request of the caller's dialog; 1xx/2xx to its INVITE carry our Contact (RFC 3261 §12.1.1) and the
     * dialog's To tag; a caller that came over the trunk learns this node's id.
     */
    boolean respond(ServerTransaction st, int status, String reason, String toTag, String contactUser, String sdp,
            boolean trunkLeg) {
        Request request = st.getRequest();
        boolean invite = Request.INVITE.equals(request.getMethod());
        Response response = endpoint().messages().responseTo(request, status, reason, invite ? toTag : null);
        try {
            if (invite && status > 100 && status < 300) {
                response.setHeader(contact(contactUser, transportOf(request)));
            }
            if (sdp != null) {
                endpoint().messages().setBody(response, SDP, sdp);
            }
            if (trunkLeg) {
                response.setHeader(endpoint().messages().headers().createHeader(TrunkSignature.NODE, nodeId));
            }
            st.sendResponse(response);
            metrics.sipResponse(status);
            return true;
        } catch (Exception e) {
            log.debug("cannot send {} to {}: {}", status, request.getMethod(), e.getMessage());
            return false;
        }
    }

    /**
     * Sends the INVITE that rings an agent: its own Call-ID, From and P-Asserted-Identity the caller (RFC 3325
     * §9.1: our nodes trust each other), the offer id, our SDP offer; signed with the trunk headers when the target
     * is another node (that node's B2BUA rings its contacts and passes these headers on).
     */
    boolean invite(AgentBranch branch, String callerNumber, String callerName, String tenant, String sdp) {
        SipEndpoint ep = endpoint();
        SipMessages messages = ep.messages();
        try {
            Address from = messages.addresses().createAddress(messages.addresses().createSipURI(callerNumber, host()));
            if (callerName != null && !callerName.isBlank()) {
                from.setDisplayName(callerName);
            }
            Address to = messages.addresses().createAddress(messages.addresses().createSipURI(branch.agentId, host()));
            String transport = branch.target.transport();
            Request invite = messages.outOfDialog(Request.INVITE, messages.addresses().createURI(
                    branch.target.requestUri()), from, SipMessages.newToken(), to, branch.callId, 1, transport, null);
            ViaHeader via = (ViaHeader) invite.getHeader(ViaHeader.NAME);
            via.setHost(host());
            via.setPort(addresses.get().sipPort());
            invite.setHeader(contact(callerNumber, transport));
            invite.setHeader(messages.headers().createHeader("P-Asserted-Identity", from.toString()));
            if (!branch.toExtension()) {
                invite.setHeader(messages.headers().createHeader(OFFER_HEADER, branch.offer.offerId()));
            }
            if (branch.target.viaTrunk()) {
                trunk.sign(invite, messages.headers(), nodeId, branch.agentId, tenant);
            }
            messages.setBody(invite, SDP, sdp);
            ClientTransaction tx = ep.provider().getNewClientTransaction(invite);
            branch.dialog = ep.provider().getNewDialog(tx);
            branch.inviteTx = tx;
            tx.sendRequest();
            return true;
        } catch (Exception e) {
            log.warn("cannot send the offer INVITE to {}: {}", branch.target.requestUri(), e.getMessage());
            return false;
        }
    }

    /** RFC 3261 §13.2.2.4: the ACK of a 2xx is the dialog's own request; kept for a retransmitted 2xx. */
    void ack(AgentBranch branch, Dialog dialog, long cseq) {
        try {
            Request ack = dialog.createAck(cseq);
            branch.lastAck = ack;
            dialog.sendAck(ack);
        } catch (Exception e) {
            log.debug("cannot ACK {}: {}", branch, e.getMessage());
        }
    }

    void reack(AgentBranch branch) {
        if (branch.lastAck != null && branch.dialog != null) {
            try {
                branch.dialog.sendAck(branch.lastAck);
            } catch (Exception e) {
                log.debug("cannot re-ACK {}: {}", branch, e.getMessage());
            }
        }
    }

    /** RFC 3261 §9.1: CANCEL only once a provisional response arrived; otherwise when one does. */
    void cancel(AgentBranch branch) {
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

    /** BYE on an established dialog (the caller's or an agent's). */
    void bye(Dialog dialog) {
        if (dialog == null) {
            return;
        }
        try {
            Request bye = dialog.createRequest(Request.BYE);
            if (bye.getHeader(javax.sip.header.MaxForwardsHeader.NAME) == null) {
                bye.setHeader(endpoint().messages().headers().createMaxForwardsHeader(SipMessages.MAX_FORWARDS));
            }
            ClientTransaction tx = endpoint().provider().getNewClientTransaction(bye);
            dialog.sendRequest(tx);
        } catch (Exception e) {
            log.debug("cannot send BYE on {}: {}", dialog.getCallId(), e.getMessage());
        }
    }

    static String transportOf(Request request) {
        ViaHeader via = request == null ? null : (ViaHeader) request.getHeader(ViaHeader.NAME);
        return via == null || via.getTransport() == null ? "udp" : via.getTransport().toLowerCase(Locale.ROOT);
    }
}
