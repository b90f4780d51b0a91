package io.tandem.backend.queuecall;

import io.tandem.backend.acd.dispatch.OfferGrant;
import io.tandem.backend.acd.queues.QueueDefinition;
import io.tandem.backend.call.CallerSrtp;
import io.tandem.backend.call.ServiceNumbers;
import io.tandem.backend.call.SessionTimer;
import io.tandem.backend.call.TransferAdmission;
import io.tandem.backend.campaign.CampaignDialer;
import io.tandem.backend.conference.JoinTokens;
import io.tandem.backend.conference.Rooms;
import io.tandem.backend.node.sip.InboundRequest;
import io.tandem.backend.node.sip.NodeSignalling;
import io.tandem.backend.node.sip.SipFeature;
import io.tandem.backend.node.sip.TrunkSignature;
import io.tandem.backend.trunk.CarrierLeg;
import io.tandem.backend.trunk.Did;
import io.tandem.protocol.LiveCall;
import io.tandem.telephony.rtp.RtpMediaStream;
import io.tandem.telephony.sdp.SdpAnswer;
import io.tandem.telephony.sdp.SdpNegotiationException;
import io.tandem.telephony.sdp.SessionDescription;
import io.tandem.telephony.sip.SipMessages;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import javax.sip.Dialog;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.TimeoutEvent;
import javax.sip.address.SipURI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.FromHeader;
import javax.sip.message.Message;
import javax.sip.message.Request;
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

    /** RFC 4028 §6: Session Interval Too Small. */
    private static final int SESSION_INTERVAL_TOO_SMALL = 422;

    private static final Logger log = LoggerFactory.getLogger(QueueCalls.class);

    final NodeSignalling signalling;
    final OutgoingLegs legs;
    final QueueMedia media;
    final Reinvites reinvites;
    final CallRecorder recorder;
    final QueueCallThreads threads;
    private final Acd acd;
    private final Overflow overflow;
    private final Rooms rooms;
    private final CallerTrust trust;
    private final RoomJoins joins;
    private final CallerLiveness.Settings liveness;
    /** The callback tickets this node works (agent first, then the customer). */
    private final TicketCalls tickets;
    /** The campaign calls this node places (customer first, then an agent). */
    private final CampaignCalls campaigns;
    /** Callers by Call-ID, and the calls of the legs that dialled into their rooms by theirs. */
    private final Map<String, QueueCall> waiting = new ConcurrentHashMap<>();
    /** DID calls hearing a prompt, by Call-ID. */
    private final Map<String, PromptCall> prompted = new ConcurrentHashMap<>();
    /** RFC 4028 on callers' legs: the interval granted when none is asked for, the smallest taken. */
    private final SessionIntervals sessions;
    /** What an agent may transfer its caller to: what it may call itself, as for any call's transferor. */
    private final TransferAdmission transfers;

    /** {@code tandem.sip.session-expires} and {@code tandem.sip.min-session-expires}, in seconds. */
    record SessionIntervals(long sessionExpires, long minSessionExpires) {
    }

    QueueCalls(NodeSignalling signalling, Acd acd, OutgoingLegs legs, QueueMedia media, Reinvites reinvites,
            Overflow overflow, Rooms rooms, JoinTokens tokens, CallerTrust trust, CallRecorder recorder,
            QueueCallThreads threads, CallerLiveness.Settings liveness, TicketCalls tickets,
            CampaignCalls campaigns, SessionIntervals sessions, TransferAdmission transfers) {
        this.sessions = sessions;
        this.transfers = transfers;
        this.tickets = tickets;
        this.campaigns = campaigns;
        this.signalling = signalling;
        this.liveness = liveness;
        this.acd = acd;
        this.legs = legs;
        this.media = media;
        this.reinvites = reinvites;
        this.overflow = overflow;
        this.rooms = rooms;
        this.trust = trust;
        this.joins = new RoomJoins(signalling, tokens, media, reinvites, overflow, Timers.on(threads.timers()));
        this.recorder = recorder;
        this.threads = threads;
    }

    /** Queue callers this node holds (waiting, ringing or connected). */
    public int activeCalls() {
        // a call connected to a leg that dialled into its room is listed under both Call-IDs
        return (int) waiting.values().stream().distinct().count() + tickets.active() + campaigns.active();
    }

    /** The campaign calls this node places. */
    CampaignDialer campaignDialer() {
        return campaigns;
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
        if (Request.ACK.equals(request.method())) {
            QueueCall acked = waiting.get(callId);
            if (acked != null) {
                acked.onCallerAck(request.request()); // RFC 3261 §13.2.2.4: the ACK of our 2xx to the caller
            }
            return;
        }
        Optional<ServerTransaction> st = signalling.endpoint().serverTransaction(request.event());
        if (st.isEmpty()) {
            return; // a retransmission its transaction absorbs
        }
        QueueCall caller = waiting.get(callId);
        if (caller != null) {
            caller.onCallerRequest(st.get());
            return;
        }
        PromptCall prompt = prompted.get(callId);
        if (prompt != null) {
            prompt.onCallerRequest(st.get());
            return;
        }
        AgentBranch branch = legs.find(callId);
        if (branch != null) {
            branch.call.onAgentRequest(branch, st.get());
        } else {
            signalling.respond(st.get(), Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, null, null, null, null, false);
        }
    }

    @Override
    public boolean serves(String tenant, String number) {
        return ServiceNumbers.JOIN_NUMBER.matcher(number).matches() || acd.queues().find(tenant, number).isPresent();
    }

    @Override
    public Optional<RemoteRoom> roomNode(String tenant, String caller, String number) {
        return ServiceNumbers.JOIN_NUMBER.matcher(number).matches()
                ? joins.roomNode(tenant, caller, number) : Optional.empty();
    }

    @Override
    public boolean owns(String callId) {
        return callId != null && (waiting.containsKey(callId) || prompted.containsKey(callId)
                || legs.find(callId) != null);
    }

    @Override
    public void onInvite(InboundRequest in, String tenant, String caller, String number) {
        onInvite(in, tenant, caller, number, null, null);
    }

    /**
     * A caller from the public network waits like any caller; the queue log gets Asterisk's {@code DID} entry (the
     * DID and the trunk) before its {@code ENTERQUEUE}, the agent's offer data and the CDR name both.
     */
    @Override
    public void onCarrierInvite(InboundRequest in, String tenant, String caller, String number, CarrierLeg carrier) {
        onInvite(in, tenant, caller, number, carrier, null);
    }

    /**
     * A DID call of a prompt: answered from this node's media, the prompt plays (once, or looped), then BYE. An
     * INVITE without an offer (a late offer) is refused with 488: a carrier's INVITE carries one.
     */
    @Override
    public boolean onPromptInvite(InboundRequest in, String tenant, String caller, Did did, CarrierLeg carrier) {
        Optional<ServerTransaction> st = signalling.endpoint().serverTransaction(in.event());
        if (st.isEmpty()) {
            return true; // a retransmission its transaction absorbs
        }
        SessionDescription offer;
        try {
            String body = SipMessages.bodyText(in.request());
            if (body == null || body.isBlank()) {
                signalling.respond(st.get(), Response.NOT_ACCEPTABLE_HERE, "An SDP offer is required", null, null,
                        null, false);
                return true;
            }
            offer = SessionDescription.parse(body);
        } catch (Exception e) {
            signalling.respond(st.get(), Response.NOT_ACCEPTABLE_HERE, "Unreadable SDP offer", null, null, null,
                    false);
            return true;
        }
        RtpMediaStream stream;
        try {
            stream = media.open();
        } catch (IOException e) {
            log.warn("prompt DID {}@{}: {}", did.number(), tenant, e.getMessage());
            signalling.respond(st.get(), Response.SERVICE_UNAVAILABLE, "No media ports available", null, null, null,
                    false);
            return true;
        }
        String callId = callId(in.request());
        CallerLeg leg = new CallerLeg(callId, signalling, reinvites, media, stream, false);
        SdpAnswer answer;
        try {
            answer = leg.negotiate(st.get(), offer);
        } catch (SdpNegotiationException e) {
            stream.close();
            signalling.respond(st.get(), Response.NOT_ACCEPTABLE_HERE, "No common codec: prompts speak G.711", null,
                    null, null, false);
            return true;
        }
        if (!leg.openDialog()) {
            stream.close();
            signalling.respond(st.get(), Response.SERVER_INTERNAL_ERROR, "No dialog", null, null, null, false);
            return true;
        }
        PromptCall call = new PromptCall(tenant, caller, did, carrier, leg, recorder,
                () -> prompted.remove(callId));
        prompted.put(callId, call);
        recorder.carrierCall(tenant, callId, carrier);
        leg.start(answer.media(), digit -> { });
        Timers timers = Timers.on(threads.timers());
        Duration promptLength = media.promptsLength(List.of(did.destination()));
        Optional<Duration> limit = PromptCall.timeLimit(did, promptLength);
        if (did.loop()) {
            leg.hear(media.looping(did.destination()));
        } else {
            Goodbye heard = new Goodbye(media.prompts(List.of(did.destination()), frame -> false), promptLength);
            leg.hear(heard.source());
            if (limit.isEmpty()) {
                call.hangUpWhenHeard(timers, heard);
            }
        }
        limit.ifPresent(cut -> call.hangUpAfter(timers, cut));
        leg.ok(answer, did.number());
        log.info("prompt DID {}@{} from {} over trunk {}: playing {}{}", did.number(), tenant, caller,
                carrier.trunk(), did.destination(), did.loop() ? " (looped, " + did.maxSeconds() + " s)" : "");
        return true;
    }

    /**
     * A queue caller or a room's joiner whose SRTP the B2BUA ended: its leg's stream encrypts, its answer is
     * RTP/SAVP with the node's key (RFC 4568).
     */
    @Override
    public void onSrtpInvite(InboundRequest in, String tenant, String caller, String number, CarrierLeg carrier,
            CallerSrtp srtp) {
        onInvite(in, tenant, caller, number, carrier, srtp);
    }

    private void onInvite(InboundRequest in, String tenant, String caller, String number, CarrierLeg carrier,
            CallerSrtp srtp) {
        if (ServiceNumbers.JOIN_NUMBER.matcher(number).matches()) {
            joins.onInvite(in, tenant, caller, number, srtp);
            return;
        }
        Optional<QueueDefinition> queue = acd.queues().find(tenant, number);
        SessionTimer.Terms timer = SessionTimer.negotiate(in.request(), sessions.sessionExpires(),
                sessions.minSessionExpires());
        if (queue.isPresent() && timer instanceof SessionTimer.TooSmall tooSmall) {
            // RFC 4028 §9: 422 with the smallest interval we take, before the caller joins anything.
            Response response = in.messages().responseTo(in.request(), SESSION_INTERVAL_TOO_SMALL,
                    "Session Interval Too Small");
            response.setHeader(signalling.header(SessionTimer.MIN_SE, Long.toString(tooSmall.minSe())));
            in.respond(response);
            return;
        }
        Optional<ServerTransaction> st = signalling.endpoint().serverTransaction(in.event());
        if (queue.isEmpty() || st.isEmpty()) {
            if (st.isPresent()) {
                in.respond(Response.NOT_FOUND, "No such queue");
            }
            return;
        }
        // RFC 3261 §13.2.1: no body is a late offer (null): the caller's 200 offers, its ACK answers
        SessionDescription offer = null;
        try {
            String body = SipMessages.bodyText(in.request());
            if (srtp != null) {
                // The caller's SRTP ended at the B2BUA: the offer's plain form, which the caller's stream speaks.
                offer = srtp.offer();
            } else if (body != null && !body.isBlank()) {
                offer = SessionDescription.parse(body);
            }
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
        if (carrier != null) {
            details = details.with(Map.of("did", carrier.did(), "trunk", carrier.trunk()));
            recorder.carrierEntered(tenant, callId, number, carrier);
        }
        CallingParty party = new CallingParty(tenant, callId, caller, displayName(in.request()), carrier);
        CallerLeg leg = new CallerLeg(callId, signalling, reinvites, media, stream, trunk);
        if (srtp != null) {
            leg.secure(srtp);
        }
        QueueCall call = new QueueCall(new QueueSeat(acd, threads, party, details), queue.get(), leg, legs, overflow,
                rooms, threads.timers(), new CallReport(party, recorder), node, liveness, transfers);
        if (timer instanceof SessionTimer.Granted granted) {
            call.timeSession(granted, threads.timers());
        }
        // Findable before it joins: the dispatcher may place its first offer before the 200 OK is out.
        waiting.put(callId, call);
        List<OfferGrant> claimed = call.answer(st.get(), offer);
        // The claim made behind the enqueue (whatever became of this caller: its offers may be for callers ahead of
        // it). Claiming on this node at once, not after the enqueue event's trip through pub/sub, lets the caller's
        // own node win the claim and ring the agent without a hop to another node.
        // This caller's own offer was rung by the call as it answered, before its 200 OK (its route came with the
        // claim, so ringing needs no round trip; handing it to the placer thread cost a wake-up on a busy machine).
        acd.dispatcher().claimed(tenant, call.queueNumber(), claimed,
                grant -> grant.callId().equals(callId));
    }

    /**
     * Rings the agents of an offer whose caller this node holds, off the dispatcher's thread: every reserved agent
     * at each place it can be reached, routed from the bindings the claim read (Redis only when they cannot decide)
     * before the call's lock is taken.
     */
    void place(OfferGrant grant) {
        try {
            threads.placer().execute(() -> {
                MDC.put("callId", grant.callId());
                try {
                    QueueCall call = waiting.get(grant.callId());
                    TicketCall ticket = tickets.find(grant.callId());
                    CampaignCall campaign = campaigns.find(grant.callId());
                    if (call != null) {
                        call.place(grant, legs.routes(call.tenant, grant));
                    } else if (ticket != null) {
                        ticket.place(grant, legs.routes(ticket.tenant, grant));
                    } else if (campaign != null) {
                        campaign.place(grant, legs.routes(campaign.tenant(), grant));
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

    /**
     * The dispatcher drained a queue: in a queue that parks callers nobody can take, this node's callers still
     * waiting there are parked once no member is available (each decides under its own lock,
     * {@link WaitingCaller#parkIfNobodyAvailable()}), so a caller whose members all went away while it waited is not
     * left waiting. One read of the available set first keeps the common case (members available) to one round trip.
     */
    void drained(String tenant, QueueDefinition queue) {
        if (!queue.park().enabled() || !queue.park().whenNoAgent()) {
            return;
        }
        List<QueueCall> here = waiting.values().stream().filter(call -> call.tenant.equals(tenant)).distinct()
                .toList();
        if (here.isEmpty() || acd.queues().availableMembers(tenant, queue.number()) > 0) {
            return;
        }
        try {
            threads.timers().execute(() -> here.forEach(call -> {
                MDC.put("callId", call.callId);
                try {
                    call.drained(queue.number());
                } catch (RuntimeException e) {
                    log.warn("parking caller {} of {}@{} failed; the next drain tries again", call.callId,
                            queue.number(), tenant, e);
                } finally {
                    MDC.remove("callId");
                }
            }));
        } catch (RejectedExecutionException stopping) {
            log.debug("queue {} drained while the node stops", queue.number());
        }
    }

    /** The ACD ended an offer behind our back: the caller, if this node holds it, CANCELs at once. */
    void offerEnded(String callId, String offerId, String reason) {
        QueueCall call = waiting.get(callId);
        TicketCall ticket = tickets.find(callId);
        CampaignCall campaign = campaigns.find(callId);
        if (call == null && ticket == null && campaign == null) {
            return;
        }
        try {
            threads.timers().execute(() -> {
                MDC.put("callId", callId);
                try {
                    if (call != null) {
                        call.offerEnded(offerId, reason);
                    } else if (ticket != null) {
                        ticket.offerEnded(offerId, reason);
                    } else {
                        campaign.offerEnded(offerId, reason);
                    }
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
        acd.queues().find(grant.tenant(), grant.queue()).ifPresent(q -> acd.claims().release(grant.tenant(), q,
                grant.offerId(), why));
    }

    @Override
    public void onResponse(ResponseEvent event) {
        String callId = callId(event.getResponse());
        AgentBranch branch = legs.find(callId);
        if (branch != null) {
            branch.call.onResponse(branch, event);
            return;
        }
        QueueCall caller = waiting.get(callId);
        if (caller != null && isOptions(event.getResponse())) {
            caller.onProbeAnswered(event.getClientTransaction(), event.getResponse().getStatusCode());
        } else if (caller != null) {
            caller.onRefreshAnswered(event.getClientTransaction(), event.getResponse().getStatusCode());
        }
    }

    private static boolean isOptions(Message message) {
        CSeqHeader cseq = (CSeqHeader) message.getHeader(CSeqHeader.NAME);
        return cseq != null && Request.OPTIONS.equals(cseq.getMethod());
    }

    @Override
    public void onTimeout(TimeoutEvent event) {
        if (event.isServerTransaction() || event.getClientTransaction() == null) {
            return;
        }
        String callId = callId(event.getClientTransaction().getRequest());
        AgentBranch branch = legs.find(callId);
        if (branch != null && branch.branch.owns(event.getClientTransaction())) {
            // RFC 3261 §17.1.1.2 Timer B: the agent's phone never answered the INVITE
            branch.call.onTimeout(branch, event.getClientTransaction());
            return;
        }
        QueueCall caller = waiting.get(callId);
        if (caller != null) {
            // Timer F of a liveness probe or of a session refresh, if it is one
            caller.onProbeFailed(event.getClientTransaction());
        }
    }

    /** Our 200 to a caller was never ACKed (RFC 3261 §13.3.1.4): the caller is gone; end the call as its BYE would. */
    @Override
    public void onAckNotReceived(Dialog dialog, String callId) {
        PromptCall prompt = prompted.get(callId);
        if (prompt != null) {
            prompt.onAckTimeout();
        }
        QueueCall call = waiting.get(callId);
        if (call != null) {
            call.onAckTimeout(dialog);
        }
    }

    /** Supervisor monitors of this node's calls; none until {@link MonitorLegs} is built. */
    private volatile MonitorLegs monitors;

    void watch(MonitorLegs legs) {
        monitors = legs;
        tickets.watch(legs);
    }

    /** The node's side of its calls: the live list supervisors see (and monitor), the calls by Call-ID. */
    private final QueueCall.Node node = new QueueCall.Node() {
        @Override
        public void listed(QueueCall call, LiveCall.State state, String agent, String agentNode,
                Monitorable media) {
            MonitorLegs watching = monitors;
            if (watching != null) {
                long now = threads.clock().millis();
                watching.listed(call.tenant, new LiveCall(call.callId, call.queueNumber(), call.number, call.name,
                        agent, signalling.nodeId(), agentNode, state == LiveCall.State.PARKED ? 0 : now, null, state,
                        now), media);
            }
        }

        @Override
        public void unlisted(QueueCall call) {
            MonitorLegs watching = monitors;
            if (watching != null) {
                watching.ended(call.tenant, call.callId);
            }
        }

        @Override
        public void dialledIn(QueueCall call, String joinerCallId) {
            waiting.put(joinerCallId, call);
        }

        @Override
        public void ended(QueueCall call) {
            waiting.remove(call.callId, call);
            String joiner = call.joinerCallId();
            if (joiner != null) {
                waiting.remove(joiner, call);
            }
            unlisted(call);
        }
    };

    /** Node stopping: every stream closes (Redis drops this node's callers as LOSTNODE once its heartbeat ends). */
    void close() {
        waiting.values().forEach(QueueCall::close);
        List.copyOf(prompted.values()).forEach(PromptCall::close);
        tickets.close();
        campaigns.close();
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
