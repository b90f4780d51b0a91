package io.tandem.backend.queuecall;

import io.tandem.backend.acd.dispatch.CallbackRequests;
import io.tandem.backend.acd.dispatch.Callers;
import io.tandem.backend.acd.dispatch.Claims;
import io.tandem.backend.acd.dispatch.OfferGrant;
import io.tandem.backend.acd.queues.QueueDefinition;
import io.tandem.backend.cdr.CallRecord;
import io.tandem.backend.node.sip.TrunkSignature;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.routing.Route;
import io.tandem.telephony.codec.Codecs;
import io.tandem.telephony.media.MediaDirection;
import io.tandem.telephony.rtp.RtpMediaStream;
import io.tandem.telephony.sdp.NegotiatedMedia;
import io.tandem.telephony.sdp.SdpAnswer;
import io.tandem.telephony.sdp.SdpNegotiator;
import io.tandem.telephony.sdp.SessionDescription;
import io.tandem.telephony.sip.SipMessages;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
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
    private OfferGrant offer;
    private final List<AgentBranch> branches = new ArrayList<>();
    /** Agents of the current offer whose outcome was already reported to {@link Claims}. */
    private final Set<String> reported = new HashSet<>();
    private ScheduledFuture<?> ringTimer;
    private ScheduledFuture<?> maxWaitTimer;
    private ScheduledFuture<?> announceTimer;
    /** The caller's music, resumed after each announcement. */
    private io.tandem.telephony.media.MediaSource music;
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
        this.negotiator = new SdpNegotiator(QueueCalls.G711, true);
        this.startedAt = calls.clock.instant();
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
            answer = negotiator.answer(offered, calls.localRtp(stream), MediaDirection.SENDRECV);
        } catch (io.tandem.telephony.sdp.SdpNegotiationException e) {
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
            if ("extension".equals(queue.overflow().kind())) {
                music = calls.music.player(queue.musicOnHold());
                stream.setSource(music);
                dialExtension(queue.overflow());
                return;
            }
            sayGoodbye(calls.overflow.callback(this, queue.number(), details, java.time.Duration.ZERO,
                    joined.refused() == Callers.Refused.QUEUE_FULL ? CallbackRequests.Cause.FULL
                            : CallbackRequests.Cause.EMPTY));
            return;
        }
        ringOwnOffer();
        stream.start(media.remoteRtp(), Codecs.create(media.codec()), media.telephoneEventPayloadType());
        music = calls.music.player(queue.musicOnHold());
        stream.setSource(music);
        stream.onDtmf(calls.dtmfHandler(this));
        calls.signalling.respond(st, Response.OK, null, toTag, queue.number(), answer.description().encode(), trunk);
        armMaxWait();
        armAnnouncements();
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
        if (state != State.WAITING || offer != null) {
            // the caller left (or connected) since the claim; Callers.leave already ended a ringing offer
            calls.claims.release(tenant, queue, grant.offerId(), state == State.WAITING ? "busy" : "caller-gone");
            return;
        }
        offer = grant;
        reported.clear();
        for (OfferGrant.Reservation reservation : grant.agents()) {
            Route route = routes.get(reservation.agentId());
            boolean sent = false;
            if (route instanceof Route.Ring ring) {
                for (Route.Target target : ring.targets()) {
                    sent |= ring(grant, reservation, target);
                }
            }
            if (!sent) {
                log.info("offer {}: agent {} cannot be reached ({})", grant.offerId(), reservation.agentId(),
                        route.getClass().getSimpleName());
                noAnswer(reservation.agentId());
            }
        }
        if (offerOver()) {
            return;
        }
        ringTimer = calls.timers.schedule(() -> ringTimeout(grant.offerId()), queue.ringTimeoutSeconds(),
                TimeUnit.SECONDS);
    }

    private boolean ring(OfferGrant grant, OfferGrant.Reservation reservation, Route.Target target) {
        RtpMediaStream agentStream;
        try {
            agentStream = calls.streams.open(calls.mediaBind);
        } catch (IOException e) {
            log.warn("offer {}: no RTP port for agent {}: {}", grant.offerId(), reservation.agentId(), e.getMessage());
            return false;
        }
        SdpNegotiator agentSdp = new SdpNegotiator(QueueCalls.G711, true);
        AgentBranch branch = new AgentBranch(this, grant, reservation, target, SipMessages.newToken() + "@tandem",
                agentStream, agentSdp);
        String sdp = agentSdp.createOffer(calls.localRtp(agentStream), MediaDirection.SENDRECV).encode();
        calls.register(branch);
        if (!calls.signalling.invite(branch, number, name, tenant, sdp)) {
            calls.forget(branch);
            agentStream.close();
            return false;
        }
        branches.add(branch);
        if (enqueuedNanos != 0) {
            calls.dispatchLatency.record(System.nanoTime() - enqueuedNanos, TimeUnit.NANOSECONDS);
            enqueuedNanos = 0;
        }
        return true;
    }

    /** A response to the INVITE of one of this caller's branches. */
    synchronized void onResponse(AgentBranch branch, ResponseEvent event) {
        Response response = event.getResponse();
        CSeqHeader cseq = (CSeqHeader) response.getHeader(CSeqHeader.NAME);
        if (!Request.INVITE.equals(cseq.getMethod())) {
            return;
        }
        int status = response.getStatusCode();
        if (event.getClientTransaction() == null) {
            if (status >= 200 && status < 300) {
                calls.signalling.reack(branch); // RFC 3261 §13.2.2.4: a retransmitted 2xx gets the same ACK
            }
            return;
        }
        if (event.getClientTransaction() != branch.inviteTx || branch.done) {
            return;
        }
        if (branch.agentNode == null) {
            String node = TrunkSignature.value(response, TrunkSignature.NODE);
            branch.agentNode = node != null && Keys.NODE.matcher(node).matches() ? node
                    : branch.target.viaTrunk() ? branch.target.trunkNode() : calls.signalling.nodeId();
        }
        if (branch.toExtension()) {
            extension.onResponse(branch, event, status, state == State.LEAVING);
            return;
        }
        if (status < 200) {
            branch.provisional = true;
            if (branch.cancelPending) {
                branch.cancelPending = false;
                calls.signalling.cancel(branch);
            }
        } else if (status < 300) {
            onAnswer(branch, event);
        } else {
            onBranchFailure(branch, status);
        }
    }

    private void onAnswer(AgentBranch branch, ResponseEvent event) {
        branch.done = true;
        branch.finalStatus = event.getResponse().getStatusCode();
        Dialog d = event.getDialog() != null ? event.getDialog() : branch.dialog;
        branch.dialog = d;
        calls.signalling.ack(branch, d, ((CSeqHeader) event.getResponse().getHeader(CSeqHeader.NAME)).getSeqNumber());
        if (state != State.WAITING || offer == null || branch.offer != offer) {
            // RFC 3261 §15: another agent won, the offer ended or the caller left; this answer only gets a BYE.
            dropBranch(branch, true);
            return;
        }
        NegotiatedMedia media;
        try {
            media = branch.negotiator.accept(SessionDescription.parse(SipMessages.bodyText(event.getResponse())));
        } catch (Exception e) {
            log.info("offer {}: agent {} answered without usable SDP", offer.offerId(), branch.agentId);
            dropBranch(branch, true);
            agentFailed(branch);
            return;
        }
        Claims.Answer verdict = calls.claims.accept(tenant, queue, offer.offerId(), branch.agentId,
                branch.reservation.version());
        reported.add(branch.agentId);
        if (verdict == Claims.Answer.LOST) {
            // the reservation is gone (lease ran out, the caller left, a supervisor freed the agent): release it
            log.info("offer {}: agent {} answered but lost the offer; BYE", offer.offerId(), branch.agentId);
            dropBranch(branch, true);
            offerOver();
            return;
        }
        connected = branch;
        answeredAt = calls.clock.instant();
        state = State.CONNECTED;
        cancelTimers();
        for (AgentBranch other : branches) {
            if (other != branch) {
                calls.signalling.cancel(other);
                if (other.done) {
                    dropBranch(other, false);
                }
            }
        }
        branch.stream.start(media.remoteRtp(), Codecs.create(media.codec()), media.telephoneEventPayloadType());
        calls.bridged(this, branch, new CallBridge(stream, branch.stream));
        log.info("queue call {} from {} connected to agent {} on {} (queue {}@{})", callId, number, branch.agentId,
                branch.agentNode, queue.number(), tenant);
    }

    private void onBranchFailure(AgentBranch branch, int status) {
        branch.done = true;
        branch.finalStatus = status;
        dropBranch(branch, false);
        if (status == Response.REQUEST_TERMINATED || branch.offer != offer || state != State.WAITING) {
            return; // our own CANCEL, or a branch of an offer already settled
        }
        // RFC 3261 §21.4.7/§21.6.2: busy and decline count as not answering (the caller keeps its place).
        agentFailed(branch);
    }

    /** Every place the agent rang failed: the agent missed the offer. */
    private void agentFailed(AgentBranch branch) {
        boolean stillRinging = branches.stream().anyMatch(b -> b.agentId.equals(branch.agentId) && !b.done);
        if (!stillRinging && !reported.contains(branch.agentId)) {
            noAnswer(branch.agentId);
        }
        offerOver();
    }

    private void noAnswer(String agentId) {
        reported.add(agentId);
        String after = calls.claims.noAnswer(tenant, queue, offer.offerId(), agentId);
        log.info("offer {}: agent {} did not answer; now {}", offer.offerId(), agentId, after);
    }

    /** The queue's ring timeout for one offer: CANCEL what still rings, a miss for each agent that did not answer. */
    private synchronized void ringTimeout(String offerId) {
        if (state != State.WAITING || offer == null || !offer.offerId().equals(offerId)) {
            return;
        }
        for (AgentBranch branch : List.copyOf(branches)) {
            if (branch.offer == offer && !branch.done) {
                calls.signalling.cancel(branch);
                if (!reported.contains(branch.agentId)) {
                    noAnswer(branch.agentId);
                }
            }
        }
        endOffer();
    }

    /** True (and the offer forgotten) once every agent of the current offer has been answered for. */
    private boolean offerOver() {
        if (offer == null) {
            return true;
        }
        for (OfferGrant.Reservation r : offer.agents()) {
            if (!reported.contains(r.agentId())) {
                return false;
            }
        }
        endOffer();
        return true;
    }

    private void endOffer() {
        if (ringTimer != null) {
            ringTimer.cancel(false);
        }
        if (offer != null && state == State.WAITING) {
            calls.redispatchLater(tenant, queue);
        }
        offer = null;
    }

    /** A BYE, CANCEL, re-INVITE or INFO on the caller's dialog. */
    synchronized void onCallerRequest(ServerTransaction st) {
        String method = st.getRequest().getMethod();
        switch (method) {
            case Request.BYE -> {
                calls.signalling.respond(st, Response.OK, null, null, null, null, trunk);
                if (state == State.CONNECTED) {
                    calls.signalling.bye(connected.dialog);
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
            case Request.INVITE -> reanswer(st, stream, negotiator, queue.number());
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
            calls.signalling.bye(connected.dialog);
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
            reanswer(st, branch.stream, branch.negotiator, number);
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

    /** RFC 3264 §8: a new offer in the dialog (hold, session refresh) is answered from the same stream. */
    private void reanswer(ServerTransaction st, RtpMediaStream on, SdpNegotiator sdp, String contactUser) {
        try {
            SdpAnswer answer = sdp.answer(SessionDescription.parse(SipMessages.bodyText(st.getRequest())),
                    calls.localRtp(on), MediaDirection.SENDRECV);
            NegotiatedMedia media = answer.media();
            on.start(media.remoteRtp(), Codecs.create(media.codec()), media.telephoneEventPayloadType());
            on.setDirection(media.direction());
            calls.signalling.respond(st, Response.OK, null, null, contactUser, answer.description().encode(),
                    trunk && on == stream);
        } catch (Exception e) {
            calls.signalling.respond(st, Response.NOT_ACCEPTABLE_HERE, "Unusable SDP offer", null, null, null,
                    trunk && on == stream);
        }
    }

    /** The caller hung up without an agent: its ringing offer is cancelled, ABANDON logged. */
    private void abandon() {
        for (AgentBranch branch : branches) {
            calls.signalling.cancel(branch);
        }
        calls.callers.leave(tenant, queue.number(), callId, Callers.Exit.ABANDON, "");
        end(null, "abandoned", "caller", false);
    }

    /** An RFC 4733 digit from the caller: the queue's exit key leaves to its destination. */
    synchronized void onDigit(char digit) {
        if (state != State.WAITING || queue.exitKey().isEmpty() || queue.exitKey().charAt(0) != digit) {
            return;
        }
        leave(Callers.Exit.EXIT_KEY, String.valueOf(digit), queue.exitDestination(), "exit-key");
    }

    private synchronized void maxWait() {
        if (state == State.WAITING) {
            leave(Callers.Exit.TIMEOUT, "", queue.overflow(), "timeout");
        }
    }

    /**
     * Leaves the queue without an agent (EXITWITHKEY / EXITWITHTIMEOUT) to a destination: another queue keeps the
     * caller on this node with its music; anything else ends the call (extension destinations are not dialled yet).
     */
    private void leave(Callers.Exit exit, String key, QueueDefinition.Destination destination, String cause) {
        for (AgentBranch branch : branches) {
            calls.signalling.cancel(branch);
        }
        if (ringTimer != null) {
            ringTimer.cancel(false);
        }
        offer = null;
        calls.callers.leave(tenant, queue.number(), callId, exit, key,
                destination.target().isEmpty() ? destination.kind() : destination.kind() + ":" + destination.target());
        if ("queue".equals(destination.kind())) {
            var next = calls.queues.find(tenant, destination.target());
            if (next.isPresent()) {
                Callers.Joined joined = calls.callers.enqueue(tenant, next.get().number(), callId, number, name,
                        details.priority(), details.skills(), details.data());
                if (joined.ok()) {
                    log.info("queue call {} left {} ({}) for queue {}", callId, queue.number(), cause,
                            next.get().number());
                    queue = next.get();
                    music = calls.music.player(queue.musicOnHold());
                    stream.setSource(music);
                    armMaxWait();
                    armAnnouncements();
                    return;
                }
            }
        }
        if ("extension".equals(destination.kind())) {
            cancelTimers();
            state = State.LEAVING;
            leavingCause = cause;
            dialExtension(destination);
            return;
        }
        if ("callback".equals(destination.kind())) {
            cancelTimers();
            state = State.LEAVING;
            leavingCause = "callback";
            sayGoodbye(calls.overflow.callback(this, queue.number(), details,
                    java.time.Duration.between(startedAt, calls.clock.instant()),
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
        QueueDefinition.Destination destination = queue.overflow();
        if ("queue".equals(destination.kind())) {
            var next = calls.queues.find(tenant, destination.target());
            if (next.isPresent() && !next.get().number().equals(queue.number())) {
                Callers.Joined joined = calls.callers.enqueue(tenant, next.get().number(), callId, number, name,
                        details.priority(), details.skills(), details.data());
                if (joined.ok()) {
                    log.info("queue call {}: {} refused it ({}), overflows to queue {}", callId, queue.number(),
                            refused.refused(), next.get().number());
                    queue = next.get();
                    return true;
                }
            }
            return false;
        }
        if ("callback".equals(destination.kind()) || "extension".equals(destination.kind())) {
            state = State.LEAVING;
            leavingCause = destination.kind().equals("callback") ? "callback"
                    : refused.refused() == Callers.Refused.QUEUE_FULL ? "full" : "join-empty";
            return true;
        }
        return false;
    }

    /** Puts the (answered) caller through to an extension ({@link ExtensionLeg}); the music plays until it answers. */
    private void dialExtension(QueueDefinition.Destination destination) {
        extension = new ExtensionLeg(this, calls, destination);
        AgentBranch leg = extension.dial(queue.ringTimeoutSeconds());
        if (leg != null) {
            branches.add(leg);
            log.info("queue call {} from {} put through from {} to extension {}", callId, number, queue.number(),
                    destination.target());
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
        QueueDefinition.Destination to = extension.destination;
        log.info("queue call {} from {}: extension {} not reached ({}); {}", callId, number, to.target(), status,
                to.orCallback() ? "callback request" : "goodbye");
        if (to.orCallback()) {
            leavingCause = "callback";
            sayGoodbye(calls.overflow.callback(this, queue.number(), details,
                    java.time.Duration.between(startedAt, calls.clock.instant()),
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
        if (state != State.WAITING || offer == null || !offer.offerId().equals(offerId)) {
            return;
        }
        log.info("offer {} ended by the ACD ({}): CANCEL to its agents", offerId, reason);
        for (AgentBranch branch : List.copyOf(branches)) {
            if (branch.offer == offer && !branch.done) {
                calls.signalling.cancel(branch);
            }
        }
        offer.agents().forEach(r -> reported.add(r.agentId()));
        endOffer();
    }

    private void armMaxWait() {
        if (maxWaitTimer != null) {
            maxWaitTimer.cancel(false);
        }
        if (queue.maxWaitSeconds() > 0) {
            maxWaitTimer = calls.timers.schedule(this::maxWait, queue.maxWaitSeconds(), TimeUnit.SECONDS);
        }
    }

    private void armAnnouncements() {
        if (announceTimer != null) {
            announceTimer.cancel(false);
        }
        QueueDefinition.Announcements a = queue.announcements();
        if (a.position() || a.estimatedWait()) {
            announceTimer = calls.timers.schedule(this::announce, a.firstAfterSeconds(), TimeUnit.SECONDS);
        }
    }

    /**
     * Tells a waiting caller its position and estimated wait (both from Redis, so every node would say the same),
     * then the music resumes; repeated every {@code everySeconds} (0 = once).
     */
    private synchronized void announce() {
        if (state != State.WAITING) {
            return;
        }
        QueueDefinition.Announcements a = queue.announcements();
        var entry = calls.callers.find(tenant, queue.number(), callId);
        if (entry.isPresent()) {
            int position = entry.get().position();
            java.time.Duration wait = calls.callers.estimatedWait(tenant, queue.number(), position,
                    calls.clock.instant());
            List<String> words = calls.announcements.words(a.position(), position, a.estimatedWait(), wait);
            stream.setSource(calls.announcements.player(words, music));
            calls.announced();
            log.debug("queue call {}: announced position {} and wait {}", callId, position, wait);
        }
        if (a.everySeconds() > 0) {
            announceTimer = calls.timers.schedule(this::announce, a.everySeconds(), TimeUnit.SECONDS);
        }
    }

    /** Ends a branch that will not carry the call: BYE if it was answered, its stream closed. */
    private void dropBranch(AgentBranch branch, boolean bye) {
        if (bye) {
            calls.signalling.bye(branch.dialog);
        }
        branch.stream.close();
        if (branch.done) {
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
            if (branch.done) {
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

    private void cancelTimers() {
        if (ringTimer != null) {
            ringTimer.cancel(false);
        }
        if (maxWaitTimer != null) {
            maxWaitTimer.cancel(false);
        }
        if (announceTimer != null) {
            announceTimer.cancel(false);
        }
    }
}
