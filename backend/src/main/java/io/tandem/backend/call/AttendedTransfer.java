package io.tandem.backend.call;

import io.tandem.telephony.sdp.SessionDescription;
import io.tandem.telephony.srtp.SdesException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
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
 * An attended transfer carried out by the node (RFC 5589 §7): the transferor, in a call with the remaining party and
 * in a consultation call with the target, both through this node, REFERs the first call with {@code Refer-To:
 * <target?Replaces=consultation dialog>} (RFC 3891). The node is the far end of both of the transferor's dialogs, so
 * it joins the two other parties itself instead of passing the REFER on: the target's leg moves into the transferred
 * call, on the relay port that faced the transferor, by a re-INVITE offering the remaining party's media (made
 * active: the remaining party is usually held, RFC 3264 §8.4), then the remaining party is re-INVITEd with the
 * target's answer, which also resumes it. The transferor's consultation leg gets the BYE the target would have sent
 * (RFC 3891 §3), the consultation call ends as {@code transferred}, the transferor hears 100 then 200 by NOTIFY and is
 * expected to hang up its first leg (RFC 5589 §6.1). The remaining party and the target may each be a leg over the
 * trunk to another node: the re-INVITEs cross it like any other. Runs under the transferred call's monitor, the
 * consultation's taken inside it (always in that order).
 */
final class AttendedTransfer implements Referral {

    private static final Logger log = LoggerFactory.getLogger(AttendedTransfer.class);

    private final Bridge bridge;
    private final Leg transferor;
    private final Leg remaining;
    private final Bridge consulted;
    private final Leg replaced;
    private final Leg original;
    private final Leg target;
    private final ReferSubscription subscription;
    private ClientTransaction targetTx;
    private ClientTransaction remainingTx;
    private boolean over;

    private AttendedTransfer(Bridge bridge, Leg transferor, Leg remaining, Leg replaced, Leg original) {
        this.bridge = bridge;
        this.transferor = transferor;
        this.remaining = remaining;
        this.consulted = replaced.bridge;
        this.replaced = replaced;
        this.original = original;
        this.target = original.movedTo(bridge);
        this.subscription = new ReferSubscription(bridge, transferor);
    }

    /** A REFER of {@code from}'s party whose Refer-To names {@code replacesValue}'s dialog (already unescaped). */
    static void onRefer(Bridge bridge, Leg from, Leg remaining, ServerTransaction st, String replacesValue,
            TransferAdmission admission) {
        Signalling signalling = bridge.calls.signalling;
        Optional<Replaces> replaces = Replaces.parse(replacesValue);
        if (replaces.isEmpty()) {
            signalling.respond(from, st, Response.BAD_REQUEST, "Replaces needs a Call-ID, to-tag and from-tag", null);
            return;
        }
        Leg replaced = bridge.calls.find(replaces.get().callId());
        if (replaced == null || replaced.bridge == bridge || !replaces.get().names(replaced)) {
            // RFC 3891 §3: no such dialog here; the transferor's phone may retry a blind transfer.
            signalling.respond(from, st, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST,
                    "Replaces names no dialog of this node", null);
            return;
        }
        if (!replaced.party.equals(from.party) || !replaced.bridge.tenant.equals(bridge.tenant)) {
            // Only one's own consultation call may be joined: a REFER cannot take over somebody else's call.
            log.warn("call {}: {} referred to a dialog of {} ({}); refused", bridge.id(), from.party, replaced.party,
                    replaced.callId);
            signalling.respond(from, st, Response.FORBIDDEN, "Replaces names another party's dialog", null);
            return;
        }
        Bridge consulted = replaced.bridge;
        synchronized (consulted) {
            if (consulted.state() != Bridge.State.ANSWERED || !consulted.connects(replaced)) {
                signalling.respond(from, st, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST,
                        "The consultation call is not established", null);
                return;
            }
            if (consulted.transfer() != null) {
                signalling.respond(from, st, Response.REQUEST_PENDING, "A transfer is in progress", null);
                return;
            }
            Leg original = consulted.other(replaced);
            if (original == null || original.remoteSdp == null) {
                signalling.respond(from, st, Response.NOT_ACCEPTABLE_HERE, "No media to transfer", null);
                return;
            }
            Optional<TransferAdmission.Refusal> refusal = admission.refusal(bridge.tenant, from.party,
                    original.party, false);
            if (refusal.isPresent()) {
                signalling.respond(from, st, refusal.get().status(), refusal.get().reason(), null);
                return;
            }
            signalling.respond(from, st, Response.ACCEPTED, null, null);
            AttendedTransfer transfer = new AttendedTransfer(bridge, from, remaining, replaced, original);
            bridge.transfer(transfer);
            consulted.transfer(transfer);
            transfer.start();
        }
    }

    private void start() {
        subscription.notifyTransferor(Response.TRYING, "Trying", false);
        log.info("call {}: {} transfers {} to {} of call {} (attended)", bridge.id(), transferor.party,
                remaining.party, target.party, consulted.id());
        // From now on the target's dialog is a leg of this call: its answers come here.
        bridge.calls.register(target);
        if (target.srtp != null) {
            // The target speaks SRTP (offered by the node over TLS, or its own offer): the re-offer that moves it
            // stays RTP/SAVP, keyed anew for the relay leg it moves to, as any offer to a TLS phone is (CalleeSrtp).
            target.offeredSrtp = bridge.srtp.renewed();
            target.srtp = target.offeredSrtp.offered();
        }
        Signalling signalling = bridge.calls.signalling;
        String offer = SdpRewriter.rewrite(SdpRewriter.resumed(remaining.remoteSdp), signalling.host(),
                bridge.relayLeg(transferor).localAddress().getPort(), target);
        targetTx = signalling.inDialog(target, Request.INVITE, Signalling.SDP, offer.getBytes(StandardCharsets.UTF_8));
        if (targetTx == null) {
            fail(Response.SERVER_INTERNAL_ERROR, "Cannot re-INVITE the target");
        }
    }

    @Override
    public boolean owns(Leg leg, ClientTransaction tx) {
        return tx != null && ((leg == target && tx == targetTx) || (leg == remaining && tx == remainingTx));
    }

    @Override
    public boolean leaves(Leg leg) {
        return leg == transferor || leg == replaced;
    }

    @Override
    public void onResponse(ResponseEvent event) {
        Response response = event.getResponse();
        int status = response.getStatusCode();
        ClientTransaction tx = event.getClientTransaction();
        if (status < Response.OK || over) {
            return;
        }
        if (tx == targetTx) {
            targetTx = null;
            onTargetAnswer(event, response, status);
        } else if (tx == remainingTx) {
            remainingTx = null;
            onRemainingAnswer(event, response, status);
        }
    }

    /** The target took the remaining party's media: now the remaining party gets the target's (and is resumed). */
    private void onTargetAnswer(ResponseEvent event, Response response, int status) {
        if (status >= Response.MULTIPLE_CHOICES) {
            fail(status, response.getReasonPhrase());
            return;
        }
        Signalling signalling = bridge.calls.signalling;
        ack(target, event, response);
        Optional<SessionDescription> answer = SdpRewriter.sdpOf(response).flatMap(this::plainAnswer);
        Optional<SdpRewriter.Agreed> agreed = answer.flatMap(SdpRewriter::agreed);
        if (agreed.isEmpty()) {
            fail(Response.NOT_ACCEPTABLE_HERE, "Not Acceptable Here");
            return;
        }
        target.remoteSdp = answer.get();
        bridge.relayLeg(transferor).configure(SdpRewriter.remoteRtp(answer.get()).orElse(null),
                agreed.get().codec(), agreed.get().telephoneEventPayloadType());
        // The transferor's relay leg now faces the target: it speaks the target's keys, or plain RTP (null).
        bridge.relayLeg(transferor).secure(target.srtp);
        String offer = SdpRewriter.rewrite(SdpRewriter.resumed(answer.get()), signalling.host(),
                bridge.relayLeg(remaining).localAddress().getPort(), remaining);
        remainingTx = signalling.inDialog(remaining, Request.INVITE, Signalling.SDP,
                offer.getBytes(StandardCharsets.UTF_8));
        if (remainingTx == null) {
            log.warn("call {}: cannot re-INVITE {} to resume it; joining it as it is", bridge.id(), remaining.party);
            complete();
        }
    }

    /** The target's answer in plain form, its leg keyed by it; empty (logged) when its SRTP answer is unusable. */
    private Optional<SessionDescription> plainAnswer(SessionDescription answer) {
        try {
            return Optional.of(target.acceptAnswer(answer));
        } catch (SdesException e) {
            log.info("call {}: unusable SRTP answer from transfer target {}: {}", bridge.id(), target.party,
                    e.getMessage());
            return Optional.empty();
        }
    }

    private void onRemainingAnswer(ResponseEvent event, Response response, int status) {
        if (status < Response.MULTIPLE_CHOICES) {
            ack(remaining, event, response);
            Optional<SessionDescription> answer = SdpRewriter.sdpOf(response);
            Optional<SdpRewriter.Agreed> agreed = answer.flatMap(SdpRewriter::agreed);
            if (agreed.isPresent()) {
                remaining.remoteSdp = answer.get();
                bridge.relayLeg(remaining).configure(SdpRewriter.remoteRtp(answer.get()).orElse(null),
                        agreed.get().codec(), agreed.get().telephoneEventPayloadType());
            }
        } else {
            // The target is already on the transferor's relay port: the join stands, the remaining party keeps its
            // previous media (it may stay held until it resumes itself).
            log.warn("call {}: {} refused the resuming re-INVITE: {}", bridge.id(), remaining.party, status);
        }
        complete();
    }

    private void ack(Leg leg, ResponseEvent event, Response response) {
        Dialog dialog = event.getDialog() != null ? event.getDialog() : leg.dialog();
        bridge.calls.signalling.ack(leg, dialog, ((CSeqHeader) response.getHeader(CSeqHeader.NAME)).getSeqNumber());
    }

    /** Both media paths are set: the target takes the transferor's place, the consultation call is over. */
    private void complete() {
        over = true;
        bridge.replace(transferor, target);
        bridge.calls.replaced(bridge, transferor, target);
        if (target.sessionTimer != null) {
            target.sessionTimer.start(); // the target's RFC 4028 timer carries on in this call
        }
        bridge.transferred(transferor.party, target.party, "attended");
        bridge.transfer(null);
        synchronized (consulted) {
            consulted.transfer(null);
            if (!replaced.gone) {
                // RFC 3891 §3: the replaced dialog is ended with a BYE, as the target would have done.
                bridge.calls.signalling.bye(replaced);
                replaced.gone = true;
            }
            bridge.calls.forget(replaced);
            // Both records say it: the transferred call (when this node writes it) and the consultation.
            consulted.transferred(transferor.party, target.party, "attended");
            consulted.handedOver();
        }
        log.info("call {}: {} now talks to {} (attended transfer by {})", bridge.id(), remaining.party,
                target.party, transferor.party);
        subscription.succeeded();
    }

    /** The join failed: the target's dialog goes back to the consultation call, the transferor keeps both calls. */
    private void fail(int status, String reason) {
        over = true;
        bridge.transfer(null);
        bridge.calls.forget(target);
        log.info("call {}: attended transfer of {} to {} failed: {} {}", bridge.id(), remaining.party, target.party,
                status, reason);
        synchronized (consulted) {
            consulted.transfer(null);
            if (target.gone) {
                consulted.hangUp(replaced, "normal"); // the target hung up meanwhile
            } else {
                bridge.calls.register(original);
            }
        }
        subscription.notifyTransferor(status, reason, true);
    }

    @Override
    public void onTimeout(ClientTransaction tx) {
        if (over) {
            return;
        }
        if (tx == targetTx) {
            targetTx = null;
            fail(Response.REQUEST_TIMEOUT, "Request Timeout");
        } else if (tx == remainingTx) {
            remainingTx = null;
            complete();
        }
    }

    /**
     * The transferred call ended during the join (the remaining party hung up): the target's dialog goes back to
     * the consultation call. An end of the consultation call itself is found by the join when it completes.
     */
    @Override
    public void abandon(Bridge ended) {
        if (ended != bridge || over) {
            return;
        }
        fail(Response.REQUEST_TERMINATED, "Request Terminated");
    }
}
