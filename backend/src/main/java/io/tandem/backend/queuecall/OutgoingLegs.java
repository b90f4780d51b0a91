package io.tandem.backend.queuecall;

import io.micrometer.core.instrument.Timer;
import io.tandem.backend.acd.dispatch.OfferGrant;
import io.tandem.backend.node.sip.NodeSignalling;
import io.tandem.backend.node.sip.OutgoingBranch;
import io.tandem.backend.node.sip.TrunkSignature;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.routing.CallRouter;
import io.tandem.backend.routing.Route;
import io.tandem.backend.trunk.Seizure;
import io.tandem.telephony.sip.SipMessages;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.sip.ClientTransaction;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.header.CSeqHeader;
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
    /** Caller enqueued → first offer INVITE sent (includes waiting for a free agent when none was). */
    private final Timer dispatchLatency;
    private final Map<String, AgentBranch> open = new ConcurrentHashMap<>();
    /**
     * Offer SRTP (SDES) to agents registered over TLS: the node requires SRTP of TLS phones
     * ({@code tandem.sip.tls-require-srtp}), so it keeps their audio encrypted in both directions of a call.
     */
    private final boolean srtpToTlsAgents;

    OutgoingLegs(NodeSignalling signalling, QueueMedia media, Reinvites reinvites, CallRouter router,
            Timer dispatchLatency, boolean srtpToTlsAgents) {
        this.srtpToTlsAgents = srtpToTlsAgents;
        this.signalling = signalling;
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
            leg = media.outgoing(srtpToTlsAgents && "tls".equalsIgnoreCase(target.transport()));
        } catch (IOException e) {
            log.warn("offer {}: no RTP port for agent {}: {}", grant.offerId(), reservation.agentId(), e.getMessage());
            return null;
        }
        AgentBranch branch = new AgentBranch(call, grant, reservation, target, newBranch(), leg.stream(),
                leg.negotiator());
        return invite(call, branch, leg) ? branch : null;
    }

    /** Dials an extension at {@code target}; null when the INVITE could not be sent. */
    AgentBranch dial(BranchOwner call, String extension, Route.Target target, OutgoingMedia leg) {
        AgentBranch branch = new AgentBranch(call, extension, target, newBranch(), leg.stream(), leg.negotiator());
        return invite(call, branch, leg) ? branch : null;
    }

    /**
     * Calls a customer over a seized trunk channel: the INVITE carries the channel's Call-ID (the seizure is held
     * under it) and goes to the carrier's gateway; null when it could not be sent.
     */
    AgentBranch dialCarrier(BranchOwner call, Seizure seizure, String e164, OutgoingMedia leg) {
        AgentBranch branch = new AgentBranch(call, e164, new Route.Target(seizure.requestUri(), seizure.transport(),
                null), signalling.branch(seizure.callId()), leg.stream(), leg.negotiator());
        return invite(call, branch, leg) ? branch : null;
    }

    /** Calls {@code user} at {@code target} into the caller's room; null when the INVITE could not be sent. */
    AgentBranch dialIntoRoom(BranchOwner call, String user, Route.Target target, OutgoingMedia leg) {
        AgentBranch branch = new AgentBranch(call, user, target, newBranch(), leg.stream(), leg.negotiator(), true);
        return invite(call, branch, leg) ? branch : null;
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
        return branch.branch.onResponse(tx, event.getDialog(), response.getStatusCode(), cseq.getSeqNumber());
    }

    /** A request on a leg's dialog other than a re-INVITE: 200 OK. */
    void ok(ServerTransaction st) {
        signalling.respond(st, Response.OK, null, null, null, null, false);
    }

    /** A re-INVITE on a leg's dialog (RFC 3264 §8), answered from its stream. */
    void reanswer(AgentBranch branch, ServerTransaction st, String contactUser) {
        reinvites.answer(st, branch.stream, branch.negotiator, contactUser, false);
    }

    AgentBranch find(String callId) {
        return callId == null ? null : open.get(callId);
    }

    void forget(AgentBranch branch) {
        open.remove(branch.callId(), branch);
    }

    private OutgoingBranch newBranch() {
        return signalling.branch(SipMessages.newToken() + "@tandem");
    }

    private boolean invite(BranchOwner call, AgentBranch branch, OutgoingMedia leg) {
        open.put(branch.callId(), branch);
        if (!branch.invite(signalling, call.callingNumber(branch), call.callingName(branch), call.tenant(),
                leg.offer())) {
            forget(branch);
            leg.stream().close();
            return false;
        }
        return true;
    }
}
