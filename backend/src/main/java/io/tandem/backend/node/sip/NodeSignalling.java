package io.tandem.backend.node.sip;

import io.tandem.backend.node.NodeAddresses;
import io.tandem.backend.node.NodeMetrics;
import io.tandem.telephony.sip.SipEndpoint;
import io.tandem.telephony.sip.SipMessages;
import java.text.ParseException;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.InvalidArgumentException;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.Header;
import javax.sip.header.MaxForwardsHeader;
import javax.sip.header.RouteHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SIP messages every feature of a node sends the same way, built from the endpoint's factories with the node's
 * advertised address ({@link NodeAddresses}) in Via and Contact (the endpoint itself knows only its bind address,
 * which may be the wildcard): the INVITE of an {@link OutgoingBranch}, signed with {@link TrunkSignature} when it
 * goes to another node; responses on a caller's dialog; requests inside a dialog. A message that cannot be sent is
 * counted ({@link NodeMetrics#sipSendFailed}) and logged at WARN, and reported as false/null, never thrown at the
 * call logic.
 */
public final class NodeSignalling {

    private static final Logger log = LoggerFactory.getLogger(NodeSignalling.class);
    public static final String SDP = "application/sdp";
    private static final String ASSERTED_IDENTITY = "P-Asserted-Identity";

    private final Supplier<SipEndpoint> endpoint;
    private final Supplier<NodeAddresses> addresses;
    private final NodeMetrics metrics;
    private final TrunkSignature trunk;
    private final String nodeId;
    private final BranchSender sender;

    /** The endpoint and addresses are looked up on first use: they exist only once the router (and its features) do. */
    public NodeSignalling(Supplier<SipEndpoint> endpoint, Supplier<NodeAddresses> addresses, NodeMetrics metrics,
            TrunkSignature trunk, String nodeId) {
        this.endpoint = endpoint;
        this.addresses = addresses;
        this.metrics = metrics;
        this.trunk = trunk;
        this.nodeId = nodeId;
        this.sender = new JainBranchSender(endpoint);
    }

    public SipEndpoint endpoint() {
        return endpoint.get();
    }

    /** The host other nodes and phones reach this node at (Contact, Via, SDP). */
    public String host() {
        return addresses.get().host();
    }

    /** The SIP port other nodes and phones reach this node at (Contact, Via). */
    public int sipPort() {
        return addresses.get().sipPort();
    }

    public String nodeId() {
        return nodeId;
    }

    /** A new branch with its own Call-ID, not sent yet. */
    public OutgoingBranch branch(String callId) {
        return new OutgoingBranch(callId, sender, metrics);
    }

    /**
     * Our Contact for a dialog: {@code sip:user@host:port}, with the transport when not UDP; over TLS the TLS port,
     * so the phone's requests in the dialog come over TLS too (RFC 3261 §26.2.1).
     */
    public ContactHeader contact(String user, String transport) {
        SipMessages messages = endpoint().messages();
        try {
            SipURI uri = messages.addresses().createSipURI(user, host());
            uri.setPort(addresses.get().sipPort(transport));
            if (transport != null && !"udp".equalsIgnoreCase(transport)) {
                uri.setTransportParam(transport.toLowerCase(Locale.ROOT));
            }
            return messages.headers().createContactHeader(messages.addresses().createAddress(uri));
        } catch (ParseException e) {
            throw new IllegalArgumentException("bad contact user " + user, e);
        }
    }

    /** A header to pass in {@link OutgoingInvite#headers()}. */
    public Header header(String name, String value) {
        try {
            return endpoint().messages().headers().createHeader(name, value);
        } catch (ParseException e) {
            throw new IllegalArgumentException("bad " + name + " header: " + value, e);
        }
    }

    /**
     * Sends {@code branch}'s INVITE: its own Call-ID, From, To, our Contact, the offer; signed with the trunk headers
     * when the target is another node (that node's B2BUA rings its contacts). False when it could not be sent (the
     * branch is then FAILED).
     */
    public boolean invite(OutgoingBranch branch, OutgoingInvite what) {
        Request invite;
        try {
            invite = build(branch.callId(), what);
        } catch (RuntimeException | ParseException e) {
            branch.unsendable(e);
            return false;
        }
        return branch.send(invite);
    }

    /**
     * Sends {@code branch}'s INVITE again with another offer, {@code sdp}, after {@code refused}'s 4xx said the first
     * one would not do (a phone without SRTP refusing our SRTP offer with 488): same Call-ID, From tag and Request-URI,
     * the next CSeq and a new Via branch, as RFC 3261 §8.1.3.5 retries a request whose refusal says what to change.
     * False, nothing sent, when the branch is over or no longer wanted, or the request could not be built or sent.
     */
    public boolean inviteAgain(OutgoingBranch branch, ClientTransaction refused, String sdp) {
        Request again = (Request) refused.getRequest().clone();
        try {
            CSeqHeader cseq = (CSeqHeader) again.getHeader(CSeqHeader.NAME);
            cseq.setSeqNumber(cseq.getSeqNumber() + 1);
            ((ViaHeader) again.getHeader(ViaHeader.NAME)).setBranch(SipMessages.newBranch());
            endpoint().messages().setBody(again, SDP, sdp);
        } catch (Exception e) {
            failed("invite", "again on " + branch.callId(), e);
            return false;
        }
        return branch.retry(refused, again);
    }

    private Request build(String callId, OutgoingInvite what) throws ParseException {
        SipMessages messages = endpoint().messages();
        Address from = messages.addresses().createAddress(messages.addresses().createSipURI(what.fromUser(), host()));
        if (what.fromDisplay() != null && !what.fromDisplay().isBlank()) {
            from.setDisplayName(what.fromDisplay());
        }
        Address to = messages.addresses().createAddress(messages.addresses().createSipURI(what.toUser(), host()));
        Request invite = messages.outOfDialog(Request.INVITE, messages.addresses().createURI(what.requestUri()), from,
                SipMessages.newToken(), to, callId, 1, what.transport(), null);
        ViaHeader via = (ViaHeader) invite.getHeader(ViaHeader.NAME);
        via.setHost(host());
        try {
            via.setPort(addresses.get().sipPort(what.transport()));
        } catch (InvalidArgumentException e) {
            throw new IllegalArgumentException("bad SIP port " + addresses.get().sipPort(what.transport()), e);
        }
        invite.setHeader(contact(what.fromUser(), what.transport()));
        if (what.assertIdentity()) {
            invite.setHeader(messages.headers().createHeader(ASSERTED_IDENTITY, from.toString()));
        }
        for (Header header : what.headers()) {
            invite.setHeader(header);
        }
        for (String hop : what.routeSet()) {
            // RFC 3261 §8.1.2: a pre-loaded route set; the stack sends to the first loose router (the edge).
            invite.addHeader(messages.headers().createHeader(RouteHeader.NAME, hop));
        }
        if (what.viaTrunk()) {
            trunk.sign(invite, messages.headers(), nodeId, what.toUser(), what.tenant());
        }
        messages.setBody(invite, SDP, what.sdp());
        return invite;
    }

    /**
     * Answers a request of a caller's dialog; 1xx/2xx to its INVITE carry our Contact (RFC 3261 §12.1.1) and the
     * dialog's To tag; a caller that came over the trunk learns this node's id.
     */
    public boolean respond(ServerTransaction st, int status, String reason, String toTag, String contactUser,
            String sdp, boolean trunkLeg) {
        return respond(st, status, reason, toTag, contactUser, sdp, trunkLeg, List.of());
    }

    /** As above, with {@code extra} headers (a session timer's, RFC 4028 §9). */
    public boolean respond(ServerTransaction st, int status, String reason, String toTag, String contactUser,
            String sdp, boolean trunkLeg, List<Header> extra) {
        Request request = st.getRequest();
        boolean invite = Request.INVITE.equals(request.getMethod());
        Response response = endpoint().messages().responseTo(request, status, reason, invite ? toTag : null);
        if (invite && status > 100 && status < 300) {
            response.setHeader(contact(contactUser, transportOf(request)));
        }
        for (Header header : extra) {
            response.setHeader(header);
        }
        if (sdp != null) {
            endpoint().messages().setBody(response, SDP, sdp);
        }
        return send(st, response, trunkLeg);
    }

    /** Sends a response through its transaction and counts it. */
    public boolean send(ServerTransaction st, Response response, boolean trunkLeg) {
        try {
            if (trunkLeg) {
                response.setHeader(endpoint().messages().headers().createHeader(TrunkSignature.NODE, nodeId));
            }
            st.sendResponse(response);
            if (response.getStatusCode() >= Response.OK && st.getApplicationData() instanceof StatelessAnswers.First kept) {
                // Encoded as sent; the router releases the transaction once this is kept (SipFeature
                // #releasedOnceAnswered), so the retransmissions it then sees get this answer.
                kept.answered(response.toString());
            }
            metrics.sipResponse(response.getStatusCode());
            return true;
        } catch (Exception e) {
            failed("response", response.getStatusCode() + " to " + st.getRequest().getMethod(), e);
            return false;
        }
    }

    /** A new request inside {@code dialog}, Max-Forwards set; sent with {@link #send(Dialog, Request)}. */
    public Request request(Dialog dialog, String method) throws SipException {
        Request request = dialog.createRequest(method);
        if (request.getHeader(MaxForwardsHeader.NAME) == null) {
            try {
                request.setHeader(endpoint().messages().headers().createMaxForwardsHeader(SipMessages.MAX_FORWARDS));
            } catch (InvalidArgumentException e) {
                throw new SipException("bad Max-Forwards", e);
            }
        }
        return request;
    }

    /** Sends a request inside {@code dialog}; its transaction, or null when it could not be sent. */
    public ClientTransaction send(Dialog dialog, Request request) {
        try {
            ClientTransaction tx = endpoint().provider().getNewClientTransaction(request);
            dialog.sendRequest(tx);
            return tx;
        } catch (Exception e) {
            failed("request", request.getMethod() + " on " + dialog.getCallId().getCallId(), e);
            return null;
        }
    }

    /** BYE on an established dialog (a caller's, or one the B2BUA holds); nothing without a dialog. */
    public void bye(Dialog dialog) {
        if (dialog == null) {
            return;
        }
        try {
            send(dialog, request(dialog, Request.BYE));
        } catch (Exception e) {
            failed("bye", "on " + dialog.getCallId().getCallId(), e);
        }
    }

    /** Counts and logs a message that could not be built or sent. */
    public void failed(String what, String about, Exception e) {
        metrics.sipSendFailed(what);
        log.warn("cannot send {} {}: {}", what, about, e.toString());
    }

    /** The transport of a request's top Via, lower case; {@code udp} when there is none. */
    public static String transportOf(Request request) {
        ViaHeader via = request == null ? null : (ViaHeader) request.getHeader(ViaHeader.NAME);
        return via == null || via.getTransport() == null ? "udp" : via.getTransport().toLowerCase(Locale.ROOT);
    }
}
