package io.tandem.backend.node.sip;

import gov.nist.javax.sip.DialogTimeoutEvent;
import io.tandem.backend.node.NodeMetrics;
import io.tandem.telephony.sip.SipEndpoint;
import io.tandem.telephony.sip.SipHandler;
import java.text.ParseException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import javax.sip.RequestEvent;
import javax.sip.Dialog;
import javax.sip.ResponseEvent;
import javax.sip.TimeoutEvent;
import javax.sip.header.AllowHeader;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The node's one dispatch point for SIP: a request from a blocked source is refused, OPTIONS is answered here
 * (RFC 3261 §11: what a node supports; Kamailio's dispatcher probes with it), every other method goes to the
 * {@link SipFeature} that claims it, and what no feature claims gets {@link UnroutedRequests}' answer.
 */
public final class SipRequestRouter implements SipHandler {

    private static final Logger log = LoggerFactory.getLogger(SipRequestRouter.class);
    /** How long a phone should wait before retrying this node when Redis is unreachable. */
    private static final int RETRY_AFTER_SECONDS = 5;

    private final Map<String, SipFeature> byMethod = new TreeMap<>();
    private final List<SipFeature> features;
    private final List<SourceFilter> filters;
    private final NodeMetrics metrics;
    private final SipFeature fallback = new UnroutedRequests();
    private final String allow;
    private final AtomicLong blocked = new AtomicLong();
    private final AtomicLong cutOffDropped = new AtomicLong();
    private final StatelessAnswers answers;
    private volatile SipEndpoint endpoint;
    /** Read once per request: whether requests from other nodes are dropped ({@link #cutOffFromNodes}). */
    private volatile boolean cutOff;

    /**
     * @param statelessAnswers answers to requests handled without a server transaction kept for their retransmissions
     *                         (see {@link SipFeature#answersStatelessly()})
     */
    public SipRequestRouter(Collection<SipFeature> features, Collection<SourceFilter> filters, NodeMetrics metrics,
            int statelessAnswers, Clock clock) {
        this.answers = new StatelessAnswers(statelessAnswers, clock);
        this.features = List.copyOf(features);
        this.filters = List.copyOf(filters);
        this.metrics = metrics;
        for (SipFeature feature : this.features) {
            for (String method : feature.methods()) {
                SipFeature previous = byMethod.putIfAbsent(method, feature);
                if (previous != null) {
                    throw new IllegalStateException(method + " is claimed by both " + previous.getClass().getName()
                            + " and " + feature.getClass().getName());
                }
            }
        }
        TreeSet<String> methods = new TreeSet<>(byMethod.keySet());
        methods.add(Request.OPTIONS);
        this.allow = String.join(", ", methods);
        log.info("SIP routes: {}; OPTIONS answered here; other methods: {}", routes(),
                fallback.getClass().getSimpleName());
    }

    /** The endpoint this router answers through; set once the endpoint is open. */
    void attach(SipEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    /** Methods handled on this node, for {@code Allow}. */
    public String allow() {
        return allow;
    }

    /**
     * Drops, unanswered, every request that comes from another node (it carries {@link TrunkSignature#ORIGIN}: the
     * trunk's INVITEs, the nodes' probes), as a cut link between nodes would lose them, while everything else (Redis,
     * phones, carriers) goes on. For tests of the nodes' votes on each other; nothing in a running node calls it.
     */
    public void cutOffFromNodes(boolean cut) {
        cutOff = cut;
        log.warn("requests from other nodes are {}", cut ? "dropped unanswered (cut off)" : "handled again");
    }

    /** Requests from other nodes dropped while cut off from them. */
    public long cutOffDropped() {
        return cutOffDropped.get();
    }

    /** Answers to stateless requests kept now for their retransmissions. */
    public int statelessAnswersKept() {
        return answers.size();
    }

    /** Requests refused because their source was blocked. */
    public long blockedRequests() {
        return blocked.get();
    }

    @Override
    public void onRequest(RequestEvent event) {
        SipEndpoint current = endpoint;
        if (current == null) {
            return; // not started yet: the client retransmits (UDP) or times out; nothing to answer with
        }
        if (cutOff && event.getRequest().getHeader(TrunkSignature.ORIGIN) != null) {
            cutOffDropped.incrementAndGet();
            return;
        }
        InboundRequest request = new InboundRequest(event, current, metrics);
        String method = request.method();
        SipFeature feature = byMethod.getOrDefault(method, fallback);
        StatelessAnswers.First first = null;
        boolean udp = "udp".equals(request.transport());
        boolean stateless = udp && feature.answersStatelessly();
        boolean released = udp && feature.releasedOnceAnswered().contains(method);
        if (stateless || released) {
            StatelessAnswers.Seen seen = answers.claim(key(event.getRequest()));
            if (seen instanceof StatelessAnswers.First claimed) {
                first = claimed;
                if (stateless) {
                    request.answerStatelessly(claimed);
                } else if (event.getServerTransaction() != null) {
                    // NodeSignalling keeps the answer it sends through this transaction here (JAIN-SIP's slot for
                    // what the application attaches to a transaction).
                    event.getServerTransaction().setApplicationData(claimed);
                }
            } else {
                retransmitted(current, seen);
                return;
            }
        }
        MDC.put("callId", callId(event.getRequest()));
        try {
            if (isBlocked(request.sourceAddress())) {
                blocked.incrementAndGet();
                metrics.sourceBlocked();
                if (!Request.ACK.equals(method)) {
                    // Answered rather than dropped: a phone blocked by mistake shows why at once instead of
                    // retransmitting for 32 s; the answer is smaller than the request, so it amplifies nothing.
                    request.respond(Response.FORBIDDEN, "Source temporarily blocked after failed authentications");
                }
                return;
            }
            if (Request.OPTIONS.equals(method)) {
                answerOptions(request);
                return;
            }
            if (Request.INVITE.equals(method)) {
                tryingAtOnce(request, current);
            }
            feature.onRequest(request);
        } catch (io.lettuce.core.RedisException e) {
            // Cluster state is out of reach: 503 with Retry-After makes a phone fail over to another node
            // (RFC 3261 §21.5.4) instead of giving up as it would on a 500.
            log.warn("{} from {}:{}: Redis unavailable ({})", method, request.sourceAddress(), request.sourcePort(),
                    e.getMessage());
            if (!Request.ACK.equals(method)) {
                Response response = request.messages().responseTo(request.request(), Response.SERVICE_UNAVAILABLE,
                        "Cluster state unavailable");
                try {
                    response.setHeader(request.messages().headers().createRetryAfterHeader(RETRY_AFTER_SECONDS));
                } catch (javax.sip.InvalidArgumentException impossible) {
                    throw new IllegalStateException(impossible);
                }
                request.respond(response);
            }
        } catch (RuntimeException e) {
            log.warn("{} from {}:{} failed", method, request.sourceAddress(), request.sourcePort(), e);
            if (!Request.ACK.equals(method)) {
                request.respond(Response.SERVER_INTERNAL_ERROR, "Internal error");
            }
        } finally {
            if (released && first != null && first.isAnswered()) {
                current.releaseAnswered(event.getServerTransaction());
            }
            if (first != null) {
                first.release();
            }
            MDC.remove("callId");
        }
    }

    /**
     * A retransmission of a request answered without a transaction: absorbed while its first copy is being handled,
     * else answered again with the first copy's answer, as its server transaction would have (RFC 3261 §17.2.2).
     */
    private void retransmitted(SipEndpoint endpoint, StatelessAnswers.Seen seen) {
        if (!(seen instanceof StatelessAnswers.Answered answered)) {
            metrics.retransmission(false);
            return;
        }
        metrics.retransmission(true);
        try {
            // Parsed only for where it goes (its Via); the kept bytes are what is sent, as the first time.
            if (!endpoint.respondStateless(endpoint.messageFactory().createResponse(answered.answer()),
                    answered.answer())) {
                metrics.sipSendFailed("response");
            }
        } catch (ParseException e) {
            // Our own encoding read back: cannot happen unless the RI changes how it encodes.
            metrics.sipSendFailed("response");
            log.warn("cannot repeat a kept answer to a retransmission: {}", e.getMessage());
        }
    }

    /** What a request's retransmissions share (RFC 3261 §17.2.3), from its top Via, CSeq and Call-ID. */
    private static StatelessAnswers.Key key(Request request) {
        ViaHeader via = (ViaHeader) request.getHeader(ViaHeader.NAME);
        CSeqHeader cseq = (CSeqHeader) request.getHeader(CSeqHeader.NAME);
        String branch = via.getBranch() == null ? "" : via.getBranch();
        return new StatelessAnswers.Key(branch, via.getHost() + ":" + via.getPort(), request.getMethod(),
                callId(request), cseq.getSeqNumber());
    }

    @Override
    public void onResponse(ResponseEvent event) {
        for (SipFeature feature : features) {
            feature.onResponse(event);
        }
    }

    @Override
    public void onTimeout(TimeoutEvent event) {
        for (SipFeature feature : features) {
            feature.onTimeout(event);
        }
    }

    @Override
    public void onDialogTimeout(DialogTimeoutEvent event) {
        Dialog dialog = event.getDialog();
        if (event.getReason() != DialogTimeoutEvent.Reason.AckNotReceived || dialog == null
                || dialog.getCallId() == null) {
            return;
        }
        for (SipFeature feature : features) {
            feature.onAckNotReceived(dialog, dialog.getCallId().getCallId());
        }
    }

    private boolean isBlocked(String address) {
        for (SourceFilter filter : filters) {
            if (filter.isBlocked(address)) {
                return true;
            }
        }
        return false;
    }

    /**
     * 100 Trying, sent statelessly as soon as an INVITE is read. RFC 3261 §17.2.1 asks for one when the answer will
     * take over 200 ms, and the digest check, routing and Redis look-ups all come before the INVITE's server
     * transaction (which sends its own 100 later). A proxy in front stops its no-answer timer on the first
     * provisional reply (§16.7, §17.1.1.2: Kamailio's tm moves from fr_timer to fr_inv_timer): the edge fails an
     * INVITE over to another node only after a short silence, so without this 100 a live node slow to its first
     * answer would be taken for a dead one, and both nodes would answer the call.
     */
    private void tryingAtOnce(InboundRequest request, SipEndpoint endpoint) {
        Response trying = request.messages().responseTo(request.request(), Response.TRYING, "Trying");
        if (endpoint.respondStateless(trying)) {
            metrics.sipResponse(Response.TRYING);
        } else {
            metrics.sipSendFailed("response");
        }
    }

    /** RFC 3261 §11.2: 200 with what we allow; no body. */
    private void answerOptions(InboundRequest request) {
        Response response = request.messages().responseTo(request.request(), Response.OK);
        try {
            for (String method : allow.split(", ")) {
                AllowHeader header = request.messages().headers().createAllowHeader(method);
                response.addHeader(header);
            }
        } catch (java.text.ParseException e) {
            throw new IllegalStateException("bad Allow value " + allow, e);
        }
        request.respond(response);
    }

    private static String callId(Request request) {
        CallIdHeader id = (CallIdHeader) request.getHeader(CallIdHeader.NAME);
        return id == null ? "" : id.getCallId();
    }

    /** For logs: which feature handles which method. */
    private List<String> routes() {
        List<String> routes = new ArrayList<>();
        byMethod.forEach((method, feature) -> routes.add(method + " -> " + feature.getClass().getSimpleName()));
        return routes;
    }
}
