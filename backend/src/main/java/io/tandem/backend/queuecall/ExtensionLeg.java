package io.tandem.backend.queuecall;

import io.tandem.backend.node.sip.OutgoingBranch;
import io.tandem.backend.routing.Route;
import io.tandem.telephony.sdp.NegotiatedMedia;
import io.tandem.telephony.sip.SipMessages;
import java.io.IOException;
import java.time.Duration;
import javax.sip.message.Response;

/**
 * The INVITE that puts a caller who left its queue through to an extension: routed like any call (the phone on this
 * node, or the node holding its binding over the signed trunk; the first contact only), From and
 * P-Asserted-Identity the caller, its own RTP stream on this node. Its outcome goes to its {@link Outcome}:
 * answered (the call bridges the two streams) or failed with a SIP status (404, 480, 486, 408 on no answer, ...).
 * Guarded by the owning call's monitor; the no-answer timer takes it.
 */
final class ExtensionLeg {

    /** What the caller's side makes of the leg. */
    interface Outcome {
        /** The caller still waits to be put through (LEAVING). */
        boolean callerWaits();

        void answered(AgentBranch leg, NegotiatedMedia media);

        void failed(int status);
    }

    private final CallerBranches lines;
    private final Timers timers;
    private final Outcome outcome;
    final Destination.Extension destination;
    /** The branch while it rings; null once answered or failed. */
    private AgentBranch ringing;
    private Timers.Timer noAnswer;

    ExtensionLeg(CallerBranches lines, Timers timers, Destination.Extension destination,
            Outcome outcome) {
        this.lines = lines;
        this.timers = timers;
        this.destination = destination;
        this.outcome = outcome;
    }

    /** Sends the INVITE; returns the ringing branch, or null after reporting the failure. */
    AgentBranch dial(int ringSeconds) {
        Route route = lines.route(destination.number());
        if (!(route instanceof Route.Ring ring) || ring.targets().isEmpty()) {
            outcome.failed(route instanceof Route.Unknown ? Response.NOT_FOUND : Response.TEMPORARILY_UNAVAILABLE);
            return null;
        }
        OutgoingMedia media;
        try {
            media = lines.media();
        } catch (IOException e) {
            outcome.failed(Response.SERVICE_UNAVAILABLE);
            return null;
        }
        AgentBranch leg = lines.dial(destination.number(), ring.targets().get(0), media);
        if (leg == null) {
            outcome.failed(Response.SERVER_INTERNAL_ERROR);
            return null;
        }
        ringing = leg;
        noAnswer = timers.after(Duration.ofSeconds(ringSeconds), this::noAnswer);
        return leg;
    }

    /**
     * What the INVITE came to (the call routed it here): answered (ACKed by the branch) or ended; {@code response}
     * is null on a timeout.
     */
    void onStep(AgentBranch leg, OutgoingBranch.Step step, Response response) {
        if (step != OutgoingBranch.Step.ANSWERED && step != OutgoingBranch.Step.ENDED) {
            return;
        }
        boolean current = leg == ringing && outcome.callerWaits();
        if (step == OutgoingBranch.Step.ENDED) {
            drop(leg, false);
            if (current) {
                settle();
                outcome.failed(leg.branch.finalStatus());
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
            media = leg.accept(SipMessages.bodyText(response));
        } catch (Exception e) {
            drop(leg, true);
            outcome.failed(Response.NOT_ACCEPTABLE_HERE);
            return;
        }
        outcome.answered(leg, media);
    }

    /** The caller left while the extension rings: CANCEL (RFC 3261 §9.1). */
    void cancel() {
        if (ringing != null) {
            ringing.branch.cancel();
            settle();
        }
    }

    private void noAnswer() {
        synchronized (lines.lock()) {
            if (ringing != null && !ringing.branch.isFinal() && outcome.callerWaits()) {
                ringing.branch.cancel();
                settle();
                outcome.failed(Response.REQUEST_TIMEOUT);
            }
        }
    }

    private void settle() {
        ringing = null;
        if (noAnswer != null) {
            noAnswer.cancel();
        }
    }

    private void drop(AgentBranch leg, boolean bye) {
        if (bye) {
            leg.branch.bye();
        }
        leg.stream.close();
        lines.forget(leg);
    }
}
