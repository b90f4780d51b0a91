package io.tandem.backend.queuecall;

import io.tandem.backend.node.sip.OutgoingBranch;
import io.tandem.backend.routing.Route;
import io.tandem.telephony.sdp.NegotiatedMedia;
import io.tandem.telephony.sdp.SessionDescription;
import io.tandem.telephony.sip.SipMessages;
import java.io.IOException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
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
    final Destination.Extension destination;
    /** The branch while it rings; null once answered or failed. */
    private AgentBranch ringing;
    private ScheduledFuture<?> noAnswer;

    ExtensionLeg(QueueCall call, QueueCalls calls, Destination.Extension destination) {
        this.call = call;
        this.calls = calls;
        this.destination = destination;
    }

    /** Sends the INVITE; returns the ringing branch, or null after reporting the failure to the call. */
    AgentBranch dial(int ringSeconds) {
        Route route = calls.router.route(call.tenant, destination.number(), false);
        if (!(route instanceof Route.Ring ring) || ring.targets().isEmpty()) {
            call.extensionFailed(route instanceof Route.Unknown ? Response.NOT_FOUND
                    : Response.TEMPORARILY_UNAVAILABLE);
            return null;
        }
        OutgoingMedia media;
        try {
            media = calls.media.outgoing();
        } catch (IOException e) {
            call.extensionFailed(Response.SERVICE_UNAVAILABLE);
            return null;
        }
        AgentBranch leg = new AgentBranch(call, destination.number(), ring.targets().get(0),
                calls.signalling.branch(SipMessages.newToken() + "@tandem"), media.stream(), media.negotiator());
        calls.register(leg);
        if (!leg.invite(calls.signalling, call.number, call.name, call.tenant, media.offer())) {
            calls.forget(leg);
            media.stream().close();
            call.extensionFailed(Response.SERVER_INTERNAL_ERROR);
            return null;
        }
        ringing = leg;
        noAnswer = calls.timers.schedule(this::noAnswer, ringSeconds, TimeUnit.SECONDS);
        return leg;
    }

    /**
     * What the INVITE came to (the call routed it here): answered (ACKed by the branch) or ended; {@code response}
     * is null on a timeout.
     */
    void onStep(AgentBranch leg, OutgoingBranch.Step step, Response response, boolean callerWaits) {
        if (step != OutgoingBranch.Step.ANSWERED && step != OutgoingBranch.Step.ENDED) {
            return;
        }
        boolean current = leg == ringing && callerWaits;
        if (step == OutgoingBranch.Step.ENDED) {
            drop(leg, false);
            if (current) {
                settle();
                call.extensionFailed(leg.branch.finalStatus());
            }
            return;
        }
        if (!current) {
            drop(leg, true); // RFC 3261 §15: answered too late (given up on, caller gone)
            return;
        }
        settle();
        NegotiatedMedia media;
        try {
            media = leg.negotiator.accept(SessionDescription.parse(SipMessages.bodyText(response)));
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
            ringing.branch.cancel();
            settle();
        }
    }

    private void noAnswer() {
        synchronized (call) {
            if (ringing != null && !ringing.branch.isFinal() && call.state() == QueueCall.State.LEAVING) {
                ringing.branch.cancel();
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
            leg.branch.bye();
        }
        leg.stream.close();
        calls.forget(leg);
    }
}
