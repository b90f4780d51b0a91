package io.tandem.backend.queuecall;

import io.tandem.backend.acd.dispatch.CallbackRequests;
import io.tandem.backend.acd.dispatch.Callers;
import io.tandem.backend.acd.dispatch.Claims;
import io.tandem.backend.acd.dispatch.OfferGrant;
import io.tandem.backend.acd.queues.QueueDefinition;
import io.tandem.backend.cdr.CallRecord;
import io.tandem.backend.node.sip.OutgoingBranch;
import io.tandem.backend.node.sip.TrunkSignature;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.routing.Route;
import io.tandem.telephony.codec.Codecs;
import io.tandem.telephony.media.MediaDirection;
import io.tandem.telephony.media.MediaSource;
import io.tandem.telephony.rtp.RtpMediaStream;
import io.tandem.telephony.sdp.NegotiatedMedia;
import io.tandem.telephony.sdp.SdpAnswer;
import io.tandem.telephony.sdp.SdpNegotiationException;
import io.tandem.telephony.sdp.SdpNegotiator;
import io.tandem.telephony.sdp.SessionDescription;
import io.tandem.telephony.sip.SipMessages;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.header.CSeqHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One caller answered by this node for a queue: its dialog and RTP stream (music on hold while it waits), the offer
 * ringing agents for it (one or several branches), and once an agent answers the two-party bridge between the
 * caller's stream and the agent's. Every method runs under this object's monitor: SIP threads, the placer and the
 * timers race; the caller's state changes in one place. Cluster-wide facts (place in the queue, agent states) are
 * in Redis and change only through {@link Callers} and {@link Claims}.
 */
final class QueueCall {

    private static final Logger log = LoggerFactory.getLogger(QueueCall.class);

    /** LEAVING: out of every queue, hearing a goodbye before the BYE (callback request, unreachable overflow). */
    enum State { WAITING, CONNECTED, LEAVING, ENDED }

    private final QueueCalls calls;
    final String tenant;
    final String callId;
    final String number;
    final String name;
    private final boolean trunk;
    /** Priority, skills and custom data a trusted source gave in the INVITE; kept when overflowing to a queue. */
    private final CallerDetails details;
    private final Instant startedAt;
    private final RtpMediaStream stream;
    private final SdpNegotiator negotiator;
    private ServerTransaction inviteSt;
    private Dialog dialog;
    private String toTag;

    private QueueDefinition queue;
    private State state = State.WAITING;
    /** The wait for an agent: the wait in the current queue, the offers rung. */
    private final WaitingCaller waiting;
    /** Every branch this caller rang (agents, the overflow extension), until the call ends. */
    private final List<AgentBranch> branches = new ArrayList<>();
    /** The caller's music, resumed after each announcement. */
    private MediaSource music;
    private AgentBranch connected;
    private Instant answeredAt;
    /** When the caller joined (System.nanoTime), until its first offer rang someone. */
    private long enqueuedNanos;
    /** The offers of the claim made behind this caller's enqueue, until {@link QueueCalls} places them. */
    private List<OfferGrant> claimedAtJoin = List.of();
    /** The CDR cause once LEAVING. */
    private String leavingCause;
    /** The caller being put through to an overflow extension (LEAVING until it answers). */
    private ExtensionLeg extension;

    QueueCall(QueueCalls calls, String tenant, QueueDefinition queue, String callId, String number, String name,
            boolean trunk, RtpMediaStream stream, CallerDetails details) {
        this.calls = calls;
        this.details = details;
        this.tenant = tenant;
        this.queue = queue;
        this.callId = callId;
        this.number = number;
        this.name = name;
        this.trunk = trunk;
        this.stream = stream;
        this.negotiator = new SdpNegotiator(QueueMedia.G711, true);
        this.startedAt = calls.clock.instant();
        this.waiting = new WaitingCaller(queue, seat(), waitingCall(), lines(), Timers.on(calls.timers), this);
    }

    /**
     * The offers claimed when this caller joined (for it or for callers ahead), once. Its own was rung as it answered;
     * the others are placed after the answer.
     */
    synchronized List<OfferGrant> takeClaimedAtJoin() {
        List<OfferGrant> offers = claimedAtJoin;
        claimedAtJoin = List.of();
        return offers;
    }

    synchronized State state() {
        return state;
    }

    synchronized String queueNumber() {
        return queue.number();
    }

    /**
     * Answers the caller's INVITE on this node: SDP answer from our stream (G.711), the caller joins the queue
     * (refused at the door per the queue's limits: 486 full, 480 nobody to answer), then 200 OK and music.
     */
    synchronized void answer(ServerTransaction st, SessionDescription offered) {
        inviteSt = st;
        SdpAnswer answer;
        try {
            answer = negotiator.answer(offered, calls.media.localRtp(stream), MediaDirection.SENDRECV);
        } catch (SdpNegotiationException e) {
            refuse(Response.NOT_ACCEPTABLE_HERE, "No common codec: the queue speaks G.711");
            return;
        }
        try {
            dialog = calls.signalling.endpoint().provider().getNewDialog(st);
        } catch (Exception e) {
            refuse(Response.SERVER_INTERNAL_ERROR, "Cannot create the dialog");
            return;
        }
        toTag = SipMessages.newToken();
        enqueuedNanos = System.nanoTime();
        // The definition is the one this INVITE just read; QueueCalls places what the claim behind the join offered
        // once the 200 OK is out.
        Callers.Joined joined = calls.callers.join(tenant, queue, callId, number, name,
                details.priority(), details.skills(), details.data());
        claimedAtJoin = joined.offers();
        boolean overflowed = !joined.ok() && (joined.refused() == Callers.Refused.QUEUE_FULL
                || joined.refused() == Callers.Refused.QUEUE_EMPTY) && overflowAtTheDoor(joined);
        if (!joined.ok() && !overflowed) {
            switch (joined.refused()) {
                case QUEUE_FULL -> refuse(Response.BUSY_HERE, "Queue full");
                case QUEUE_EMPTY -> refuse(Response.TEMPORARILY_UNAVAILABLE, "No agent logged in to the queue");
                case ALREADY_WAITING -> refuse(Response.LOOP_DETECTED, "This call already waits in the queue");
                default -> refuse(Response.NOT_FOUND, "No such queue");
            }
            return;
        }
        NegotiatedMedia media = answer.media();
        if (state == State.LEAVING) {
            // refused at the door and sent on: answered here, then put through to the extension or told goodbye
            stream.start(media.remoteRtp(), Codecs.create(media.codec()), media.telephoneEventPayloadType());
            stream.onDtmf(calls.dtmfHandler(this));
            calls.signalling.respond(st, Response.OK, null, toTag, queue.number(), answer.description().encode(),
                    trunk);
            if (Destination.of(queue.overflow()) instanceof Destination.Extension to) {
                music = calls.media.music(queue.musicOnHold());
                stream.setSource(music);
                dialExtension(to);
                return;
            }
            sayGoodbye(calls.overflow.callback(this, queue.number(), details, Duration.ZERO,
                    joined.refused() == Callers.Refused.QUEUE_FULL ? CallbackRequests.Cause.FULL
                            : CallbackRequests.Cause.EMPTY));
            return;
        }
        ringOwnOffer();
        stream.start(media.remoteRtp(), Codecs.create(media.codec()), media.telephoneEventPayloadType());
        music = calls.media.music(queue.musicOnHold());
        stream.setSource(music);
        stream.onDtmf(calls.dtmfHandler(this));
        calls.signalling.respond(st, Response.OK, null, toTag, queue.number(), answer.description().encode(), trunk);
        startWaiting();
        log.info("queue call {} from {} waits in {}@{} at position {}", callId, number, queue.number(), tenant,
                joined.position());
    }

    /**
     * Rings the offer the claim behind this caller's join made for it, if any, before the caller's 200 OK: the agent's
     * phone rings a step sooner, and the route came with the claim, so nothing here waits on Redis. An agent's answer
     * waits for this call's lock, so it finds the caller answered. The other offers of that claim (callers ahead) are
     * {@link QueueCalls}' to place.
     */
    private void ringOwnOffer() {
        for (OfferGrant grant : claimedAtJoin) {
            if (grant.callId().equals(callId)) {
                try {
                    place(grant);
                } catch (RuntimeException e) {
                    log.warn("placing offer {} failed; its lease releases the agents", grant.offerId(), e);
                }
                return;
            }
        }
    }

    private void refuse(int status, String reason) {
        calls.signalling.respond(inviteSt, status, reason, toTag, queue.number(), null, trunk);
        end(null, "refused", "system", false);
    }

    /**
     * An offer claimed for this caller: ring every reserved agent at each place it can be reached. The agents' routes
     * come from the bindings the claim read (Redis only when they cannot decide), before taking the call's lock, so
     * a placer thread does not wait for the caller's answer to finish. The caller's own offer is placed from inside
     * {@link #answer} ({@link #ringOwnOffer}), under the lock it already holds.
     */
    void place(OfferGrant grant) {
        Map<String, Route> routes = new HashMap<>();
        for (OfferGrant.Reservation reservation : grant.agents()) {
            routes.put(reservation.agentId(),
                    calls.router.routeReserved(tenant, reservation.agentId(), reservation.contacts()));
        }
        place(grant, routes);
    }

    private synchronized void place(OfferGrant grant, Map<String, Route> routes) {
        waiting.place(grant, routes);
    }

    /** How this caller's offers ring agents: a stream of its own per branch, the INVITE from the caller. */
    private RingingOffer.Lines lines() {
        return new RingingOffer.Lines() {
            @Override
            public AgentBranch ring(OfferGrant grant, OfferGrant.Reservation reservation, Route.Target target) {
                return ringAgent(grant, reservation, target);
            }

            @Override
            public void release(AgentBranch branch) {
                dropBranch(branch, false);
            }
        };
    }

    /** The caller's place in the cluster-wide queue. */
    private WaitingCaller.Seat seat() {
        return new WaitingCaller.Seat() {
            @Override
            public void leave(String queueNumber, Callers.Exit exit, String key, String destination) {
                calls.callers.leave(tenant, queueNumber, callId, exit, key, destination);
            }

            @Override
            public void release(QueueDefinition of, OfferGrant grant, String why) {
                calls.claims.release(tenant, of, grant.offerId(), why);
            }

            @Override
            public RingingOffer.Reports reports(QueueDefinition of, OfferGrant grant) {
                return new RingingOffer.Reports() {
                    @Override
                    public Claims.Answer accept(String agentId, long version) {
                        return calls.claims.accept(tenant, of, grant.offerId(), agentId, version);
                    }

                    @Override
                    public String noAnswer(String agentId) {
                        return calls.claims.noAnswer(tenant, of, grant.offerId(), agentId);
                    }
                };
            }

            @Override
            public void offerAgainLater(QueueDefinition of) {
                calls.redispatchLater(tenant, of);
            }
        };
    }

    /** What the wait asks of this call. */
    private WaitingCaller.Call waitingCall() {
        return new WaitingCaller.Call() {
            @Override
            public boolean waiting() {
                return state == State.WAITING;
            }

            @Override
            public void connect(AgentBranch branch, NegotiatedMedia media) {
                connectAgent(branch, media);
            }

            @Override
            public void leaveFor(Callers.Exit exit, Destination destination, String cause) {
                QueueCall.this.leaveFor(exit, destination, cause);
            }

            @Override
            public void announce(QueueDefinition.Announcements what) {
                QueueCall.this.announce(what);
            }
        };
    }

    private AgentBranch ringAgent(OfferGrant grant, OfferGrant.Reservation reservation, Route.Target target) {
        OutgoingMedia media;
        try {
            media = calls.media.outgoing();
        } catch (IOException e) {
            log.warn("offer {}: no RTP port for agent {}: {}", grant.offerId(), reservation.agentId(), e.getMessage());
            return null;
        }
        AgentBranch branch = new AgentBranch(this, grant, reservation, target,
                calls.signalling.branch(SipMessages.newToken() + "@tandem"), media.stream(), media.negotiator());
        calls.register(branch);
        if (!branch.invite(calls.signalling, number, name, tenant, media.offer())) {
            calls.forget(branch);
            media.stream().close();
            return null;
        }
        branches.add(branch);
        if (enqueuedNanos != 0) {
            calls.dispatchLatency.record(System.nanoTime() - enqueuedNanos, TimeUnit.NANOSECONDS);
            enqueuedNanos = 0;
        }
        return branch;
    }

    /** A response to the INVITE of one of this caller's branches. */
    synchronized void onResponse(AgentBranch branch, ResponseEvent event) {
        Response response = event.getResponse();
        CSeqHeader cseq = (CSeqHeader) response.getHeader(CSeqHeader.NAME);
        if (!Request.INVITE.equals(cseq.getMethod())) {
            return;
        }
        int status = response.getStatusCode();
        ClientTransaction tx = event.getClientTransaction();
        if (branch.agentNode == null && branch.branch.owns(tx) && !branch.branch.isFinal()) {
            String node = TrunkSignature.value(response, TrunkSignature.NODE);
            branch.agentNode = node != null && Keys.NODE.matcher(node).matches() ? node
                    : branch.target.viaTrunk() ? branch.target.trunkNode() : calls.signalling.nodeId();
        }
        onStep(branch, branch.branch.onResponse(tx, event.getDialog(), status, cseq.getSeqNumber()), response);
    }

    /** RFC 3261 §17.1.1.2 Timer B: the phone never answered the INVITE of one of this caller's branches. */
    synchronized void onTimeout(AgentBranch branch, ClientTransaction tx) {
        onStep(branch, branch.branch.onTimeout(tx), null);
    }

    /** What the branch's INVITE came to, for this caller; {@code response} null on a timeout. */
    private void onStep(AgentBranch branch, OutgoingBranch.Step step, Response response) {
        if (branch.toExtension()) {
            extension.onStep(branch, step, response, state == State.LEAVING);
            return;
        }
        waiting.onStep(branch, step, response == null ? null : SipMessages.bodyText(response));
    }

    /** An agent answered and the claim scripts accepted it: the caller's stream and the agent's are bridged. */
    private void connectAgent(AgentBranch branch, NegotiatedMedia media) {
        connected = branch;
        answeredAt = calls.clock.instant();
        state = State.CONNECTED;
        branch.stream.start(media.remoteRtp(), Codecs.create(media.codec()), media.telephoneEventPayloadType());
        calls.bridged(this, branch, new CallBridge(stream, branch.stream));
        log.info("queue call {} from {} connected to agent {} on {} (queue {}@{})", callId, number, branch.agentId,
                branch.agentNode, queue.number(), tenant);
    }

    /** A BYE, CANCEL, re-INVITE or INFO on the caller's dialog. */
    synchronized void onCallerRequest(ServerTransaction st) {
        String method = st.getRequest().getMethod();
        switch (method) {
            case Request.BYE -> {
                calls.signalling.respond(st, Response.OK, null, null, null, null, trunk);
                if (state == State.CONNECTED) {
                    connected.branch.bye();
                    end(connected, "normal", "caller", false);
                } else if (state == State.WAITING) {
                    abandon();
                } else if (state == State.LEAVING) {
                    if (extension != null) {
                        extension.cancel();
                    }
                    end(null, leavingCause, "caller", false);
                }
            }
            case Request.CANCEL -> calls.signalling.respond(st, Response.OK, null, null, null, null, trunk);
            case Request.INVITE -> calls.reanswer(st, stream, negotiator, queue.number(), trunk);
            default -> calls.signalling.respond(st, state == State.ENDED
                    ? Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST : Response.OK, null, null, null, null, trunk);
        }
    }

    /**
     * The caller never ACKed our 200 (RFC 3261 §13.3.1.4): it gets a BYE and the call ends as if it had hung up — an
     * abandon while waiting, the agent hung up when connected — instead of waiting in the queue for nobody.
     */
    synchronized void onAckTimeout(Dialog timedOut) {
        if (timedOut != dialog || state == State.ENDED) {
            return;
        }
        calls.signalling.bye(dialog);
        if (state == State.CONNECTED) {
            connected.branch.bye();
            end(connected, "no-ack", "system", false);
        } else if (state == State.WAITING) {
            abandon();
        } else {
            if (extension != null) {
                extension.cancel();
            }
            end(null, "no-ack", "system", false);
        }
    }

    /** A request on an agent's dialog (its BYE, a re-INVITE). */
    synchronized void onAgentRequest(AgentBranch branch, ServerTransaction st) {
        String method = st.getRequest().getMethod();
        if (Request.INVITE.equals(method)) {
            calls.reanswer(st, branch.stream, branch.negotiator, number, false);
            return;
        }
        calls.signalling.respond(st, Response.OK, null, null, null, null, false);
        if (Request.BYE.equals(method)) {
            if (branch == connected && state == State.CONNECTED) {
                calls.signalling.bye(dialog);
                end(connected, "normal", "callee", true);
            } else {
                dropBranch(branch, false);
            }
        }
    }

    /** The caller hung up without an agent: its ringing offer is cancelled, ABANDON logged. */
    private void abandon() {
        waiting.hungUp();
        end(null, "abandoned", "caller", false);
    }

    /** An RFC 4733 digit from the caller: the queue's exit key leaves to its destination. */
    synchronized void onDigit(char digit) {
        waiting.digit(digit);
    }

    /**
     * The caller left the queue without an agent (EXITWITHKEY / EXITWITHTIMEOUT) for a destination: another queue
     * keeps the caller on this node with its music; an extension is put through, a callback request confirmed;
     * nowhere (or a queue it cannot join) ends the call.
     */
    private void leaveFor(Callers.Exit exit, Destination destination, String cause) {
        if (destination instanceof Destination.Queue to) {
            Optional<QueueDefinition> next = join(to);
            if (next.isPresent()) {
                log.info("queue call {} left {} ({}) for queue {}", callId, queue.number(), cause,
                        next.get().number());
                queue = next.get();
                music = calls.media.music(queue.musicOnHold());
                stream.setSource(music);
                startWaiting();
                return;
            }
        }
        if (destination instanceof Destination.Extension to) {
            cancelTimers();
            state = State.LEAVING;
            leavingCause = cause;
            dialExtension(to);
            return;
        }
        if (destination instanceof Destination.Callback) {
            cancelTimers();
            state = State.LEAVING;
            leavingCause = "callback";
            sayGoodbye(calls.overflow.callback(this, queue.number(), details,
                    Duration.between(startedAt, calls.clock.instant()),
                    exit == Callers.Exit.EXIT_KEY ? CallbackRequests.Cause.KEY
                            : CallbackRequests.Cause.TIMEOUT));
            return;
        }
        calls.signalling.bye(dialog);
        end(null, cause, "system", false);
    }

    /**
     * A full queue or a refused join whose queue overflows elsewhere (FULL / JOINEMPTY are already in the queue log):
     * to another queue (true: the caller joined it, {@code queue} is now that one) or to a callback (true, LEAVING).
     * False: no usable destination, the door's refusal stands.
     */
    private boolean overflowAtTheDoor(Callers.Joined refused) {
        Destination destination = Destination.of(queue.overflow());
        if (destination instanceof Destination.Queue to) {
            Optional<QueueDefinition> next = to.number().equals(queue.number()) ? Optional.empty() : join(to);
            if (next.isPresent()) {
                log.info("queue call {}: {} refused it ({}), overflows to queue {}", callId, queue.number(),
                        refused.refused(), next.get().number());
                queue = next.get();
                waiting.moveTo(queue);
            }
            return next.isPresent();
        }
        if (destination instanceof Destination.Callback || destination instanceof Destination.Extension) {
            state = State.LEAVING;
            leavingCause = destination instanceof Destination.Callback ? "callback"
                    : refused.refused() == Callers.Refused.QUEUE_FULL ? "full" : "join-empty";
            return true;
        }
        return false;
    }

    /**
     * Joins the caller to another queue of the tenant (priority, skills and data kept); empty when there is no such
     * queue or it refused the caller.
     */
    private Optional<QueueDefinition> join(Destination.Queue to) {
        Optional<QueueDefinition> next = calls.queues.find(tenant, to.number());
        if (next.isEmpty()) {
            return next;
        }
        Callers.Joined joined = calls.callers.enqueue(tenant, next.get().number(), callId, number, name,
                details.priority(), details.skills(), details.data());
        return joined.ok() ? next : Optional.empty();
    }

    /** Puts the (answered) caller through to an extension ({@link ExtensionLeg}); the music plays until it answers. */
    private void dialExtension(Destination.Extension destination) {
        extension = new ExtensionLeg(this, calls, destination);
        AgentBranch leg = extension.dial(queue.ringTimeoutSeconds());
        if (leg != null) {
            branches.add(leg);
            log.info("queue call {} from {} put through from {} to extension {}", callId, number, queue.number(),
                    destination.number());
        }
    }

    /** The overflow extension answered: the caller's stream and the extension's are bridged as with an agent. */
    void extensionAnswered(AgentBranch leg, NegotiatedMedia media) {
        connected = leg;
        answeredAt = calls.clock.instant();
        state = State.CONNECTED;
        leg.stream.start(media.remoteRtp(), Codecs.create(media.codec()), media.telephoneEventPayloadType());
        FramePipe toExtension = new FramePipe();
        FramePipe toCaller = new FramePipe();
        stream.setSink(toExtension);
        leg.stream.setSource(toExtension);
        leg.stream.setSink(toCaller);
        stream.setSource(toCaller);
        log.info("queue call {} from {} connected to extension {} on {} (overflow of {}@{})", callId, number,
                leg.agentId, leg.agentNode, queue.number(), tenant);
    }

    /** 404/480/486/no answer from the overflow extension: a callback request when the destination allows. */
    void extensionFailed(int status) {
        Destination.Extension to = extension.destination;
        log.info("queue call {} from {}: extension {} not reached ({}); {}", callId, number, to.number(), status,
                to.orCallback() ? "callback request" : "goodbye");
        if (to.orCallback()) {
            leavingCause = "callback";
            sayGoodbye(calls.overflow.callback(this, queue.number(), details,
                    Duration.between(startedAt, calls.clock.instant()),
                    CallbackRequests.Cause.UNREACHABLE));
        } else {
            leavingCause = "unreachable";
            sayGoodbye(calls.overflow.sorry());
        }
    }

    /** Plays the goodbye (callback confirmation, apology) and hangs up once it has been heard. */
    private void sayGoodbye(Overflow.Goodbye goodbye) {
        stream.setSource(goodbye.source());
        calls.timers.schedule(this::goodbyeSaid, goodbye.hangUpAfter().toMillis(), TimeUnit.MILLISECONDS);
    }

    private synchronized void goodbyeSaid() {
        if (state == State.LEAVING) {
            calls.signalling.bye(dialog);
            end(null, leavingCause, "system", false);
        }
    }

    /**
     * The ACD ended the ringing offer behind our back (a supervisor freed or logged out the agent, its lease ran
     * out, the caller was moved): CANCEL what still rings now rather than at the ring timeout (RFC 3261 §9.1). The
     * script already put the caller back in its place; it is offered again after the retry delay.
     */
    synchronized void offerEnded(String offerId, String reason) {
        waiting.offerEnded(offerId, reason);
    }

    /** A wait starts in {@code queue} (the caller joined it, or moved to it): the previous one stops. */
    private void startWaiting() {
        waiting.moveTo(queue);
        waiting.startWaiting();
    }

    /**
     * Tells a waiting caller its position and estimated wait (both from Redis, so every node would say the same),
     * then the music resumes.
     */
    private void announce(QueueDefinition.Announcements a) {
        var entry = calls.callers.find(tenant, queue.number(), callId);
        if (entry.isPresent()) {
            int position = entry.get().position();
            Duration estimated = calls.callers.estimatedWait(tenant, queue.number(), position,
                    calls.clock.instant());
            stream.setSource(calls.media.announcement(a, position, estimated, music));
            log.debug("queue call {}: announced position {} and wait {}", callId, position, estimated);
        }
    }

    /** Ends a branch that will not carry the call: BYE if it was answered, its stream closed. */
    private void dropBranch(AgentBranch branch, boolean bye) {
        if (bye) {
            branch.branch.bye();
        }
        branch.stream.close();
        if (branch.branch.isFinal()) {
            calls.forget(branch); // unfinished branches stay findable until their final response
        }
    }

    /** The caller's node is shutting down: its streams close; Redis learns of the loss from the heartbeat. */
    synchronized void close() {
        if (state != State.ENDED) {
            state = State.ENDED;
            cancelTimers();
            stream.close();
            branches.forEach(b -> b.stream.close());
        }
    }

    private void end(AgentBranch agent, String cause, String hungUpBy, boolean agentHungUp) {
        if (state == State.ENDED) {
            return;
        }
        state = State.ENDED;
        cancelTimers();
        stream.close();
        for (AgentBranch branch : branches) {
            branch.stream.close();
            if (branch.branch.isFinal()) {
                calls.forget(branch);
            }
        }
        calls.forget(this);
        if (agent != null) {
            calls.unbridged(this);
        }
        if (agent != null && !agent.toExtension()) {
            calls.owed("queue call " + callId + ": end of " + agent.agentId + "'s call",
                    () -> calls.claims.callEnded(tenant, queue, agent.agentId, agentHungUp));
        }
        if (!"refused".equals(cause)) {
            List<String> nodes = agent == null || agent.agentNode == null
                    || agent.agentNode.equals(calls.signalling.nodeId()) ? List.of(calls.signalling.nodeId())
                    : List.of(calls.signalling.nodeId(), agent.agentNode);
            CallRecord record = new CallRecord(callId, tenant, number, queue.number(), nodes, startedAt, answeredAt,
                    calls.clock.instant(), cause, hungUpBy);
            calls.owed("queue call " + callId + ": its record",
                    () -> calls.record(record, agent == null || agent.toExtension() ? "" : agent.agentId,
                            agent != null && agent.toExtension() ? agent.agentId : ""));
        }
        log.info("queue call {} from {} in {}@{} ended: {} (by {})", callId, number, queue.number(), tenant, cause,
                hungUpBy);
    }

    /** The caller's own timers; a ringing offer's ring timer is the offer's. */
    private void cancelTimers() {
        waiting.stop();
    }
}
