package io.tandem.backend.queuecall;

import io.micrometer.core.instrument.Timer;
import io.tandem.backend.acd.dispatch.Callers;
import io.tandem.backend.acd.dispatch.Claims;
import io.tandem.backend.acd.dispatch.Dispatcher;
import io.tandem.backend.acd.dispatch.OfferGrant;
import io.tandem.backend.acd.queues.QueueDefinition;
import io.tandem.backend.acd.queues.Queues;
import io.tandem.backend.call.ServiceNumbers;
import io.tandem.backend.cdr.CallRecord;
import io.tandem.backend.cdr.CallRecords;
import io.tandem.backend.node.sip.InboundRequest;
import io.tandem.backend.node.sip.NodeSignalling;
import io.tandem.backend.node.sip.SipFeature;
import io.tandem.backend.node.sip.TrunkSignature;
import io.tandem.backend.redis.OwedWrites;
import io.tandem.backend.routing.CallRouter;
import io.tandem.telephony.codec.Codecs;
import io.tandem.telephony.media.MediaDirection;
import io.tandem.telephony.sdp.NegotiatedMedia;
import io.tandem.telephony.sdp.SdpAnswer;
import io.tandem.telephony.sdp.SdpNegotiator;
import io.tandem.telephony.rtp.RtpMediaStream;
import io.tandem.telephony.sdp.SessionDescription;
import io.tandem.telephony.sip.SipMessages;
import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.sip.Dialog;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.TimeoutEvent;
import javax.sip.address.SipURI;
import javax.sip.header.CallIdHeader;
import javax.sip.header.FromHeader;
import javax.sip.message.Message;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Queue calls on this node: a caller dialling a queue number is answered here (the B2BUA hands it over as a
 * {@link ServiceNumbers} number), hears music and waits in the cluster-wide queue; offers for callers of this node
 * (claimed by any node) ring the reserved agents from here. Finds its callers and agent branches by Call-ID; as a
 * {@link SipFeature} it claims no method but hears the responses and timeouts of the INVITEs it sends.
 */
public final class QueueCalls implements ServiceNumbers, SipFeature {

    private static final Logger log = LoggerFactory.getLogger(QueueCalls.class);

    final NodeSignalling signalling;
    final Queues queues;
    final Callers callers;
    final Claims claims;
    final CallRouter router;
    final QueueMedia media;
    /** Caller enqueued → first offer INVITE sent (includes waiting for a free agent when none was). */
    final Timer dispatchLatency;
    final ScheduledExecutorService timers;
    final Clock clock;
    final Overflow overflow;
    private final CallerTrust trust;
    private final Dispatcher dispatcher;
    private final CallRecords records;
    private final OwedWrites writes;
    private final ExecutorService placer;
    private final Map<String, QueueCall> waiting = new ConcurrentHashMap<>();
    private final Map<String, AgentBranch> branches = new ConcurrentHashMap<>();

    QueueCalls(NodeSignalling signalling, Queues queues, Callers callers, Claims claims, CallRouter router,
            Dispatcher dispatcher, CallRecords records, QueueMedia media, ScheduledExecutorService timers,
            ExecutorService placer, Clock clock, Timer dispatchLatency, OwedWrites writes, Overflow overflow,
            CallerTrust trust) {
        this.overflow = overflow;
        this.trust = trust;
        this.signalling = signalling;
        this.queues = queues;
        this.callers = callers;
        this.claims = claims;
        this.router = router;
        this.dispatcher = dispatcher;
        this.records = records;
        this.writes = writes;
        this.media = media;
        this.dispatchLatency = dispatchLatency;
        this.timers = timers;
        this.placer = placer;
        this.clock = clock;
    }

    /** Queue callers this node holds (waiting, ringing or connected). */
    public int activeCalls() {
        return waiting.size();
    }

    /** Position / wait announcements played to callers of this node. */
    public long announcementsPlayed() {
        return media.announcementsPlayed();
    }

    @Override
    public Set<String> methods() {
        return Set.of(); // requests reach us through the B2BUA (ServiceNumbers); we only hear responses
    }

    @Override
    public void onRequest(InboundRequest request) {
        String callId = callId(request.request());
        Optional<ServerTransaction> st = signalling.endpoint().serverTransaction(request.event());
        if (javax.sip.message.Request.ACK.equals(request.method()) || st.isEmpty()) {
            return; // RFC 3261 §13.3.1.4: the ACK of our 2xx; the dialog absorbed it
        }
        QueueCall caller = waiting.get(callId);
        if (caller != null) {
            caller.onCallerRequest(st.get());
            return;
        }
        AgentBranch branch = branches.get(callId);
        if (branch != null) {
            branch.call.onAgentRequest(branch, st.get());
        } else {
            signalling.respond(st.get(), Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, null, null, null, null, false);
        }
    }

    @Override
    public boolean serves(String tenant, String number) {
        return queues.find(tenant, number).isPresent();
    }

    @Override
    public boolean owns(String callId) {
        return callId != null && (waiting.containsKey(callId) || branches.containsKey(callId));
    }

    @Override
    public void onInvite(InboundRequest in, String tenant, String caller, String number) {
        Optional<QueueDefinition> queue = queues.find(tenant, number);
        Optional<ServerTransaction> st = signalling.endpoint().serverTransaction(in.event());
        if (queue.isEmpty() || st.isEmpty()) {
            if (st.isPresent()) {
                in.respond(Response.NOT_FOUND, "No such queue");
            }
            return;
        }
        SessionDescription offer;
        try {
            offer = SessionDescription.parse(SipMessages.bodyText(in.request()));
        } catch (Exception e) {
            signalling.respond(st.get(), Response.NOT_ACCEPTABLE_HERE, "Unreadable SDP offer", null, null, null,
                    false);
            return;
        }
        RtpMediaStream stream;
        try {
            stream = media.open();
        } catch (IOException e) {
            log.warn("queue call to {}@{}: {}", number, tenant, e.getMessage());
            signalling.respond(st.get(), Response.SERVICE_UNAVAILABLE, "No media ports available", null, null, null,
                    false);
            return;
        }
        String callId = callId(in.request());
        boolean trunk = in.request().getHeader(TrunkSignature.SIGNATURE) != null;
        CallerDetails details;
        try {
            details = trust.detailsOf(in.request(), trunk, in.sourceAddress(), callId);
        } catch (CallerDetails.Malformed e) {
            stream.close();
            signalling.respond(st.get(), Response.BAD_REQUEST, e.getMessage(), null, null, null, trunk);
            return;
        }
        QueueCall call = new QueueCall(this, tenant, queue.get(), callId, caller, displayName(in.request()), trunk,
                stream, details);
        // Findable before it joins: the dispatcher may place its first offer before the 200 OK is out.
        waiting.put(callId, call);
        call.answer(st.get(), offer);
        // The claim made behind the enqueue (whatever became of this caller: its offers may be for callers ahead of
        // it). Claiming on this node at once, not after the enqueue event's trip through pub/sub, lets the caller's
        // own node win the claim and ring the agent without a hop to another node.
        // This caller's own offer was rung by the call as it answered, before its 200 OK (its route came with the
        // claim, so ringing needs no round trip; handing it to the placer thread cost a wake-up on a busy machine).
        dispatcher.claimed(tenant, call.queueNumber(), call.takeClaimedAtJoin(),
                grant -> grant.callId().equals(callId));
    }

    /** Rings the agents of an offer whose caller this node holds (off the dispatcher's thread). */
    void place(OfferGrant grant) {
        try {
            placer.execute(() -> {
                MDC.put("callId", grant.callId());
                try {
                    QueueCall call = waiting.get(grant.callId());
                    if (call != null) {
                        call.place(grant);
                    } else {
                        // No SIP caller here: it left (Callers.leave already ended its offer) or it was queued
                        // without a call (an API client); the lease frees the agents as with no placer at all.
                        log.info("offer {}: caller {} has no call on this node; left to its lease", grant.offerId(),
                                grant.callId());
                    }
                } catch (RuntimeException e) {
                    log.warn("placing offer {} failed; its lease releases the agents", grant.offerId(), e);
                } finally {
                    MDC.remove("callId");
                }
            });
        } catch (RejectedExecutionException shuttingDown) {
            log.info("offer {} not placed: node stopping", grant.offerId());
        }
    }

    /** The ACD ended an offer behind our back: the caller, if this node holds it, CANCELs at once. */
    void offerEnded(String callId, String offerId, String reason) {
        QueueCall call = waiting.get(callId);
        if (call == null) {
            return;
        }
        try {
            timers.execute(() -> {
                MDC.put("callId", callId);
                try {
                    call.offerEnded(offerId, reason);
                } finally {
                    MDC.remove("callId");
                }
            });
        } catch (RejectedExecutionException stopping) {
            log.debug("offer {} ended while the node stops", offerId);
        }
    }

    /** Ends an offer nobody here will ring. */
    void release(OfferGrant grant, String why) {
        queues.find(grant.tenant(), grant.queue()).ifPresent(q -> claims.release(grant.tenant(), q,
                grant.offerId(), why));
    }

    @Override
    public void onResponse(ResponseEvent event) {
        AgentBranch branch = branches.get(callId(event.getResponse()));
        if (branch != null) {
            branch.call.onResponse(branch, event);
        }
    }

    @Override
    public void onTimeout(TimeoutEvent event) {
        if (event.isServerTransaction() || event.getClientTransaction() == null) {
            return;
        }
        AgentBranch branch = branches.get(callId(event.getClientTransaction().getRequest()));
        if (branch != null && branch.branch.owns(event.getClientTransaction())) {
            // RFC 3261 §17.1.1.2 Timer B: the agent's phone never answered the INVITE
            branch.call.onTimeout(branch, event.getClientTransaction());
        }
    }

    /** Our 200 to a caller was never ACKed (RFC 3261 §13.3.1.4): the caller is gone; end the call as its BYE would. */
    @Override
    public void onAckNotReceived(Dialog dialog, String callId) {
        QueueCall call = waiting.get(callId);
        if (call != null) {
            call.onAckTimeout(dialog);
        }
    }

    /** Supervisor monitors of this node's calls; none until {@link MonitorLegs} is built. */
    private volatile MonitorLegs monitors;

    void watch(MonitorLegs legs) {
        monitors = legs;
    }

    /** An agent answered {@code call}: it is listed live and may be monitored through its bridge. */
    void bridged(QueueCall call, AgentBranch agent, CallBridge bridge) {
        MonitorLegs legs = monitors;
        if (legs != null) {
            legs.connected(call.tenant, new io.tandem.protocol.LiveCall(call.callId, call.queueNumber(), call.number,
                    call.name, agent.agentId, signalling.nodeId(), agent.agentNode, clock.millis(), null), bridge);
        }
    }

    /** {@code call} ended: off the live list, its monitor hung up. */
    void unbridged(QueueCall call) {
        MonitorLegs legs = monitors;
        if (legs != null) {
            legs.ended(call.tenant, call.callId);
        }
    }

    void register(AgentBranch branch) {
        branches.put(branch.callId(), branch);
    }

    void forget(AgentBranch branch) {
        branches.remove(branch.callId(), branch);
    }

    void forget(QueueCall call) {
        waiting.remove(call.callId, call);
    }

    /** The caller may be offered again after the queue's retry delay: ask for a claim then. */
    void redispatchLater(String tenant, QueueDefinition queue) {
        timers.schedule(() -> dispatcher.queueChanged(tenant, queue.number()),
                queue.retryDelaySeconds() * 1000L + 50, TimeUnit.MILLISECONDS);
    }

    Consumer<Character> dtmfHandler(QueueCall call) {
        return digit -> {
            try {
                call.onDigit(digit);
            } catch (RuntimeException e) {
                log.warn("queue call {}: digit {} failed", call.callId, digit, e);
            }
        };
    }

    /**
     * RFC 3264 §8: a new offer in a dialog of ours (hold, session refresh; a caller's, an agent's, a supervisor's)
     * is answered from the same stream; a caller that came over the trunk learns this node's id.
     */
    void reanswer(ServerTransaction st, RtpMediaStream on, SdpNegotiator sdp, String contactUser, boolean trunkLeg) {
        try {
            SdpAnswer answer = sdp.answer(SessionDescription.parse(SipMessages.bodyText(st.getRequest())),
                    media.localRtp(on), MediaDirection.SENDRECV);
            NegotiatedMedia media = answer.media();
            on.start(media.remoteRtp(), Codecs.create(media.codec()), media.telephoneEventPayloadType());
            on.setDirection(media.direction());
            signalling.respond(st, Response.OK, null, null, contactUser, answer.description().encode(), trunkLeg);
        } catch (Exception e) {
            signalling.respond(st, Response.NOT_ACCEPTABLE_HERE, "Unusable SDP offer", null, null, null, trunkLeg);
        }
    }

    void record(CallRecord record, String agent, String extension) {
        try {
            records.append(record, extension.isEmpty() ? Map.of("queue", record.to(), "agent", agent)
                    : Map.of("queue", record.to(), "agent", agent, "extension", extension));
        } catch (io.lettuce.core.RedisException e) {
            throw e; // Redis away: owed() retries it
        } catch (RuntimeException e) {
            log.warn("queue call {}: cannot write its record: {}", record.callId(), e.getMessage());
        }
    }

    /**
     * Runs a write a call's end owes the cluster (the agent leaving ON_CALL, the call's record). The call itself ends
     * whatever Redis does; while Redis is away the write is retried every second, so once it is back the agent
     * becomes available again instead of staying ON_CALL for good.
     */
    void owed(String what, Runnable write) {
        writes.now(what, write);
    }

    /** Node stopping: every stream closes (Redis drops this node's callers as LOSTNODE once its heartbeat ends). */
    void close() {
        waiting.values().forEach(QueueCall::close);
    }

    private static String displayName(Message request) {
        FromHeader from = (FromHeader) request.getHeader(FromHeader.NAME);
        String display = from.getAddress().getDisplayName();
        if (display != null && !display.isBlank()) {
            return display;
        }
        return from.getAddress().getURI() instanceof SipURI uri ? uri.getUser() : "";
    }

    private static String callId(Message message) {
        CallIdHeader id = (CallIdHeader) message.getHeader(CallIdHeader.NAME);
        return id == null ? null : id.getCallId();
    }
}
