package io.tandem.backend.call;

import io.tandem.backend.node.sip.OutgoingBranch;
import io.tandem.backend.node.sip.TrunkSignature;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.routing.Route;
import io.tandem.backend.trunk.CarrierLeg;
import io.tandem.backend.trunk.Seizure;
import io.tandem.backend.trunk.TrunkHunt;
import io.tandem.backend.wake.Wake;
import io.tandem.telephony.relay.RelayLeg;
import io.tandem.telephony.relay.RtpRelay;
import io.tandem.telephony.sdp.SdpException;
import io.tandem.telephony.sdp.SessionDescription;
import io.tandem.telephony.sip.SipMessages;
import io.tandem.telephony.srtp.Sdes;
import io.tandem.telephony.srtp.SdesException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.sip.ClientTransaction;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.header.CSeqHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call through this node: the caller's leg, the callee branches (a fork while ringing, one once answered) and
 * the RTP relay between them (relay leg A faces the caller, leg B the callee). Every method runs under the bridge's
 * monitor: JAIN-SIP threads and the ring timer may race, the call's state changes in one place. Offers crossing an
 * established call (re-INVITE, INFO) are in {@link MidCall}.
 */
final class Bridge {

    private static final Logger log = LoggerFactory.getLogger(Bridge.class);

    enum State { RINGING, ANSWERED, ENDED }

    final Calls calls;
    final String tenant;
    final boolean inboundTrunk;
    final Leg callerLeg;
    final RtpRelay relay;
    private final String caller;
    private final String callee;
    private final List<Leg> branches = new ArrayList<>();
    private final Instant startedAt;
    /** The caller's offer; null for a late offer (RFC 3261 §13.2.1: an INVITE without SDP), see {@link LateOffer}. */
    private SessionDescription callerOffer;
    /** After a late offer: the offer in our 200 to the caller, until the caller's ACK answers it (then null). */
    private SessionDescription offeredToCaller;
    /** After a late offer: the codec the callee agreed, which the caller's answer must keep. */
    private SdpRewriter.Agreed calleeAgreed;
    /** The party on relay leg A: the caller, until a transfer replaces it. */
    private Leg partyA;
    /** The party on relay leg B: the answering branch, until a transfer replaces it. */
    private Leg answered;
    private Referral transfer;
    /** The Replaces header this call's branches carry to the node holding that dialog; null for a plain call. */
    private String forwardedReplaces;
    /** The transfers this call went through, for its record: {@code 1002>1003 attended}, in order. */
    private final List<String> transfers = new ArrayList<>();
    private State state = State.RINGING;
    private Instant answeredAt;
    private String remoteNode;
    /** The entry node died mid-call and this node ended and recorded the call. */
    private boolean entryLost;
    private ScheduledFuture<?> ringTimer;
    /** The callee's devices were asked to wake for this call (null: the callee has no push binding). */
    private Wake wake;
    /** While true, a REGISTER of the callee adds a branch, and the fork is not over with its last branch. */
    private boolean waitingForDevice;
    private ScheduledFuture<?> wakeTimer;
    /** A call from the public network: its trunk and DID (the caller is no extension); null otherwise. */
    final CarrierLeg carrierIn;
    /** An outside call: the trunks it may still fail over to, one branch at a time; null otherwise. */
    private TrunkHunt hunt;
    /** The node's SRTP policy: what a branch to a TLS phone offers (this call's fork, a transfer's target). */
    final SrtpTermination srtp;
    /** The keys relay leg B speaks (an answering SRTP branch's); null while it is plain. */
    private Sdes.Keys calleeKeys;

    Bridge(Calls calls, String tenant, String caller, String callee, boolean inboundTrunk, String callId,
            RtpRelay relay, CarrierLeg carrierIn, SrtpTermination srtp) {
        this.carrierIn = carrierIn;
        this.srtp = srtp;
        this.calls = calls;
        this.tenant = tenant;
        this.caller = caller;
        this.callee = callee;
        this.inboundTrunk = inboundTrunk;
        this.relay = relay;
        this.startedAt = calls.clock.instant();
        this.callerLeg = new Leg(this, Leg.Side.CALLER, callId, caller);
        callerLeg.trunk = inboundTrunk;
        callerLeg.sideA = true;
        partyA = callerLeg;
    }

    String id() {
        return callerLeg.callId;
    }

    /** The parties this node wrote a call field for when the call was answered (Calls). */
    private volatile List<String> withCallField = List.of();

    void withCallField(List<String> parties) {
        withCallField = List.copyOf(parties);
    }

    List<String> withCallField() {
        return withCallField;
    }

    /** The parties this node counted on a direct call when the call was answered (Calls). */
    private volatile List<String> onDirectCall = List.of();

    void onDirectCall(List<String> parties) {
        onDirectCall = List.copyOf(parties);
    }

    List<String> onDirectCall() {
        return onDirectCall;
    }

    /** Set by a node's queue on the INVITE of an offer to an agent (QueueSignalling). */
    static final String QUEUE_OFFER_HEADER = "X-Tandem-Offer";

    /**
     * This bridge carries another node's queue offer to a phone here (it came over the trunk): the agent's time in it
     * is the ACD's ON_CALL, not a direct call.
     */
    boolean carriesQueueOffer() {
        return inboundTrunk && callerLeg.invite != null && callerLeg.invite.getHeader(QUEUE_OFFER_HEADER) != null;
    }

    String caller() {
        return caller;
    }

    String callee() {
        return callee;
    }

    /** What the record and the parties' call fields name as the callee; the dialled number unless told otherwise. */
    private volatile String recordedCallee;
    private volatile String recordedQueue = "";
    private volatile String recordedAgent = "";

    /**
     * The call is {@code agent} joining a callback room of {@code queue} on another node: recorded as a call to that
     * queue by that agent, never under the dialled join number (its token is a credential, single use or not).
     */
    void recordAsJoin(String queue, String agent) {
        recordedCallee = queue;
        recordedQueue = queue;
        recordedAgent = agent;
    }

    String recordedCallee() {
        String named = recordedCallee;
        return named == null ? callee : named;
    }

    String recordedQueue() {
        return recordedQueue;
    }

    String recordedAgent() {
        return recordedAgent;
    }

    synchronized Instant startedAt() {
        return startedAt;
    }

    synchronized Instant answeredAt() {
        return answeredAt;
    }

    synchronized State state() {
        return state;
    }

    synchronized Leg answered() {
        return answered;
    }

    /** The answering branch rang a phone on this node (not another node over the trunk). */
    synchronized boolean calleeIsLocal() {
        return answered != null && !answered.target.viaTrunk() && answered.seizure == null;
    }

    /**
     * This node, then the node that held the callee's leg when the call crossed the trunk; for a call whose entry
     * node died, that node first.
     */
    synchronized List<String> nodes() {
        if (entryLost) {
            return List.of(entryNode(), calls.nodeId);
        }
        return remoteNode == null || remoteNode.equals(calls.nodeId) ? List.of(calls.nodeId)
                : List.of(calls.nodeId, remoteNode);
    }

    /**
     * For a call that came over the trunk (not a queue's offer, which its queue call records): the node that sent it,
     * which holds the caller's leg and writes the call's record; null otherwise.
     */
    String entryNode() {
        if (!inboundTrunk || callerLeg.invite == null || carriesQueueOffer()) {
            return null;
        }
        String origin = TrunkSignature.value(callerLeg.invite, TrunkSignature.ORIGIN);
        return EntryNodeWatch.isNodeId(origin) ? origin : null;
    }

    /**
     * The call's entry node died mid-call ({@link EntryNodeWatch}): nobody else will end the callee's leg or record
     * the call, so this node BYEs the callee and records it (cause {@code node-lost}).
     */
    synchronized void entryNodeLost() {
        if (state != State.ANSWERED || answered == null) {
            return;
        }
        entryLost = true;
        hangUp(answered, "node-lost");
    }

    /** This node writes the call's record: it is the entry node, or the entry node died mid-call. */
    synchronized boolean recordedHere() {
        return !inboundTrunk || entryLost;
    }

    /** The relay leg that faces {@code leg}'s party. */
    RelayLeg relayLeg(Leg leg) {
        return leg.sideA ? relay.legA() : relay.legB();
    }

    /** The party connected with {@code leg}'s party. */
    synchronized Leg other(Leg leg) {
        return leg.sideA ? answered : partyA;
    }

    /** True while {@code leg} is one of the two connected parties. */
    synchronized boolean connects(Leg leg) {
        return leg == partyA || leg == answered;
    }

    /** A transfer put {@code replacement} where {@code replaced} was (same relay leg). */
    synchronized void replace(Leg replaced, Leg replacement) {
        replacement.sideA = replaced.sideA;
        if (replaced == partyA) {
            partyA = replacement;
        } else if (replaced == answered) {
            answered = replacement;
        }
    }

    /**
     * This call carries an INVITE with Replaces (RFC 3891) to the node holding the named dialog: its branch over the
     * trunk carries {@code replaces} for that node to apply as its own ({@link Replacement}).
     */
    synchronized void forwardsReplaces(String replaces) {
        forwardedReplaces = replaces;
    }

    synchronized Referral transfer() {
        return transfer;
    }

    synchronized void transfer(Referral next) {
        transfer = next;
    }

    /** {@code from} handed its place in this call to {@code to} by a transfer of {@code kind}: kept for the CDR. */
    synchronized void transferred(String from, String to, String kind) {
        transfers.add(from + ">" + to + " " + kind);
    }

    /** What the call's record says of its transfers ({@code ""} when there were none). */
    synchronized String transfers() {
        return String.join(",", transfers);
    }

    /**
     * An attended transfer moved this call's other party into another call (RFC 3891): the replaced party got a
     * BYE, the moved one none; the call ends here and is recorded as {@code transferred}.
     */
    synchronized void handedOver() {
        end("transferred", "system");
    }

    /**
     * Sends the INVITE of every branch with the caller's offer anchored on relay leg B; arms the ring timer. With a
     * {@code wake} (the callee has push bindings) the devices are woken at once, the caller hears ringing, and for
     * {@code wake-wait} each REGISTER of the callee adds a branch to the contacts {@code reroute} finds that were not
     * rung yet; the call fails for want of a branch only when that wait is over. Without an {@code offer} (late
     * offer) the branches get the node's own ({@link LateOffer#calleeOffer}).
     */
    synchronized void start(List<Route.Target> targets, Optional<SessionDescription> offer, Optional<Wake> wakeOf,
            Supplier<Route> reroute) {
        callerOffer = offer.orElse(null);
        callerLeg.remoteSdp = callerOffer;
        targets.forEach(this::fork);
        ringTimer = calls.timers.schedule(this::ringTimeout, calls.properties.ringTimeout().toMillis(),
                TimeUnit.MILLISECONDS);
        if (wakeOf.isPresent()) {
            wake = wakeOf.get();
            waitingForDevice = true;
            wakeTimer = calls.timers.schedule(this::wakeWaitOver, calls.properties.wakeWait().toMillis(),
                    TimeUnit.MILLISECONDS);
            wake.ring(() -> addBranches(reroute.get()));
            // The stale contacts may never answer: the caller hears ringing while the devices wake (RFC 3261 §21.1.2).
            calls.signalling.respond(callerLeg, callerLeg.inviteSt, Response.RINGING, null, null);
            return;
        }
        if (branches.stream().allMatch(Leg::branchOver)) {
            failCaller(Response.TEMPORARILY_UNAVAILABLE, "Callee unreachable", "unavailable", "system");
        }
    }

    /** One more branch of the fork (RFC 3261 §16.7: a B-leg of its own), INVITEd now. */
    private void fork(Route.Target target) {
        Leg branch = new Leg(this, Leg.Side.CALLEE, SipMessages.newToken() + "@tandem", callee);
        branch.target = target;
        branch.replaces = forwardedReplaces;
        branches.add(branch);
        calls.register(branch);
        branch.offerSrtp(srtp);
        if (!calls.signalling.invite(branch, caller, tenant, branchOffer(branch))) {
            calls.forget(branch); // FAILED with 503
        }
    }

    /** The caller's offer (or the node's, after a late offer) as {@code branch} gets it: anchored, maybe secured. */
    private String branchOffer(Leg branch) {
        SessionDescription offer = callerOffer != null ? callerOffer : LateOffer.calleeOffer(calls.signalling.host());
        return SdpRewriter.rewrite(offer, calls.signalling.host(), relay.legB().localAddress().getPort(), branch);
    }

    /**
     * The phone refused our SRTP offer ({@code status} 488): true when the plain offer went instead, once
     * ({@link CalleeSrtp}); false when the refusal is the branch's outcome.
     */
    private boolean offeredPlainAfter(Leg branch, ClientTransaction refused, int status) {
        if (branch.offeredSrtp == null || state != State.RINGING || branch.branch.cancelled()) {
            return false;
        }
        if (!branch.plainAfter(status)) {
            String why = branch.offeredSrtp.refusal(status);
            if (why != null) {
                log.info("call {} {} -> {}: {} ({})", id(), caller, callee, why, branch.target.requestUri());
            }
            return false;
        }
        log.info("call {} {} -> {}: {} refused SRTP ({}); offering plain RTP/AVP once", id(), caller, callee,
                branch.target.requestUri(), status);
        return calls.signalling.inviteAgain(branch, refused, branchOffer(branch));
    }

    /**
     * {@code branch}'s answer (or early answer) in plain form, relay leg B speaking the keys it agreed; empty (logged)
     * when its SRTP answer is unusable ({@link CalleeSrtp#accept}).
     */
    private Optional<SessionDescription> plainAnswer(Leg branch, SessionDescription answer) {
        SessionDescription plain;
        try {
            plain = branch.acceptAnswer(answer);
        } catch (SdesException e) {
            log.info("call {} {} -> {}: unusable SRTP answer from {}: {}", id(), caller, callee,
                    branch.target.requestUri(), e.getMessage());
            return Optional.empty();
        }
        Sdes.Keys keys = branch.srtp;
        if (!Objects.equals(keys, calleeKeys)) {
            relay.legB().secure(keys); // new keys only: the same keys keep their crypto contexts
            calleeKeys = keys;
        }
        return Optional.of(plain);
    }

    /**
     * An outside call: the INVITE goes to the trunk of {@code first}; a definite failure there (see
     * {@link #failsOver}) moves it to the next trunk {@code hunt} can seize, one at a time, never in parallel: the
     * customer must not ring twice.
     */
    synchronized void startHunt(TrunkHunt trunks, Seizure first, Optional<SessionDescription> offer) {
        hunt = trunks;
        callerOffer = offer.orElse(null);
        callerLeg.remoteSdp = callerOffer;
        ringTimer = calls.timers.schedule(this::ringTimeout, calls.properties.ringTimeout().toMillis(),
                TimeUnit.MILLISECONDS);
        if (!forkSeized(first) && !nextTrunk()) {
            failCaller(Response.SERVICE_UNAVAILABLE, hunt.exhausted(), "unavailable", "system");
        }
    }

    /** A branch to the trunk of {@code seizure}; false (channel given back) when its INVITE could not be sent. */
    private boolean forkSeized(Seizure seizure) {
        if (!hunt.sendable(seizure)) {
            return false;
        }
        Leg branch = new Leg(this, Leg.Side.CALLEE, seizure.callId(), callee);
        branch.target = new Route.Target(seizure.requestUri(), seizure.transport(), null);
        branch.seizure = seizure;
        branches.add(branch);
        calls.register(branch);
        SessionDescription offer = SdpRewriter.restricted(callerOffer != null ? callerOffer
                : LateOffer.calleeOffer(calls.signalling.host()), seizure.codecs());
        String sdp = SdpRewriter.rewrite(offer, calls.signalling.host(), relay.legB().localAddress().getPort(), branch);
        if (!calls.signalling.invite(branch, caller, tenant, sdp)) {
            calls.forget(branch);
            release(branch);
            return false;
        }
        hunt.sent(seizure);
        calls.timers.schedule(() -> carrierSilent(branch), hunt.inviteTimeout().toMillis(), TimeUnit.MILLISECONDS);
        return true;
    }

    /**
     * A carrier left our INVITE without any answer for {@code invite-timeout}: nothing reached the customer, so the
     * next trunk is tried now rather than after Timer B's 32 s. The silent branch is cancelled (its CANCEL waits for
     * a provisional answer, RFC 3261 §9.1; an answer crossing it is ACKed and BYEd) and its channel given back.
     */
    private void carrierSilent(Leg branch) {
        synchronized (this) {
            if (state != State.RINGING || branch.responded || branch.branchOver() || branch.branch.cancelled()) {
                return;
            }
            log.info("call {} {} -> {}: trunk {} did not answer the INVITE", id(), caller, callee,
                    branch.seizure.trunk());
            branch.unanswered = true;
            calls.signalling.cancel(branch);
            release(branch);
            hunt.carrierFailed(branch.seizure);
            if (!nextTrunk()) {
                failCaller(Response.SERVICE_UNAVAILABLE, "No trunk answered", "unavailable", "system");
            }
        }
    }

    /** Seizes the next trunk that has room and sends its INVITE; false when none is left. */
    private boolean nextTrunk() {
        for (Optional<Seizure> next = hunt.next(); next.isPresent(); next = hunt.next()) {
            log.info("call {} {} -> {}: failing over to trunk {}", id(), caller, callee, next.get().trunk());
            if (forkSeized(next.get())) {
                return true;
            }
        }
        return false;
    }

    /**
     * A carrier branch's failure that proves the customer was never reached, so another trunk may be tried: 503
     * before any provisional answer above 100 (the carrier refused the call itself, RFC 3261 §21.5.4), or no answer
     * at all to the INVITE. After a 18x or a 2xx the call may have reached the customer: never.
     */
    private static boolean failsOver(Leg branch) {
        if (branch.alerted || branch.branch == null || branch.branch.cancelled()) {
            return false;
        }
        return branch.unanswered || branch.branch.finalStatus() == Response.SERVICE_UNAVAILABLE;
    }

    /** Gives a carrier branch's channel back, once. */
    private void release(Leg branch) {
        if (branch.seizure != null && !branch.seizureReleased) {
            branch.seizureReleased = true;
            hunt.release(branch.seizure);
        }
    }

    /** The carrier side for the record: the DID and trunk of a call that came in, or the trunk last tried. */
    synchronized CarrierLeg carrier() {
        if (carrierIn != null) {
            return carrierIn;
        }
        Leg used = answered != null && answered.seizure != null ? answered : null;
        for (int i = branches.size() - 1; used == null && i >= 0; i--) {
            used = branches.get(i).seizure != null ? branches.get(i) : null;
        }
        return used == null ? null : used.seizure.leg();
    }

    /** The callee registered while its devices were being woken: ring the contacts not rung yet, in this call. */
    synchronized void addBranches(Route route) {
        if (state != State.RINGING || !waitingForDevice || !(route instanceof Route.Ring ring)) {
            return;
        }
        for (Route.Target target : ring.targets()) {
            boolean rung = branches.stream().anyMatch(b -> b.target.requestUri().equals(target.requestUri()));
            if (!rung) {
                log.info("call {} {} -> {}: the woken device registered; ringing {} too", id(), caller, callee,
                        target.requestUri());
                fork(target);
            }
        }
    }

    /** The wake wait is over: no more branches; a fork whose branches are all over ends now. */
    private void wakeWaitOver() {
        synchronized (this) {
            waitingForDevice = false;
            wake.stopListening();
            if (state == State.RINGING && branches.stream().allMatch(Leg::branchOver)) {
                Leg last = branches.isEmpty() ? null : branches.get(branches.size() - 1);
                branchFailed(last == null ? Response.TEMPORARILY_UNAVAILABLE : last.branch.finalStatus(),
                        last == null ? "Not registered" : "Callee unavailable");
            }
        }
    }

    /** A response on one of this call's legs. */
    synchronized void onResponse(Leg leg, ResponseEvent event) {
        Response response = event.getResponse();
        int status = response.getStatusCode();
        CSeqHeader cseq = (CSeqHeader) response.getHeader(CSeqHeader.NAME);
        if (leg.sessionTimer != null && leg.sessionTimer.owns(event.getClientTransaction())) {
            leg.sessionTimer.onRefreshAnswer(status);
            return;
        }
        if (!Request.INVITE.equals(cseq.getMethod())) {
            if (transfer != null && event.getClientTransaction() != null
                    && transfer.owns(leg, event.getClientTransaction())) {
                transfer.onResponse(event); // the answer to a REFER passed on (QueueOfferTransfer)
            }
            return; // BYE, CANCEL, INFO answers: nothing depends on them
        }
        if (event.getClientTransaction() == null) {
            if (status >= 200 && status < 300) {
                calls.signalling.reack(leg, response); // RFC 3261 §13.2.2.4: a retransmitted 2xx gets the same ACK
            }
            return;
        }
        if (leg.reinviteTx != null && event.getClientTransaction() == leg.reinviteTx) {
            MidCall.onAnswer(this, leg, event);
            return;
        }
        if (transfer != null && transfer.owns(leg, event.getClientTransaction())) {
            transfer.onResponse(event);
            return;
        }
        if (leg.isCaller() || leg.branch == null || !leg.branch.owns(event.getClientTransaction())) {
            return;
        }
        learnRemoteNode(leg, response);
        leg.responded = true;
        if (status > Response.TRYING && status < Response.OK) {
            leg.alerted = true;
        }
        if (leg.seizure != null && status > Response.TRYING && status < Response.MULTIPLE_CHOICES
                && !leg.carrierReached) {
            leg.carrierReached = true;
            hunt.carrierReached(leg.seizure);
        }
        if (leg.seizure != null && (status == Response.UNAUTHORIZED || status == Response.PROXY_AUTHENTICATION_REQUIRED)
                && state == State.RINGING) {
            if (calls.signalling.answerChallenge(leg, event.getClientTransaction(), response)) {
                log.info("call {} {} -> {}: trunk {} challenged the INVITE ({}); sent again with its credentials",
                        id(), caller, callee, leg.seizure.trunk(), status);
                return;
            }
            leg.refusedCredentials = true;
        }
        if (status == Response.NOT_ACCEPTABLE_HERE && offeredPlainAfter(leg, event.getClientTransaction(), status)) {
            return;
        }
        switch (leg.branch.onResponse(event.getClientTransaction(), event.getDialog(), status, cseq.getSeqNumber())) {
            case PROVISIONAL -> onProvisional(leg, response);
            case ANSWERED -> onAnswer(leg, response);
            case ENDED -> onBranchEnded(leg, response.getReasonPhrase());
            case NONE -> {
            }
        }
    }

    private void onProvisional(Leg branch, Response response) {
        int status = response.getStatusCode();
        if (state != State.RINGING || status == Response.TRYING) {
            return;
        }
        Optional<SessionDescription> early = SdpRewriter.sdpOf(response).flatMap(sdp -> plainAnswer(branch, sdp));
        // RFC 3261 §13.2.1: after a late offer ours goes in the 2xx, the first reliable response; an unreliable 183
        // carries none, so the caller hears the callee's early media only from the answer on.
        if (early.isPresent() && callerOffer != null && applyAnswer(branch, early.get()).isPresent()) {
            // RFC 3261 §13.2.1: early media (183 with an answer) is anchored like the final answer.
            calls.signalling.respond(callerLeg, callerLeg.inviteSt, status, response.getReasonPhrase(),
                    SdpRewriter.rewrite(callerOffer, early.get(), calls.signalling.host(),
                            relay.legA().localAddress().getPort(), callerLeg));
        } else {
            calls.signalling.respond(callerLeg, callerLeg.inviteSt, status == 183 ? 183 : Response.RINGING,
                    null, null);
        }
    }

    /** The branch's 2xx, ACKed by the branch. */
    private void onAnswer(Leg branch, Response response) {
        if (state != State.RINGING) {
            // RFC 3261 §15: another branch won, or the caller left; this answer only gets a BYE.
            calls.signalling.bye(branch);
            calls.forget(branch);
            return;
        }
        Optional<SessionDescription> answer = SdpRewriter.sdpOf(response).flatMap(sdp -> plainAnswer(branch, sdp));
        Optional<SdpRewriter.Agreed> agreed = answer.flatMap(a -> applyAnswer(branch, a));
        if (agreed.isEmpty()) {
            calls.signalling.bye(branch);
            calls.forget(branch);
            branchFailed(Response.NOT_ACCEPTABLE_HERE, "Callee answered without usable SDP");
            return;
        }
        answered = branch;
        branch.remoteSdp = answer.get();
        answeredAt = calls.clock.instant();
        state = State.ANSWERED;
        cancelRingTimer();
        if (wake != null) {
            wake.answered();
        }
        for (Leg other : branches) {
            if (other != branch) {
                calls.signalling.cancel(other);
            }
        }
        String sdp;
        if (callerOffer == null) {
            // Late offer: the 200 carries our offer, the caller's ACK its answer (onCallerAck).
            calleeAgreed = agreed.get();
            offeredToCaller = LateOffer.callerOffer(answer.get(), calleeAgreed);
            sdp = SdpRewriter.rewrite(offeredToCaller, calls.signalling.host(), relay.legA().localAddress().getPort(),
                    callerLeg);
        } else {
            sdp = SdpRewriter.rewrite(callerOffer, answer.get(), calls.signalling.host(),
                    relay.legA().localAddress().getPort(), callerLeg);
        }
        calls.dialogsConfirmed(this, branch);
        calls.signalling.respond(callerLeg, callerLeg.inviteSt, Response.OK, null, sdp);
        if (callerLeg.sessionTimer != null) {
            callerLeg.sessionTimer.start();
        }
        log.debug("call {} {} -> {} answered", id(), caller, callee);
        calls.answered(this);
    }

    /**
     * Configures both relay legs from the callee's answer and the caller's offer (after a late offer the caller's
     * address is known only from its ACK); empty if the answer agreed no codec.
     */
    private Optional<SdpRewriter.Agreed> applyAnswer(Leg branch, SessionDescription answer) {
        Optional<SdpRewriter.Agreed> agreed = SdpRewriter.agreed(answer);
        if (agreed.isEmpty()) {
            return agreed;
        }
        SdpRewriter.Agreed a = agreed.get();
        relayLeg(branch).configure(SdpRewriter.remoteRtp(answer).orElse(null), a.codec(), a.telephoneEventPayloadType());
        relay.legA().configure(callerOffer == null ? null : SdpRewriter.remoteRtp(callerOffer).orElse(null), a.codec(),
                a.telephoneEventPayloadType());
        return agreed;
    }

    /** True while the offer in our 200 to a late-offer caller waits for the answer in its ACK. */
    synchronized boolean awaitsCallerAnswer() {
        return offeredToCaller != null;
    }

    /**
     * The caller's ACK of our 200. After a late offer it carries the answer (RFC 3264 §4): the relay's caller leg is
     * pointed at it; an ACK without SDP, or an answer that refuses the audio or changes the codec, leaves a session
     * with no media, so both parties get a BYE and the record says why. Other ACKs carry nothing the call needs.
     */
    synchronized void onCallerAck(Leg leg, Request ack) {
        if (leg != callerLeg || offeredToCaller == null || state != State.ANSWERED) {
            return; // an early offer's ACK, or a retransmitted one
        }
        LateOffer.Answer answer = LateOffer.read(SdpRewriter.sdpOf(ack), offeredToCaller, calleeAgreed);
        offeredToCaller = null;
        if (answer.refusal() != null) {
            log.info("call {} {} -> {}: the caller's ACK has no usable answer to our offer ({}); hanging up", id(),
                    caller, callee, answer.refusal().cause);
            calls.signalling.bye(callerLeg);
            if (answered != null) {
                calls.signalling.bye(answered);
            }
            end(answer.refusal().cause, "system");
            return;
        }
        callerLeg.remoteSdp = answer.sdp();
        relay.legA().configure(SdpRewriter.remoteRtp(answer.sdp()).orElse(null), answer.agreed().codec(),
                answer.agreed().telephoneEventPayloadType());
    }

    /** The branch ended without a call (refused, timed out, cancelled by us): its status is the branch's. */
    private void onBranchEnded(Leg branch, String reason) {
        calls.forget(branch);
        release(branch);
        if (branch.seizure != null && !branch.branch.cancelled()) {
            if (failsOver(branch)) {
                hunt.carrierFailed(branch.seizure);
            } else if (!branch.carrierReached) {
                hunt.carrierReached(branch.seizure);
            }
        }
        if (hunt != null && state == State.RINGING && failsOver(branch) && nextTrunk()) {
            return;
        }
        branchFailed(branch.branch.finalStatus(), reason);
    }

    /** A branch failed with {@code status}: a 6xx ends the fork, the caller hears the outcome once all are over. */
    private void branchFailed(int status, String reason) {
        if (state != State.RINGING) {
            return;
        }
        if (hunt != null && branches.stream().anyMatch(b -> b.refusedCredentials)) {
            // RFC 3261 §22.2: a second challenge to our answer (same nonce, not stale) means the trunk's credentials
            // are wrong; the customer was never reached, and the operator must fix the trunk: said in the record.
            log.warn("call {} {} -> {}: the carrier refused the trunk's credentials; call failed", id(), caller, callee);
            failCaller(Response.SERVICE_UNAVAILABLE, "Carrier refused the trunk's credentials", "carrier-auth-failed",
                    "system");
            return;
        }
        if (status >= 600) {
            // RFC 3261 §16.7 step 5 spirit: a 6xx ends the whole fork.
            branches.forEach(calls.signalling::cancel);
            failCaller(status, reason, status == Response.DECLINE ? "declined" : Integer.toString(status), "callee");
            return;
        }
        // A carrier branch given up for silence (carrierSilent) no longer holds the call's outcome back.
        if (!branches.stream().allMatch(b -> b.branchOver() || b.unanswered) || waitingForDevice) {
            return; // a woken device may still register and be rung
        }
        if (branches.isEmpty()) {
            failCaller(Response.TEMPORARILY_UNAVAILABLE, reason, "unavailable", "system");
            return;
        }
        boolean busy = branches.stream().anyMatch(b -> b.branch.finalStatus() == Response.BUSY_HERE);
        if (busy) {
            failCaller(Response.BUSY_HERE, "Busy Here", "busy", "callee");
        } else if ((branches.size() == 1 || hunt != null) && passesBack(status)) {
            // One callee (or one trunk after another): its own answer says best what became of the call.
            failCaller(status, reason, Integer.toString(status), "callee");
        } else {
            failCaller(Response.TEMPORARILY_UNAVAILABLE, "Callee unavailable", "unavailable", "system");
        }
    }

    /** Failures worth passing back as they are; timeouts, auth demands and cancellations become 480. */
    private static boolean passesBack(int status) {
        return status != Response.REQUEST_TIMEOUT && status != Response.UNAUTHORIZED
                && status != Response.PROXY_AUTHENTICATION_REQUIRED && status != Response.REQUEST_TERMINATED;
    }

    /** A branch's INVITE transaction timed out (RFC 3261 §17.1.1.2 Timer B). */
    synchronized void onBranchTimeout(Leg branch, ClientTransaction tx) {
        if (transfer != null && transfer.owns(branch, tx)) {
            transfer.onTimeout(tx);
        } else if (branch.sessionTimer != null && branch.sessionTimer.owns(tx)) {
            branch.sessionTimer.onRefreshTimeout();
        } else if (branch.isCaller() || branch.branch == null || !branch.branch.owns(tx)) {
            return; // a request of an established dialog: its BYE or re-INVITE answers nothing the call waits for
        } else if (branch.branch.onTimeout(tx) == OutgoingBranch.Step.ENDED) {
            branch.unanswered = !branch.responded;
            onBranchEnded(branch, "Request Timeout");
        }
    }

    /** RFC 3261 §9.2: the caller gave up; 200 to the CANCEL, 487 to the INVITE, CANCEL every branch. */
    synchronized void onCallerCancel(ServerTransaction cancelSt) {
        Response ok = calls.signalling.endpoint().messages().responseTo(cancelSt.getRequest(), Response.OK);
        calls.signalling.send(cancelSt, ok, callerLeg.trunk);
        if (state != State.RINGING) {
            return;
        }
        branches.forEach(calls.signalling::cancel);
        failCaller(Response.REQUEST_TERMINATED, null, "cancelled", "caller");
    }

    private void ringTimeout() {
        synchronized (this) {
            if (state != State.RINGING) {
                return;
            }
            branches.forEach(calls.signalling::cancel);
            failCaller(Response.TEMPORARILY_UNAVAILABLE, "No answer", "no-answer", "system");
        }
    }

    /** A BYE from either party: 200, BYE to the other, the call ends. */
    synchronized void onBye(Leg from, ServerTransaction st) {
        calls.signalling.respond(from, st, Response.OK, null, null);
        if (state == State.ENDED) {
            return;
        }
        if (state == State.ANSWERED && (!connects(from) || (transfer != null && transfer.leaves(from)))) {
            // RFC 5589 §6.1: the transferor leaves; the transfer (or the new pair) carries on without it.
            from.gone = true;
            calls.forget(from);
            return;
        }
        Leg other = state == State.ANSWERED ? other(from) : null;
        if (other != null) {
            calls.signalling.bye(other);
        } else {
            branches.forEach(calls.signalling::cancel);
        }
        if (transfer != null) {
            transfer.abandon(this);
        }
        end("normal", from.sideA ? "caller" : "callee");
    }

    /**
     * Our 2xx to a connected party was retransmitted for 64×T1 without an ACK: RFC 3261 §13.3.1.4 says the session
     * SHOULD be ended with a BYE. Both parties get one and the call is recorded, instead of its relay and the other
     * leg staying up for good.
     */
    synchronized void onAckTimeout(Leg leg) {
        if (state != State.ANSWERED || leg.gone || !connects(leg)) {
            return; // already ended, a branch that never connected, or a transferor that left
        }
        calls.signalling.bye(leg);
        Leg other = other(leg);
        if (other != null) {
            calls.signalling.bye(other);
        }
        if (transfer != null) {
            transfer.abandon(this);
        }
        end("no-ack", "system");
    }

    /**
     * RFC 4028 §10: {@code leg}'s session was not refreshed in time (or our refresh failed): both parties get a BYE
     * and the record says {@code session-expired}.
     */
    synchronized void sessionExpired(Leg leg) {
        if (state != State.ANSWERED || leg.gone || !connects(leg)) {
            return;
        }
        calls.signalling.bye(leg);
        Leg other = other(leg);
        if (other != null) {
            calls.signalling.bye(other);
        }
        if (transfer != null) {
            transfer.abandon(this);
        }
        end("session-expired", "system");
    }

    /** Ends the call from the node's side: BYE to {@code leg}'s party (the only one left). */
    synchronized void hangUp(Leg leg, String cause) {
        if (state == State.ENDED) {
            return;
        }
        calls.signalling.bye(leg);
        end(cause, "system");
    }

    private void failCaller(int status, String reason, String cause, String hungUpBy) {
        calls.signalling.respond(callerLeg, callerLeg.inviteSt, status, reason, null);
        end(cause, hungUpBy);
    }

    private void end(String cause, String hungUpBy) {
        if (state == State.ENDED) {
            return;
        }
        state = State.ENDED;
        cancelRingTimer();
        if (callerLeg.sessionTimer != null) {
            callerLeg.sessionTimer.stop();
        }
        if (partyA.sessionTimer != null) {
            partyA.sessionTimer.stop();
        }
        if (answered != null && answered.sessionTimer != null) {
            answered.sessionTimer.stop();
        }
        if (wake != null) {
            wake.cancelled(); // after an answer: already over, nothing written
        }
        calls.relayed(relay.aToB(), relay.bToA());
        relay.close();
        calls.forget(callerLeg);
        calls.forget(partyA);
        if (answered != null) {
            calls.forget(answered);
        }
        for (Leg branch : branches) {
            release(branch);
            if (branch.branchOver()) {
                calls.forget(branch); // unfinished branches stay findable until their final response
            }
        }
        calls.ended(this, cause, hungUpBy);
    }

    private void cancelRingTimer() {
        if (ringTimer != null) {
            ringTimer.cancel(false);
        }
        if (wakeTimer != null) {
            wakeTimer.cancel(false);
        }
    }

    /** The trunk's responses name the node that holds the callee's leg (for the CDR). */
    void learnRemoteNode(Leg branch, Response response) {
        if (!branch.target.viaTrunk() || remoteNode != null) {
            return;
        }
        String node = TrunkSignature.value(response, TrunkSignature.NODE);
        remoteNode = node != null && Keys.NODE.matcher(node).matches() ? node : branch.target.trunkNode();
    }
}
