package io.tandem.backend.queuecall;

import io.micrometer.core.instrument.Timer;
import io.tandem.backend.acd.dispatch.OfferGrant;
import io.tandem.backend.call.B2bua;
import io.tandem.backend.call.CalleeSrtp;
import io.tandem.backend.call.ConsultationTaker;
import io.tandem.backend.call.DialogIndex;
import io.tandem.backend.call.SrtpTermination;
import io.tandem.backend.call.TransferAdmission;
import io.tandem.backend.node.sip.NodeSignalling;
import io.tandem.backend.node.sip.OutgoingBranch;
import io.tandem.backend.node.sip.ReferProgress;
import io.tandem.backend.node.sip.TrunkSignature;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.routing.CallRouter;
import io.tandem.backend.routing.Route;
import io.tandem.backend.trunk.Seizure;
import io.tandem.telephony.sip.SipMessages;
import io.tandem.telephony.sdp.SessionDescription;
import java.io.IOException;
import java.text.ParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.InvalidArgumentException;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.header.CSeqHeader;
import javax.sip.header.Header;
import javax.sip.header.HeaderFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The legs this node's queue calls place (an agent for an offer, the overflow extension): routed, a stream and SDP
 * offer of their own on this node, the INVITE sent, and findable by Call-ID so their responses and requests reach
 * the call, until their final response once the call is done with them.
 */
final class OutgoingLegs {

    private static final Logger log = LoggerFactory.getLogger(OutgoingLegs.class);

    private final NodeSignalling signalling;
    private final QueueMedia media;
    private final CallRouter router;
    private final Reinvites reinvites;
    private final SrtpTermination srtp;
    /** Where the cluster finds the dialogs an agent's attended transfer names. */
    private final DialogIndex dialogs;
    /** The node's B2BUA, for a consultation it holds (looked up on first use: it routes to the queue calls). */
    private final Supplier<B2bua> calls;
    /** Caller enqueued → first offer INVITE sent (includes waiting for a free agent when none was). */
    private final Timer dispatchLatency;
    private final Map<String, AgentBranch> open = new ConcurrentHashMap<>();

    OutgoingLegs(NodeSignalling signalling, QueueMedia media, Reinvites reinvites, CallRouter router,
            SrtpTermination srtp, DialogIndex dialogs, Supplier<B2bua> calls, Timer dispatchLatency) {
        this.calls = calls;
        this.signalling = signalling;
        this.dialogs = dialogs;
        this.srtp = srtp;
        this.media = media;
        this.reinvites = reinvites;
        this.router = router;
        this.dispatchLatency = dispatchLatency;
    }

    /** The routes to an offer's agents, from the bindings the claim read (Redis only when they cannot decide). */
    Map<String, Route> routes(String tenant, OfferGrant grant) {
        Map<String, Route> routes = new HashMap<>();
        for (OfferGrant.Reservation reservation : grant.agents()) {
            routes.put(reservation.agentId(), router.routeReserved(tenant, reservation.agentId(),
                    reservation.contacts()));
        }
        return routes;
    }

    /** Where an extension is reached, as for any call. */
    Route route(String tenant, String extension) {
        return router.route(tenant, extension, false);
    }

    /** Rings a reserved agent at {@code target} for {@code call}; null (logged) when it could not be rung. */
    AgentBranch ring(BranchOwner call, OfferGrant grant, OfferGrant.Reservation reservation, Route.Target target) {
        OutgoingMedia leg;
        try {
            leg = media.outgoing();
        } catch (IOException e) {
            log.warn("offer {}: no RTP port for agent {}: {}", grant.offerId(), reservation.agentId(), e.getMessage());
            return null;
        }
        AgentBranch branch = new AgentBranch(call, grant, reservation, target, newBranch(), leg.stream(),
                leg.negotiator());
        return invite(call, branch, leg, true) ? branch : null;
    }

    /** Dials an extension at {@code target}; null when the INVITE could not be sent. */
    AgentBranch dial(BranchOwner call, String extension, Route.Target target, OutgoingMedia leg) {
        AgentBranch branch = new AgentBranch(call, extension, target, newBranch(), leg.stream(), leg.negotiator());
        return invite(call, branch, leg, true) ? branch : null;
    }

    /**
     * Calls a customer over a seized trunk channel: the INVITE carries the channel's Call-ID (the seizure is held
     * under it) and goes to the carrier's gateway; null when it could not be sent.
     */
    AgentBranch dialCarrier(BranchOwner call, Seizure seizure, String e164, OutgoingMedia leg) {
        AgentBranch branch = new AgentBranch(call, e164, new Route.Target(seizure.requestUri(), seizure.transport(),
                null), signalling.branch(seizure.callId()), leg.stream(), leg.negotiator());
        return invite(call, branch, leg, false) ? branch : null;
    }

    /**
     * The node holding the consultation dialog an agent's Refer-To names in Replaces (RFC 3891), with that leg's
     * party; empty when no node holds it.
     */
    Optional<DialogIndex.Holder> consultation(String tenant, String replaces) {
        return dialogs.holder(tenant, replaces);
    }

    /**
     * A consultation this node holds whose colleague is reached over the trunk ({@link B2bua#consultationOverTrunk}):
     * the colleague's node and the Replaces naming that half of it there.
     */
    Optional<B2bua.FarHalf> consultationOverTrunk(String tenant, String replaces, String agent) {
        return calls.get().consultationOverTrunk(tenant, replaces, agent);
    }

    /** A consultation this node holds with a phone of this node ({@link B2bua#consultationHere}): that phone. */
    Optional<B2bua.NearHalf> consultationHere(String tenant, String replaces, String agent) {
        return calls.get().consultationHere(tenant, replaces, agent);
    }

    /** The Replaces join on this node ({@link B2bua#handOver}); empty when it started. */
    Optional<TransferAdmission.Refusal> handOver(String tenant, String replaces, String agent, String caller,
            String offer, ConsultationTaker taker) {
        return calls.get().handOver(tenant, replaces, agent, caller, offer, taker);
    }

    /**
     * The answered dialog {@code branch} the B2BUA handed over, as {@code call}'s leg to {@code extension} for agent
     * {@code referredBy} (an attended transfer's, {@link AgentBranch#replaces}) on {@code leg}'s stream, which
     * {@code placed} offered; findable by its Call-ID from now on, so the colleague's requests reach the call.
     * {@code released} runs once, when it is forgotten.
     */
    AgentBranch adopt(BranchOwner call, String extension, Route.Target target, OutgoingMedia leg, PlacedSrtp placed,
            String replaces, String referredBy, OutgoingBranch branch, Runnable released) {
        AgentBranch adopted = new AgentBranch(call, extension, target, branch, leg.stream(), leg.negotiator(),
                replaces, referredBy);
        adopted.placed = placed;
        adopted.agentNode = signalling.nodeId();
        adopted.released = released;
        open.put(adopted.callId(), adopted);
        return adopted;
    }

    /** This node's id. */
    String nodeId() {
        return signalling.nodeId();
    }

    /** {@code number} reached at {@code node} over the signed trunk; not a ring when that node is not alive. */
    Route routeToNode(String node, String number) {
        return router.routeToNode(node, number);
    }

    /**
     * Calls {@code extension} at {@code target} (another node) with {@code replaces}, for agent {@code referredBy}:
     * the caller joins the agent's consultation with that extension. Null when the INVITE could not be sent.
     */
    AgentBranch dialReplacing(BranchOwner call, String extension, Route.Target target, OutgoingMedia leg,
            String replaces, String referredBy) {
        AgentBranch branch = new AgentBranch(call, extension, target, newBranch(), leg.stream(), leg.negotiator(),
                replaces, referredBy);
        return invite(call, branch, leg, true) ? branch : null;
    }

    /** Calls {@code user} at {@code target} into the caller's room; null when the INVITE could not be sent. */
    AgentBranch dialIntoRoom(BranchOwner call, String user, Route.Target target, OutgoingMedia leg) {
        AgentBranch branch = new AgentBranch(call, user, target, newBranch(), leg.stream(), leg.negotiator(), true);
        return invite(call, branch, leg, true) ? branch : null;
    }

    /** A stream of this node and its SDP offer; IOException when no RTP port is free. */
    OutgoingMedia media() throws IOException {
        return media.outgoing();
    }

    /** The first offer INVITE for a caller who joined at {@code enqueuedNanos} (System.nanoTime) is out. */
    void dispatched(long enqueuedNanos) {
        dispatchLatency.record(System.nanoTime() - enqueuedNanos, TimeUnit.NANOSECONDS);
    }

    /** Ends a leg that will not carry the call: BYE if it was answered, its stream closed. */
    void drop(AgentBranch branch, boolean bye) {
        if (bye) {
            branch.branch.bye();
        }
        branch.stream.close();
        if (branch.branch.isFinal()) {
            forget(branch); // unfinished branches stay findable until their final response
        }
    }

    /**
     * What a response to a leg's INVITE comes to (null for a response to another method). The first one also names
     * the node that answers the leg: the one a trunk response names, the trunk's far node, or this one. Under the
     * call's lock, which guards the branch.
     */
    OutgoingBranch.Step step(AgentBranch branch, ResponseEvent event) {
        Response response = event.getResponse();
        CSeqHeader cseq = (CSeqHeader) response.getHeader(CSeqHeader.NAME);
        if (!Request.INVITE.equals(cseq.getMethod())) {
            return null;
        }
        ClientTransaction tx = event.getClientTransaction();
        if (branch.agentNode == null && branch.branch.owns(tx) && !branch.branch.isFinal()) {
            String node = TrunkSignature.value(response, TrunkSignature.NODE);
            branch.agentNode = node != null && Keys.NODE.matcher(node).matches() ? node
                    : branch.target.viaTrunk() ? branch.target.trunkNode() : signalling.nodeId();
        }
        if (branch.placed.offeredPlainAfter(response.getStatusCode(), signalling, branch.branch, tx, branch)) {
            return OutgoingBranch.Step.NONE;
        }
        return branch.branch.onResponse(tx, event.getDialog(), response.getStatusCode(), cseq.getSeqNumber());
    }

    /**
     * {@code plain} as the INVITE to {@code target} offers it: SRTP with the node's key to a phone of this node
     * reached over TLS ({@link CalleeSrtp}); a phone on another node is offered it by that node's B2BUA, which rings
     * it, and a carrier ({@code phone} false) gets plain RTP.
     */
    PlacedSrtp offerTo(Route.Target target, boolean phone, SessionDescription plain) {
        CalleeSrtp offered = phone && !target.viaTrunk() ? srtp.offerTo(target.transport()).orElse(null) : null;
        return new PlacedSrtp(offered, plain);
    }

    /** A request on a leg's dialog other than a re-INVITE: 200 OK. */
    void ok(ServerTransaction st) {
        answer(st, Response.OK, null);
    }

    /** Answers a request on a leg's dialog with {@code status} (a REFER's 202, or its refusal). */
    void answer(ServerTransaction st, int status, String reason) {
        signalling.respond(st, status, reason, null, null, null, false);
    }

    /**
     * A NOTIFY of the subscription the leg's REFER created (RFC 3515 §2.4.4, {@link ReferProgress}): the status of
     * the transfer as a sipfrag; {@code terminated} for the last one. False when it could not be built or sent.
     */
    boolean notifyReferProgress(AgentBranch branch, int status, String reason, boolean terminated) {
        Dialog dialog = branch.branch.dialog();
        if (dialog == null) {
            return false;
        }
        try {
            Request notify = signalling.request(dialog, Request.NOTIFY);
            for (Header header : ReferProgress.headers(signalling.endpoint().messages().headers(), terminated)) {
                notify.setHeader(header);
            }
            notify.setContent(ReferProgress.body(status, reason), signalling.endpoint().messages().headers()
                    .createContentTypeHeader(ReferProgress.CONTENT_TYPE, ReferProgress.CONTENT_SUBTYPE));
            return signalling.send(dialog, notify) != null;
        } catch (SipException | ParseException | InvalidArgumentException e) {
            signalling.failed("request", "NOTIFY on " + branch, e);
            return false;
        }
    }

    /** A re-INVITE on a leg's dialog (RFC 3264 §8), answered from its stream. */
    void reanswer(AgentBranch branch, ServerTransaction st, String contactUser) {
        branch.placed.reanswer(reinvites, st, branch.stream, branch.negotiator, contactUser);
    }

    /** The SIP stack's header factory (a session timer's headers). */
    HeaderFactory headerFactory() {
        return signalling.endpoint().messages().headers();
    }

    AgentBranch find(String callId) {
        return callId == null ? null : open.get(callId);
    }

    void forget(AgentBranch branch) {
        if (open.remove(branch.callId(), branch) && branch.released != null) {
            branch.released.run();
        }
    }

    private OutgoingBranch newBranch() {
        return signalling.branch(SipMessages.newToken() + "@tandem");
    }

    /** Sends the leg's INVITE; {@code phone} false for a carrier, which is never offered SRTP. */
    private boolean invite(BranchOwner call, AgentBranch branch, OutgoingMedia leg, boolean phone) {
        open.put(branch.callId(), branch);
        if (!branch.invite(signalling, call.callingNumber(branch), call.callingName(branch), call.tenant(),
                offerTo(branch.target, phone, leg.offer()))) {
            forget(branch);
            leg.stream().close();
            return false;
        }
        return true;
    }
}
