package io.tandem.backend.call;

import io.tandem.telephony.sdp.SessionDescription;
import io.tandem.telephony.sip.SipMessages;
import io.tandem.telephony.srtp.Sdes;
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

/**
 * What crosses an established call: a re-INVITE on one leg becomes a re-INVITE on the other with the offer anchored
 * on the relay (direction attributes kept, so hold and resume work end to end, RFC 3264 §8.4), and its answer comes
 * back the same way; SIP INFO (e.g. {@code application/dtmf-relay}) is passed to the other party. Runs under the
 * bridge's monitor.
 */
final class MidCall {

    private MidCall() {
    }

    /** A re-INVITE from {@code from}'s party. */
    static void onReinvite(Bridge bridge, Leg from, ServerTransaction st) {
        synchronized (bridge) {
            Signalling signalling = bridge.calls.signalling;
            if (bridge.state() != Bridge.State.ANSWERED) {
                signalling.respond(from, st, bridge.state() == Bridge.State.ENDED
                        ? Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST : Response.REQUEST_PENDING, null, null);
                return;
            }
            if (!bridge.connects(from)) {
                signalling.respond(from, st, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, null, null);
                return;
            }
            if (from.sessionTimer != null) {
                from.sessionTimer.refreshed(); // RFC 4028 §10: a re-INVITE refreshes the session
            }
            Leg other = bridge.other(from);
            if (other.reinviteTx != null || from.reinviteTx != null || bridge.awaitsCallerAnswer()) {
                // RFC 3261 §14.2: an offer is already crossing this call (or our late-offer 200 awaits its ACK).
                signalling.respond(from, st, Response.REQUEST_PENDING, null, null);
                return;
            }
            Optional<SessionDescription> offer = SdpRewriter.sdpOf(st.getRequest());
            if (offer.isEmpty()) {
                signalling.respond(from, st, Response.NOT_ACCEPTABLE_HERE, "A re-INVITE needs an SDP offer", null);
                return;
            }
            if (from.srtp != null) {
                // The SRTP leg's re-offer: relayed in plain form; a new key of the caller's gets ours anew.
                try {
                    SrtpTermination.Terminated terminated = SrtpTermination.reoffer(offer.get(), from.srtp);
                    offer = Optional.of(terminated.offer());
                    if (terminated.keys() != from.srtp) {
                        from.srtp = terminated.keys();
                        bridge.relayLeg(from).secure(terminated.keys());
                    }
                } catch (SdesException e) {
                    signalling.respond(from, st, Response.NOT_ACCEPTABLE_HERE, e.getMessage(), null);
                    return;
                }
            }
            String sdp = SdpRewriter.rewrite(offer.get(), signalling.host(),
                    bridge.relayLeg(other).localAddress().getPort(), other);
            ClientTransaction tx = signalling.inDialog(other, Request.INVITE, Signalling.SDP,
                    sdp.getBytes(StandardCharsets.UTF_8));
            if (tx == null) {
                signalling.respond(from, st, Response.SERVER_INTERNAL_ERROR, "Cannot reach the other party", null);
                return;
            }
            other.reinviteTx = tx;
            other.answersSt = st;
            other.answersLeg = from;
            other.pendingOffer = offer.get();
        }
    }

    /** The final answer to a re-INVITE we sent on {@code leg}: relay re-pointed, answer passed back. */
    static void onAnswer(Bridge bridge, Leg leg, ResponseEvent event) {
        Response response = event.getResponse();
        int status = response.getStatusCode();
        if (status < 200) {
            return;
        }
        Signalling signalling = bridge.calls.signalling;
        ServerTransaction st = leg.answersSt;
        Leg from = leg.answersLeg;
        SessionDescription offer = leg.pendingOffer;
        leg.reinviteTx = null;
        leg.answersSt = null;
        leg.answersLeg = null;
        leg.pendingOffer = null;
        if (status >= 300) {
            signalling.respond(from, st, status, response.getReasonPhrase(), null);
            return;
        }
        Dialog dialog = event.getDialog() != null ? event.getDialog() : leg.dialog();
        signalling.ack(leg, dialog, ((CSeqHeader) response.getHeader(CSeqHeader.NAME)).getSeqNumber());
        Optional<SessionDescription> answer = SdpRewriter.sdpOf(response);
        Optional<SdpRewriter.Agreed> agreed = answer.flatMap(SdpRewriter::agreed);
        if (answer.isEmpty() || agreed.isEmpty()) {
            signalling.respond(from, st, Response.NOT_ACCEPTABLE_HERE, "No usable SDP in the answer", null);
            return;
        }
        if (leg.srtp != null) {
            // The SRTP party's answer to our re-offer may bring a new key of its own (RFC 4568 §7.1.4).
            try {
                Sdes.Keys keys = SrtpTermination.reanswer(answer.get(), leg.srtp);
                if (keys != leg.srtp) {
                    leg.srtp = keys;
                    bridge.relayLeg(leg).secure(keys);
                }
            } catch (SdesException e) {
                signalling.respond(from, st, Response.NOT_ACCEPTABLE_HERE, e.getMessage(), null);
                return;
            }
        }
        SdpRewriter.Agreed a = agreed.get();
        leg.remoteSdp = answer.get();
        bridge.relayLeg(leg).configure(SdpRewriter.remoteRtp(answer.get()).orElse(null), a.codec(),
                a.telephoneEventPayloadType());
        from.remoteSdp = offer;
        bridge.relayLeg(from).configure(SdpRewriter.remoteRtp(offer).orElse(null), a.codec(),
                a.telephoneEventPayloadType());
        signalling.respond(from, st, Response.OK, null, SdpRewriter.rewrite(offer, answer.get(), signalling.host(),
                bridge.relayLeg(from).localAddress().getPort(), from));
    }

    /**
     * An UPDATE from one party (RFC 3311): a session refresh without an offer (RFC 4028 §7.4) is answered here, with
     * the session timer's headers; an UPDATE carrying an offer is refused, the node takes offers by re-INVITE.
     */
    static void onUpdate(Bridge bridge, Leg from, ServerTransaction st) {
        synchronized (bridge) {
            Signalling signalling = bridge.calls.signalling;
            if (bridge.state() == Bridge.State.ENDED || from.gone) {
                signalling.respond(from, st, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, null, null);
                return;
            }
            byte[] body = st.getRequest().getRawContent();
            if (body != null && body.length > 0) {
                signalling.respond(from, st, Response.NOT_ACCEPTABLE_HERE, "Offers are taken by re-INVITE", null);
                return;
            }
            if (from.sessionTimer != null) {
                from.sessionTimer.refreshed();
            }
            signalling.respond(from, st, Response.OK, null, null);
        }
    }

    /** SIP INFO from one party: 200 at once, the same body to the other party. */
    static void onInfo(Bridge bridge, Leg from, ServerTransaction st) {
        synchronized (bridge) {
            Signalling signalling = bridge.calls.signalling;
            if (bridge.state() != Bridge.State.ANSWERED) {
                signalling.respond(from, st, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, null, null);
                return;
            }
            signalling.respond(from, st, Response.OK, null, null);
            Leg other = bridge.other(from);
            if (other == null || !bridge.connects(from)) {
                return;
            }
            Request info = st.getRequest();
            String contentType = SipMessages.contentType(info);
            signalling.inDialog(other, Request.INFO, contentType.isEmpty() ? null : contentType,
                    info.getRawContent());
        }
    }
}
