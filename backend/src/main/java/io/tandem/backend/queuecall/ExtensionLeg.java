package io.tandem.backend.queuecall;

import io.tandem.backend.acd.queues.QueueDefinition;
import io.tandem.backend.routing.Route;
import io.tandem.telephony.media.MediaDirection;
import io.tandem.telephony.rtp.RtpMediaStream;
import io.tandem.telephony.sdp.NegotiatedMedia;
import io.tandem.telephony.sdp.SdpNegotiator;
import io.tandem.telephony.sdp.SessionDescription;
import io.tandem.telephony.sip.SipMessages;
import java.io.IOException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.sip.Dialog;
import javax.sip.ResponseEvent;
import javax.sip.header.CSeqHeader;
import javax.sip.message.Response;

/**
 * The INVITE that puts a caller who left its queue through to an extension: routed like any call (the phone on this
 * node, or the node holding its binding over the signed trunk; the first contact only), From and
 * P-Asserted-Identity the caller, its own RTP stream on this node. Its outcome goes back to the {@link QueueCall}:
 * answered (the call bridges the two streams) or failed with a SIP status (404, 480, 486, 408 on no answer, ...).
 * Guarded by the owning call's monitor; the no-answer timer takes it.
 */
final class ExtensionLeg {

    private final QueueCall call;
    private final QueueCalls calls;
    final QueueDefinition.Destination destination;
    /** The branch while it rings; null once answered or failed. */
    private AgentBranch ringing;
    private ScheduledFuture<?> noAnswer;

    ExtensionLeg(QueueCall call, QueueCalls calls, QueueDefinition.Destination destination) {
        this.call = call;
        this.calls = calls;
        this.destination = destination;
    }

    /** Sends the INVITE; returns the ringing branch, or null after reporting the failure to the call. */
    AgentBranch dial(int ringSeconds) {
        Route route = calls.router.route(call.tenant, destination.target(), false);
        if (!(route instanceof Route.Ring ring) || ring.targets().isEmpty()) {
            call.extensionFailed(route instanceof Route.Unknown ? Response.NOT_FOUND
                    : Response.TEMPORARILY_UNAVAILABLE);
            return null;
        }
        RtpMediaStream stream;
        try {
            stream = calls.streams.open(calls.mediaBind);
        } catch (IOException e) {
            call.extensionFailed(Response.SERVICE_UNAVAILABLE);
            return null;
        }
        SdpNegotiator sdp = new SdpNegotiator(QueueCalls.G711, true);
        AgentBranch leg = new AgentBranch(call, destination.target(), ring.targets().get(0),
                SipMessages.newToken() + "@tandem", stream, sdp);
        calls.register(leg);
        if (!calls.signalling.invite(leg, call.number, call.name, call.tenant,
                sdp.createOffer(calls.localRtp(stream), MediaDirection.SENDRECV).encode())) {
            calls.forget(leg);
            stream.close();
            call.extensionFailed(Response.SERVER_INTERNAL_ERROR);
            return null;
        }
        ringing = leg;
        noAnswer = calls.timers.schedule(this::noAnswer, ringSeconds, TimeUnit.SECONDS);
        return leg;
    }

    /** A response to the INVITE (the call routed it here). */
    void onResponse(AgentBranch leg, ResponseEvent event, int status, boolean callerWaits) {
        if (status < 200) {
            leg.provisional = true;
            if (leg.cancelPending) {
                leg.cancelPending = false;
                calls.signalling.cancel(leg);
            }
            return;
        }
        leg.done = true;
        leg.finalStatus = status;
        boolean current = leg == ringing && callerWaits;
        if (status >= 300) {
            drop(leg, false);
            if (current) {
                settle();
                call.extensionFailed(status);
            }
            return;
        }
        Dialog d = event.getDialog() != null ? event.getDialog() : leg.dialog;
        leg.dialog = d;
        calls.signalling.ack(leg, d, ((CSeqHeader) event.getResponse().getHeader(CSeqHeader.NAME)).getSeqNumber());
        if (!current) {
            drop(leg, true); // RFC 3261 §15: answered too late (given up on, caller gone)
            return;
        }
        settle();
        NegotiatedMedia media;
        try {
            media = leg.negotiator.accept(SessionDescription.parse(SipMessages.bodyText(event.getResponse())));
        } catch (Exception e) {
            drop(leg, true);
            call.extensionFailed(Response.NOT_ACCEPTABLE_HERE);
            return;
        }
        call.extensionAnswered(leg, media);
    }

    /** The caller left while the extension rings: CANCEL (RFC 3261 §9.1). */
    void cancel() {
        if (ringing != null) {
            calls.signalling.cancel(ringing);
            settle();
        }
    }

    private void noAnswer() {
        synchronized (call) {
            if (ringing != null && !ringing.done && call.state() == QueueCall.State.LEAVING) {
                calls.signalling.cancel(ringing);
                settle();
                call.extensionFailed(Response.REQUEST_TIMEOUT);
            }
        }
    }

    private void settle() {
        ringing = null;
        if (noAnswer != null) {
            noAnswer.cancel(false);
        }
    }

    private void drop(AgentBranch leg, boolean bye) {
        if (bye) {
            calls.signalling.bye(leg.dialog);
        }
        leg.stream.close();
        calls.forget(leg);
    }
}
