package io.tandem.backend.call;

import io.tandem.backend.node.sip.OutgoingBranch;
import io.tandem.backend.routing.CallRouter;
import io.tandem.backend.routing.Route;
import io.tandem.telephony.sdp.SessionDescription;
import io.tandem.telephony.sip.SipMessages;
import io.tandem.telephony.srtp.SdesException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.address.SipURI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.ReferToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A blind transfer carried out by the node (RFC 3515 REFER, RFC 5589 §6): one party (the transferor) refers the
 * other (the remaining party) to an extension. The node accepts with 202, reports progress to the transferor by
 * NOTIFY with a sipfrag (100, then the final status), rings every contact of the target itself (directly or over the
 * trunk, one branch each, as a direct call would) with the remaining party's SDP anchored on the transferor's relay
 * leg, and on the first answer cancels the other branches and points that relay leg at the target: the remaining
 * party keeps its relay port, so it needs no re-INVITE. A REFER whose Refer-To carries Replaces is an
 * {@link AttendedTransfer}. Runs under the bridge's monitor.
 */
final class Transfer implements Referral {

    private static final Logger log = LoggerFactory.getLogger(Transfer.class);
    /** RFC 3891 §6.1 header of a Refer-To URI (RFC 3515 §2.1: URI headers become headers of the INVITE). */
    private static final String REPLACES = "Replaces";

    private final Bridge bridge;
    private final Leg transferor;
    private final Leg remaining;
    private final ReferSubscription subscription;
    private final List<Leg> targets = new ArrayList<>();
    private boolean ringingNotified;
    private boolean answered;
    /** How the records name it: {@code blind}, or {@code attended} when it replaces a consultation elsewhere. */
    private final String kind;
    /** The re-INVITE that resumes the remaining party (held by the transferor while it consulted). */
    private ClientTransaction resumeTx;
    /** The target's leg that answered and took the transferor's place. */
    private Leg joined;

    private Transfer(Bridge bridge, Leg transferor, Leg remaining, String kind) {
        this.kind = kind;
        this.bridge = bridge;
        this.transferor = transferor;
        this.remaining = remaining;
        this.subscription = new ReferSubscription(bridge, transferor);
    }

    @Override
    public boolean owns(Leg leg, ClientTransaction tx) {
        return (targets.contains(leg) && leg.branch != null && leg.branch.owns(tx))
                || (leg == remaining && tx != null && tx == resumeTx);
    }

    @Override
    public boolean leaves(Leg leg) {
        return leg == transferor;
    }

    /** A REFER from {@code from}'s party. */
    static void onRefer(Bridge bridge, Leg from, ServerTransaction st, CallRouter router, TransferAdmission admission) {
        synchronized (bridge) {
            Signalling signalling = bridge.calls.signalling;
            if (bridge.state() != Bridge.State.ANSWERED || !bridge.connects(from)) {
                signalling.respond(from, st, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, null, null);
                return;
            }
            if (bridge.transfer() != null) {
                signalling.respond(from, st, Response.REQUEST_PENDING, "A transfer is in progress", null);
                return;
            }
            ReferToHeader referTo = (ReferToHeader) st.getRequest().getHeader(ReferToHeader.NAME);
            if (referTo == null || !(referTo.getAddress().getURI() instanceof SipURI uri) || uri.getUser() == null) {
                signalling.respond(from, st, Response.BAD_REQUEST, "Refer-To must be a sip: URI naming a number",
                        null);
                return;
            }
            Leg remaining = bridge.other(from);
            if (remaining == null || remaining.remoteSdp == null) {
                signalling.respond(from, st, Response.NOT_ACCEPTABLE_HERE, "No media to transfer", null);
                return;
            }
            if (bridge.carriesQueueOffer() && !from.isCaller()) {
                // An agent's queue call: the caller's node transfers its caller and keeps its records.
                QueueOfferTransfer.onRefer(bridge, from, st, uri.getUser(), uri.getHeader(REPLACES) == null,
                        admission);
                return;
            }
            String replaces = uri.getHeader(REPLACES);
            if (replaces != null) {
                String value = URLDecoder.decode(replaces, StandardCharsets.UTF_8);
                if (!consultedOnAnotherNode(bridge, from, remaining, st, uri.getUser(), value, router, admission)) {
                    AttendedTransfer.onRefer(bridge, from, remaining, st, value, admission);
                }
                return;
            }
            String number = uri.getUser();
            // A transfer places a call on the transferor's behalf: the same rule as the calls they dial themselves.
            Optional<TransferAdmission.Refusal> refusal = admission.refusal(bridge.tenant, from.party, number, true);
            if (refusal.isPresent()) {
                signalling.respond(from, st, refusal.get().status(), refusal.get().reason(), null);
                return;
            }
            Route route = router.route(bridge.tenant, number, false);
            signalling.respond(from, st, Response.ACCEPTED, null, null);
            Transfer transfer = new Transfer(bridge, from, remaining, "blind");
            bridge.transfer(transfer);
            transfer.subscription.notifyTransferor(Response.TRYING, "Trying", false);
            log.info("call {}: {} transfers {} to {}", bridge.id(), from.party, remaining.party, number);
            if (!(route instanceof Route.Ring ring)) {
                transfer.fail(route instanceof Route.Unknown ? Response.NOT_FOUND : Response.TEMPORARILY_UNAVAILABLE,
                        route instanceof Route.Unknown ? "Not Found" : "Temporarily Unavailable");
                return;
            }
            // "A transfer rings every contact of the target": one branch per target, as Bridge#start forks a call.
            for (Route.Target target : ring.targets()) {
                transfer.fork(number, target);
            }
            if (transfer.targets.stream().allMatch(Leg::branchOver)) {
                transfer.fail(Response.SERVICE_UNAVAILABLE, "Service Unavailable");
            }
        }
    }

    /**
     * An attended transfer whose consultation dialog another node holds ({@link DialogIndex}): the transferor's
     * phone consulted through that node. This node does what the transferee would do with the REFER (RFC 5589 §7):
     * it sends the remaining party's INVITE with the consultation's Replaces, and Referred-By the transferor (RFC 3892),
     * over the trunk to that node, which lets it take the transferor's place there ({@link Replacement}) and BYEs the consultation leg; the answer joins the
     * remaining party to it as a blind transfer's would. Only the transferor's own consultation may be named (403).
     * False when the dialog is this node's or unknown ({@link AttendedTransfer} answers).
     */
    private static boolean consultedOnAnotherNode(Bridge bridge, Leg from, Leg remaining, ServerTransaction st,
            String number, String value, CallRouter router, TransferAdmission admission) {
        Optional<Replaces> replaces = Replaces.parse(value);
        if (replaces.isEmpty() || bridge.calls.find(replaces.get().callId()) != null) {
            return false;
        }
        Optional<DialogIndex.Holder> holder = bridge.calls.dialogs.holder(bridge.tenant, replaces.get());
        if (holder.isEmpty() || holder.get().node().equals(bridge.calls.nodeId)) {
            return false;
        }
        Signalling signalling = bridge.calls.signalling;
        if (!holder.get().party().equals(from.party)) {
            log.warn("call {}: {} referred to a dialog of {} on node {}; refused", bridge.id(), from.party,
                    holder.get().party(), holder.get().node());
            signalling.respond(from, st, Response.FORBIDDEN, "Replaces names another party's dialog", null);
            return true;
        }
        Optional<TransferAdmission.Refusal> refusal = admission.refusal(bridge.tenant, from.party, number, false);
        if (refusal.isPresent()) {
            signalling.respond(from, st, refusal.get().status(), refusal.get().reason(), null);
            return true;
        }
        if (!(router.routeToNode(holder.get().node(), number) instanceof Route.Ring ring)) {
            signalling.respond(from, st, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST,
                    "The consultation's node is not alive", null);
            return true;
        }
        signalling.respond(from, st, Response.ACCEPTED, null, null);
        Transfer transfer = new Transfer(bridge, from, remaining, "attended");
        bridge.transfer(transfer);
        transfer.subscription.notifyTransferor(Response.TRYING, "Trying", false);
        log.info("call {}: {} transfers {} to {}, consulted through node {}", bridge.id(), from.party,
                remaining.party, number, holder.get().node());
        transfer.fork(number, ring.targets().get(0), replaces.get().value());
        if (transfer.targets.stream().allMatch(Leg::branchOver)) {
            transfer.fail(Response.SERVICE_UNAVAILABLE, "Service Unavailable");
        }
        return true;
    }

    private void fork(String number, Route.Target routeTarget) {
        fork(number, routeTarget, null);
    }

    /** One branch to the target; {@code replaces}: the dialog it replaces on the node it goes to, or null. */
    private void fork(String number, Route.Target routeTarget, String replaces) {
        Leg leg = new Leg(bridge, Leg.Side.CALLEE, SipMessages.newToken() + "@tandem", number);
        leg.target = routeTarget;
        leg.replaces = replaces;
        // The node holding the consultation checks who may replace it by the transferor, not the remaining party.
        leg.referredBy = replaces == null ? null : transferor.party;
        leg.sideA = transferor.sideA;
        targets.add(leg);
        bridge.calls.register(leg);
        // A phone of this node reached over TLS is offered SRTP, as a call's own branches are (Bridge#fork).
        leg.offerSrtp(bridge.srtp);
        if (!bridge.calls.signalling.invite(leg, remaining.party, bridge.tenant, offerTo(leg))) {
            bridge.calls.forget(leg);
        }
    }

    /**
     * The remaining party's media as {@code leg} is offered it, anchored on the transferor's relay leg and secured
     * when the leg speaks SRTP: as it is for a blind transfer; made sendrecv when the branch replaces a consultation
     * (the transferor held the remaining party, whose last SDP may say recvonly: RFC 3264 §8.4).
     */
    private String offerTo(Leg leg) {
        SessionDescription offered = leg.replaces == null ? remaining.remoteSdp
                : SdpRewriter.resumed(remaining.remoteSdp);
        return SdpRewriter.rewrite(offered, bridge.calls.signalling.host(),
                bridge.relayLeg(transferor).localAddress().getPort(), leg);
    }

    /** A response to the INVITE towards one of the target's contacts. */
    @Override
    public void onResponse(ResponseEvent event) {
        Response response = event.getResponse();
        int status = response.getStatusCode();
        if (resumeTx != null && event.getClientTransaction() == resumeTx) {
            onResumed(event);
            return;
        }
        Leg target = targetOf(event.getClientTransaction());
        if (target == null) {
            return;
        }
        if (status == Response.NOT_ACCEPTABLE_HERE && offeredPlainAfter(target, event.getClientTransaction(), status)) {
            return;
        }
        long cseq = ((CSeqHeader) response.getHeader(CSeqHeader.NAME)).getSeqNumber();
        switch (target.branch.onResponse(event.getClientTransaction(), event.getDialog(), status, cseq)) {
            case PROVISIONAL -> {
                if (status == Response.RINGING && !ringingNotified) {
                    ringingNotified = true;
                    subscription.notifyTransferor(Response.RINGING, "Ringing", false);
                }
            }
            case ENDED -> {
                bridge.learnRemoteNode(target, response);
                bridge.calls.forget(target);
                branchEnded();
            }
            case NONE -> {
            }
            case ANSWERED -> {
                bridge.learnRemoteNode(target, response);
                onAnswer(target, response);
            }
        }
    }

    /**
     * The target's phone refused our SRTP offer ({@code status} 488): true when the plain offer went instead, once, as
     * for a call's own branch ({@link CalleeSrtp}); false when the refusal is the branch's outcome.
     */
    private boolean offeredPlainAfter(Leg target, ClientTransaction refused, int status) {
        if (answered || target.branch.cancelled() || !target.plainAfter(status)) {
            String why = target.offeredSrtp == null ? null : target.offeredSrtp.refusal(status);
            if (why != null) {
                log.info("call {}: transfer target {}: {}", bridge.id(), target.target.requestUri(), why);
            }
            return false;
        }
        log.info("call {}: transfer target {} refused SRTP ({}); offering plain RTP/AVP once", bridge.id(),
                target.target.requestUri(), status);
        return bridge.calls.signalling.inviteAgain(target, refused, offerTo(target));
    }

    private void onAnswer(Leg target, Response response) {
        Signalling signalling = bridge.calls.signalling;
        if (answered) {
            // RFC 3261 §15: another contact answered first; this one only gets a BYE.
            signalling.bye(target);
            bridge.calls.forget(target);
            return;
        }
        Optional<SessionDescription> answer = SdpRewriter.sdpOf(response).flatMap(sdp -> plain(target, sdp));
        Optional<SdpRewriter.Agreed> agreed = answer.flatMap(SdpRewriter::agreed);
        if (agreed.isEmpty()) {
            signalling.bye(target);
            bridge.calls.forget(target);
            target.gone = true;
            branchEnded();
            return;
        }
        answered = true;
        targets.stream().filter(other -> other != target).forEach(signalling::cancel);
        target.remoteSdp = answer.get();
        bridge.relayLeg(target).configure(SdpRewriter.remoteRtp(answer.get()).orElse(null), agreed.get().codec(),
                agreed.get().telephoneEventPayloadType());
        // The transferor's relay leg now faces the target: it speaks the target's keys, or plain RTP (null).
        bridge.relayLeg(target).secure(target.srtp);
        joined = target;
        bridge.replace(transferor, target);
        bridge.calls.replaced(bridge, transferor, target);
        bridge.transferred(transferor.party, target.party, kind);
        if ("attended".equals(kind)) {
            // The transferor held the remaining party while it consulted: the target's answer, made sendrecv,
            // resumes it (as AttendedTransfer does on one node).
            String offer = SdpRewriter.rewrite(SdpRewriter.resumed(answer.get()), signalling.host(),
                    bridge.relayLeg(remaining).localAddress().getPort(), remaining);
            resumeTx = signalling.inDialog(remaining, Request.INVITE, Signalling.SDP,
                    offer.getBytes(StandardCharsets.UTF_8));
            if (resumeTx != null) {
                return;
            }
            log.warn("call {}: cannot re-INVITE {} to resume it; joined as it is", bridge.id(), remaining.party);
        }
        finish();
    }

    /** The target's answer in plain form, the leg keyed by it; empty (logged) when its SRTP answer is unusable. */
    private Optional<SessionDescription> plain(Leg target, SessionDescription answer) {
        try {
            return Optional.of(target.acceptAnswer(answer));
        } catch (SdesException e) {
            log.info("call {}: unusable SRTP answer from transfer target {}: {}", bridge.id(),
                    target.target.requestUri(), e.getMessage());
            return Optional.empty();
        }
    }

    private void finish() {
        bridge.transfer(null);
        log.info("call {}: {} now talks to {}", bridge.id(), remaining.party, joined.party);
        subscription.succeeded();
    }

    /** The remaining party's answer to the resuming re-INVITE: its media follows it; the transfer is done. */
    private void onResumed(ResponseEvent event) {
        Response response = event.getResponse();
        if (response.getStatusCode() < Response.OK) {
            return;
        }
        resumeTx = null;
        if (response.getStatusCode() < Response.MULTIPLE_CHOICES) {
            Dialog dialog = event.getDialog() != null ? event.getDialog() : remaining.dialog();
            bridge.calls.signalling.ack(remaining, dialog,
                    ((CSeqHeader) response.getHeader(CSeqHeader.NAME)).getSeqNumber());
            Optional<SessionDescription> answer = SdpRewriter.sdpOf(response);
            Optional<SdpRewriter.Agreed> agreed = answer.flatMap(SdpRewriter::agreed);
            if (agreed.isPresent()) {
                remaining.remoteSdp = answer.get();
                bridge.relayLeg(remaining).configure(SdpRewriter.remoteRtp(answer.get()).orElse(null),
                        agreed.get().codec(), agreed.get().telephoneEventPayloadType());
            }
        } else {
            log.warn("call {}: {} refused the resuming re-INVITE: {}", bridge.id(), remaining.party,
                    response.getStatusCode());
        }
        finish();
    }

    /** The target's INVITE timed out. */
    @Override
    public void onTimeout(ClientTransaction tx) {
        if (resumeTx != null && tx == resumeTx) {
            resumeTx = null;
            finish(); // the join stands; the remaining party may stay held until it resumes itself
            return;
        }
        Leg target = targetOf(tx);
        if (target == null || target.branch.onTimeout(tx) != OutgoingBranch.Step.ENDED) {
            return;
        }
        bridge.calls.forget(target);
        branchEnded();
    }

    /** One branch is over without the call: the transfer fails when every branch is (RFC 3261 §16.7 spirit). */
    private void branchEnded() {
        if (answered || !targets.stream().allMatch(l -> l.branchOver() || l.gone)) {
            return;
        }
        if (targets.stream().allMatch(l -> l.branch != null && l.branch.cancelled())) {
            bridge.transfer(null); // abandoned: the transferor was told (487) when we cancelled
            return;
        }
        boolean busy = targets.stream().anyMatch(l -> l.branch != null && l.branch.finalStatus() == Response.BUSY_HERE);
        Leg last = targets.get(targets.size() - 1);
        if (busy) {
            fail(Response.BUSY_HERE, "Busy Here");
        } else if (targets.size() == 1 && last.branch != null && last.branch.finalStatus() >= 300) {
            fail(last.branch.finalStatus(), "Transfer failed");
        } else {
            fail(Response.TEMPORARILY_UNAVAILABLE, "Temporarily Unavailable");
        }
    }

    /** The remaining party hung up while the target was being called. */
    @Override
    public void abandon(Bridge ended) {
        targets.forEach(bridge.calls.signalling::cancel);
        subscription.notifyTransferor(Response.REQUEST_TERMINATED, "Request Terminated", true);
    }

    /** The transfer failed: the transferor learns why and keeps its call (RFC 5589 §6.1), if it is still there. */
    private void fail(int status, String reason) {
        bridge.transfer(null);
        log.info("call {}: transfer of {} failed: {} {}", bridge.id(), remaining.party, status, reason);
        if (transferor.gone) {
            bridge.hangUp(remaining, "transfer-failed");
        } else {
            subscription.notifyTransferor(status, reason, true);
        }
    }

    private Leg targetOf(ClientTransaction tx) {
        for (Leg leg : targets) {
            if (leg.branch != null && leg.branch.owns(tx)) {
                return leg;
            }
        }
        return null;
    }
}
