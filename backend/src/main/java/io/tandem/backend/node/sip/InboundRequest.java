package io.tandem.backend.node.sip;

import gov.nist.javax.sip.message.SIPMessage;
import io.tandem.backend.node.NodeMetrics;
import io.tandem.telephony.sip.SipEndpoint;
import io.tandem.telephony.sip.SipMessages;
import java.util.Locale;
import javax.sip.RequestEvent;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * One request as the node received it: the JAIN-SIP event, where it really came from (the packet's source, which
 * RFC 3581 {@code received}/{@code rport} are about) and a way to answer that counts the answer in
 * {@link NodeMetrics} by class.
 */
public final class InboundRequest {

    private final RequestEvent event;
    private final SipEndpoint endpoint;
    private final NodeMetrics metrics;
    private final String sourceAddress;
    private final int sourcePort;
    private final String transport;
    /** Set when the request is answered without a server transaction: where its answer is kept for retransmissions. */
    private StatelessAnswers.First stateless;

    InboundRequest(RequestEvent event, SipEndpoint endpoint, NodeMetrics metrics) {
        this.event = event;
        this.endpoint = endpoint;
        this.metrics = metrics;
        Request request = event.getRequest();
        SIPMessage raw = (SIPMessage) request;
        this.sourceAddress = raw.getRemoteAddress() != null ? raw.getRemoteAddress().getHostAddress() : "";
        this.sourcePort = raw.getRemotePort();
        ViaHeader via = (ViaHeader) request.getHeader(ViaHeader.NAME);
        this.transport = via == null || via.getTransport() == null ? "udp"
                : via.getTransport().toLowerCase(Locale.ROOT);
    }

    /** Answers this request without a server transaction, keeping the answer in {@code first} for its retransmissions. */
    void answerStatelessly(StatelessAnswers.First first) {
        this.stateless = first;
    }

    public Request request() {
        return event.getRequest();
    }

    public RequestEvent event() {
        return event;
    }

    public String method() {
        return event.getRequest().getMethod();
    }

    /** The IP address the request's packet (or connection) came from. */
    public String sourceAddress() {
        return sourceAddress;
    }

    /** The port the request's packet (or connection) came from. */
    public int sourcePort() {
        return sourcePort;
    }

    /** {@code udp}, {@code tcp}, ... from the top Via (the transport the request arrived on). */
    public String transport() {
        return transport;
    }

    /** The builders of this node's endpoint ({@code responseTo}, headers, addresses). */
    public SipMessages messages() {
        return endpoint.messages();
    }

    /** Answers with {@code status} and the RFC 3261 §21 reason phrase (or {@code reason} when given). */
    public void respond(int status, String reason) {
        respond(endpoint.messages().responseTo(event.getRequest(), status, reason));
    }

    /**
     * Sends a response built for this request, through its server transaction (or statelessly, when the router said
     * so, keeping the answer to repeat to the request's retransmissions), and counts it.
     */
    public void respond(Response response) {
        // Counted before it is sent, so that whoever has the answer (a test reading the meter) finds it counted; a
        // send that fails is counted apart (tandem.sip.send.failures).
        metrics.sipResponse(response.getStatusCode());
        if (stateless == null) {
            endpoint.respond(event, response);
        } else {
            // Kept before it is sent: a retransmission that arrives as soon as the phone has this answer must find it
            // (kept after sending, it could come first, be absorbed as "still in progress" and go unanswered). The
            // repeat goes through the same send, so it leaves as this one does. Kept even when the send fails: the
            // request's effect (a binding written, a nonce-count used) is done, and its retransmission must get this
            // answer, not a second one.
            // The kept encoding is what is sent: the response is encoded once.
            String encoded = response.toString();
            stateless.answered(encoded);
            endpoint.forgetPending(event.getRequest());
            if (!endpoint.respondStateless(response, encoded)) {
                metrics.sipSendFailed("response");
            }
        }
    }
}
