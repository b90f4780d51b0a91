package io.tandem.backend.call;

import io.tandem.backend.node.sip.OutgoingBranch;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.routing.CallAdmission;
import io.tandem.backend.routing.CallRouter;
import io.tandem.backend.routing.Route;
import io.tandem.telephony.sdp.SessionDescription;
import io.tandem.telephony.sip.SipMessages;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.sip.ClientTransaction;
import javax.sip.InvalidArgumentException;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.address.SipURI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.Header;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ReferToHeader;
import javax.sip.header.SubscriptionStateHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A blind transfer carried out by the node (RFC 3515 REFER, RFC 5589 §6): one party (the transferor) refers the
 * other (the remaining party) to an extension. The node accepts with 202, reports progress to the transferor by
 * NOTIFY with a sipfrag (100, then the final status), calls the target itself (directly or over the trunk) with the
 * remaining party's SDP anchored on the transferor's relay leg, and on answer points that relay leg at the target:
 * the remaining party keeps its relay port, so it needs no re-INVITE. The transferor is expected to hang up after
 * the final NOTIFY; the node ends its leg after a grace otherwise. Runs under the bridge's monitor.
 */
final class Transfer {

    private static final Logger log = LoggerFactory.getLogger(Transfer.class);
    /** How long the transferor may keep its leg after the successful NOTIFY before the node sends BYE. */
    private static final long TRANSFEROR_BYE_GRACE_SECONDS = 4;
    private static final String SIPFRAG = "message/sipfrag";

    private final Bridge bridge;
    private final Leg transferor;
    private final Leg remaining;
    private Leg target;

    private Transfer(Bridge bridge, Leg transferor, Leg remaining) {
        this.bridge = bridge;
        this.transferor = transferor;
        this.remaining = remaining;
    }

    Leg transferor() {
        return transferor;
    }

    boolean owns(Leg leg, ClientTransaction tx) {
        return leg == target && leg.branch != null && leg.branch.owns(tx);
    }

    /** A REFER from {@code from}'s party. */
    static void onRefer(Bridge bridge, Leg from, ServerTransaction st, CallRouter router, CallAdmission admission) {
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
            if (referTo == null || !(referTo.getAddress().getURI() instanceof SipURI uri) || uri.getUser() == null
                    || !Keys.EXTENSION.matcher(uri.getUser()).matches()) {
                signalling.respond(from, st, Response.BAD_REQUEST, "Refer-To must name an extension", null);
                return;
            }
            Leg remaining = bridge.other(from);
            if (remaining == null || remaining.remoteSdp == null) {
                signalling.respond(from, st, Response.NOT_ACCEPTABLE_HERE, "No media to transfer", null);
                return;
            }
            String extension = uri.getUser();
            // A transfer places a call on the transferor's behalf: the same rule as the calls they dial themselves.
            Optional<String> refusal = admission.refusal(bridge.tenant, from.party, extension);
            if (refusal.isPresent()) {
                signalling.respond(from, st, Response.FORBIDDEN, refusal.get(), null);
                return;
            }
            signalling.respond(from, st, Response.ACCEPTED, null, null);
            Transfer transfer = new Transfer(bridge, from, remaining);
            bridge.transfer(transfer);
            transfer.notifyTransferor(Response.TRYING, "Trying", false);
            log.info("call {}: {} transfers {} to {}", bridge.id(), from.party, remaining.party, extension);
            Route route = router.route(bridge.tenant, extension, false);
            if (!(route instanceof Route.Ring ring)) {
                transfer.fail(route instanceof Route.Unknown ? Response.NOT_FOUND : Response.TEMPORARILY_UNAVAILABLE,
                        route instanceof Route.Unknown ? "Not Found" : "Temporarily Unavailable");
                return;
            }
            Leg leg = new Leg(bridge, Leg.Side.CALLEE, SipMessages.newToken() + "@tandem", extension);
            leg.target = ring.targets().get(0);
            leg.sideA = from.sideA;
            transfer.target = leg;
            bridge.calls.register(leg);
            String sdp = SdpRewriter.rewrite(remaining.remoteSdp, signalling.host(),
                    bridge.relayLeg(from).localAddress().getPort(), leg);
            if (!signalling.invite(leg, remaining.party, bridge.tenant, sdp)) {
                bridge.calls.forget(leg);
                transfer.fail(Response.SERVICE_UNAVAILABLE, "Service Unavailable");
            }
        }
    }

    /** A response to the INVITE towards the transfer target. */
    void onResponse(ResponseEvent event) {
        Response response = event.getResponse();
        int status = response.getStatusCode();
        Signalling signalling = bridge.calls.signalling;
        long cseq = ((CSeqHeader) response.getHeader(CSeqHeader.NAME)).getSeqNumber();
        switch (target.branch.onResponse(event.getClientTransaction(), event.getDialog(), status, cseq)) {
            case PROVISIONAL -> {
                if (status == Response.RINGING) {
                    notifyTransferor(Response.RINGING, "Ringing", false);
                }
                return;
            }
            case ENDED -> {
                bridge.learnRemoteNode(target, response);
                bridge.calls.forget(target);
                if (target.branch.cancelled()) {
                    bridge.transfer(null); // abandoned: the transferor was told (487) when we cancelled
                } else {
                    fail(status, response.getReasonPhrase());
                }
                return;
            }
            case NONE -> {
                return;
            }
            case ANSWERED -> bridge.learnRemoteNode(target, response);
        }
        Optional<SessionDescription> answer = SdpRewriter.sdpOf(response);
        Optional<SdpRewriter.Agreed> agreed = answer.flatMap(SdpRewriter::agreed);
        if (agreed.isEmpty()) {
            signalling.bye(target);
            bridge.calls.forget(target);
            fail(Response.NOT_ACCEPTABLE_HERE, "Not Acceptable Here");
            return;
        }
        target.remoteSdp = answer.get();
        bridge.relayLeg(target).configure(SdpRewriter.remoteRtp(answer.get()).orElse(null), agreed.get().codec(),
                agreed.get().telephoneEventPayloadType());
        bridge.replace(transferor, target);
        bridge.calls.replaced(bridge, transferor, target);
        bridge.transfer(null);
        log.info("call {}: {} now talks to {}", bridge.id(), remaining.party, target.party);
        if (!transferor.gone) {
            notifyTransferor(Response.OK, "OK", true);
            bridge.calls.timers.schedule(this::endTransferor, TRANSFEROR_BYE_GRACE_SECONDS, TimeUnit.SECONDS);
        }
    }

    /** The target's INVITE timed out. */
    void onTimeout(ClientTransaction tx) {
        if (target.branch.onTimeout(tx) != OutgoingBranch.Step.ENDED) {
            return;
        }
        bridge.calls.forget(target);
        if (target.branch.cancelled()) {
            bridge.transfer(null);
        } else {
            fail(Response.REQUEST_TIMEOUT, "Request Timeout");
        }
    }

    /** The remaining party hung up while the target was being called. */
    void abandon() {
        if (target != null) {
            bridge.calls.signalling.cancel(target);
        }
        notifyTransferor(Response.REQUEST_TERMINATED, "Request Terminated", true);
    }

    /** The transfer failed: the transferor learns why and keeps its call (RFC 5589 §6.1), if it is still there. */
    private void fail(int status, String reason) {
        bridge.transfer(null);
        log.info("call {}: transfer of {} failed: {} {}", bridge.id(), remaining.party, status, reason);
        if (transferor.gone) {
            bridge.hangUp(remaining, "transfer-failed");
        } else {
            notifyTransferor(status, reason, true);
        }
    }

    private void endTransferor() {
        synchronized (bridge) {
            if (!transferor.gone) {
                bridge.calls.signalling.bye(transferor);
                transferor.gone = true;
                bridge.calls.forget(transferor);
            }
        }
    }

    /** RFC 3515 §2.4.4: NOTIFY of the implicit refer subscription with the new call's status as a sipfrag. */
    private void notifyTransferor(int status, String reason, boolean terminated) {
        if (transferor.gone) {
            return;
        }
        HeaderFactory headers = bridge.calls.signalling.endpoint().messages().headers();
        try {
            SubscriptionStateHeader state = headers.createSubscriptionStateHeader(
                    terminated ? SubscriptionStateHeader.TERMINATED : SubscriptionStateHeader.ACTIVE);
            if (terminated) {
                state.setReasonCode(SubscriptionStateHeader.NO_RESOURCE);
            } else {
                state.setExpires(60);
            }
            List<Header> extra = List.of(headers.createEventHeader("refer"), state);
            bridge.calls.signalling.inDialog(transferor, Request.NOTIFY, SIPFRAG,
                    ("SIP/2.0 " + status + " " + reason + "\r\n").getBytes(StandardCharsets.UTF_8), extra);
        } catch (ParseException | InvalidArgumentException e) {
            log.warn("call {}: cannot build the NOTIFY: {}", bridge.id(), e.getMessage());
        }
    }
}
