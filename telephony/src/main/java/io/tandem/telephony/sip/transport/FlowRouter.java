package io.tandem.telephony.sip.transport;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.stack.DefaultRouter;
import gov.nist.javax.sip.stack.HopImpl;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.ListIterator;
import java.util.Map;
import javax.sip.SipException;
import javax.sip.SipStack;
import javax.sip.address.Hop;
import javax.sip.address.Router;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;

/**
 * The stack's router ({@code javax.sip.ROUTER_PATH}): the RI's {@link DefaultRouter}, except that a request inside a
 * dialog whose peer reached us over TCP or TLS goes back over the connection the peer opened, not to a new
 * connection to its Contact. RFC 5923 §1 / RFC 5626 §5.3: a phone behind NAT accepts no inbound connection, and a
 * TLS phone's certificate is not one the node can be asked to trust. The RI keeps an accepted connection under its
 * peer's source address:port, so sending to that address:port reuses it.
 *
 * <p>A flow is learned from each INVITE and each 2xx to an INVITE that arrives over a stream transport, under the
 * dialog's Call-ID and the peer's tag (RFC 3261 §12), and forgotten when the dialog ends.
 */
public final class FlowRouter implements Router {

    /** Flows kept at most; past it the oldest is dropped and its dialog falls back to the Contact. */
    static final int MAX_FLOWS = 50_000;

    private final Router fallback;
    private final Map<String, Flow> flows = new LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Flow> eldest) {
            return size() > MAX_FLOWS;
        }
    };

    /** The RI creates its router by reflection with exactly this constructor. */
    public FlowRouter(SipStack stack, String outboundProxy) {
        this(new DefaultRouter(stack, outboundProxy));
    }

    /** Around another router (tests: the RI's needs a running stack). */
    FlowRouter(Router fallback) {
        this.fallback = fallback;
    }

    /** The connection a stream-transport peer's messages came from. */
    record Flow(String transport, InetSocketAddress source) {
    }

    /**
     * Records where {@code message} came from, if it came over TCP or TLS. {@code peerTag} is the peer's dialog tag:
     * the From tag of a request it sent, the To tag of a response it sent.
     */
    public void learn(SIPMessage message, String peerTag) {
        ViaHeader via = (ViaHeader) message.getHeader(ViaHeader.NAME);
        CallIdHeader callId = (CallIdHeader) message.getHeader(CallIdHeader.NAME);
        if (via == null || callId == null || peerTag == null || message.getRemoteAddress() == null
                || !isStream(via.getTransport())) {
            return;
        }
        Flow flow = new Flow(via.getTransport(),
                new InetSocketAddress(message.getRemoteAddress(), message.getRemotePort()));
        synchronized (flows) {
            flows.put(key(callId.getCallId(), peerTag), flow);
        }
    }

    /** Forgets the flow of an ended dialog. */
    public void forget(String callId, String peerTag) {
        if (callId == null || peerTag == null) {
            return;
        }
        synchronized (flows) {
            flows.remove(key(callId, peerTag));
        }
    }

    /** Flows known now (for tests and metrics). */
    public int size() {
        synchronized (flows) {
            return flows.size();
        }
    }

    @Override
    public Hop getNextHop(Request request) throws SipException {
        Hop hop = fallback.getNextHop(request);
        if (hop == null || !isStream(hop.getTransport())) {
            return hop;
        }
        ToHeader to = (ToHeader) request.getHeader(ToHeader.NAME);
        CallIdHeader callId = (CallIdHeader) request.getHeader(CallIdHeader.NAME);
        if (to == null || to.getTag() == null || callId == null) {
            return hop;
        }
        Flow flow;
        synchronized (flows) {
            flow = flows.get(key(callId.getCallId(), to.getTag()));
        }
        if (flow == null || !flow.transport().equalsIgnoreCase(hop.getTransport())) {
            return hop;
        }
        return new HopImpl(flow.source().getAddress().getHostAddress(), flow.source().getPort(), hop.getTransport());
    }

    @Override
    public Hop getOutboundProxy() {
        return fallback.getOutboundProxy();
    }

    @Override
    @SuppressWarnings("rawtypes")
    public ListIterator getNextHops(Request request) {
        return fallback.getNextHops(request);
    }

    private static boolean isStream(String transport) {
        return "tcp".equalsIgnoreCase(transport) || "tls".equalsIgnoreCase(transport);
    }

    private static String key(String callId, String peerTag) {
        return callId + '\n' + peerTag;
    }
}
