package io.tandem.backend.queuecall;

import io.tandem.backend.call.B2bua;
import io.tandem.backend.call.ConsultationTaker;
import io.tandem.backend.call.DialogIndex;
import io.tandem.backend.call.TransferAdmission;
import io.tandem.backend.node.sip.OutgoingBranch;
import io.tandem.backend.routing.Route;
import io.tandem.telephony.sdp.NegotiatedMedia;
import io.tandem.telephony.sip.SipMessages;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import javax.sip.message.Response;

/**
 * An agent's attended transfer of its queue caller (RFC 5589 §7), carried out by the caller's node as the
 * transferee: the agent held the caller, called a colleague through its own node and REFERred the caller's dialog
 * with a Refer-To naming the colleague and the consultation dialog it replaces (RFC 3891). The cluster's dialog index
 * names the node holding that dialog; this node sends the caller's INVITE with that Replaces, and Referred-By the
 * agent (RFC 3892), over the signed trunk to it, whose B2BUA lets the caller's new leg take the agent's place
 * opposite the colleague and BYEs the agent's consultation leg, as it does for any transferee (its Replacement).
 * When the colleague's phone is on this node too, the same join is made here without an INVITE: this node's B2BUA
 * re-INVITEs the colleague with the caller's new stream and hands the colleague's dialog to this call ({@link
 * B2bua#handOver}). Until the join is answered the agent and the caller still talk; its outcome goes to the
 * {@link Outcome}. Guarded by the call's lock.
 */
final class AttendedJoin {

    /** What the queue call makes of the join. */
    interface Outcome {
        /** The caller's new leg took the agent's place opposite the colleague: the caller talks to {@code leg}. */
        void joined(AttendedJoin join, AgentBranch leg, NegotiatedMedia media);

        /** The join failed with {@code status}: the agent's REFER fails, the agent keeps its caller. */
        void notJoined(AttendedJoin join, int status, String reason);
    }

    private final CallerBranches lines;
    private final Outcome outcome;
    /** Where a handover's outcome, told on a SIP thread under the consultation's lock, is taken up under ours. */
    private final Timers later;
    /** The transferor: the agent connected to the caller. */
    final AgentBranch agent;
    /** The colleague the agent consulted (the Refer-To's user). */
    final String number;
    /** The dialog the caller's INVITE replaces: the agent's consultation leg, or its half on the colleague's node. */
    private String replaces;
    private Route.Target target;
    /** The caller's new leg while its INVITE is out; null before and once it has its outcome. */
    private AgentBranch leg;
    /** The agent hung up before the outcome (RFC 5589 §7 lets a transferor leave at once). */
    private boolean transferorLeft;
    /** The colleague's phone on this node, whose dialog this node's B2BUA hands over; null for a join by INVITE. */
    private B2bua.NearHalf near;
    /** The call ended before the outcome. */
    private boolean cancelled;

    AttendedJoin(CallerBranches lines, Outcome outcome, Timers later, AgentBranch agent,
            AgentTransfer.Referral referral) {
        this.lines = lines;
        this.outcome = outcome;
        this.later = later;
        this.agent = agent;
        this.number = referral.number();
        this.replaces = referral.replaces();
    }

    /**
     * Finds the node holding the consultation: empty when the join can start, else why the REFER is refused. No
     * node holds the dialog → 481 (RFC 3891 §3: the transferor may retry blind); another party's dialog → 403, as a
     * direct call's transfer answers; its node not alive → 481. A consultation through this node (the agent's phone
     * is registered here) is joined at its other half, on the colleague's node over the trunk, or, the colleague's
     * phone being on this node too, handed over here; a consultation the colleague placed, or to a carrier's
     * number, through this node → 501.
     */
    Optional<TransferAdmission.Refusal> locate() {
        String thisNode = lines.nodeId();
        Optional<DialogIndex.Holder> holder = lines.consultation(replaces);
        if (holder.isEmpty()) {
            return refusal(Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, "Replaces names no dialog of the cluster");
        }
        if (!holder.get().party().equals(agent.agentId)) {
            return refusal(Response.FORBIDDEN, "Replaces names another party's dialog");
        }
        String node = holder.get().node();
        if (node.equals(thisNode)) {
            // Our own B2BUA holds the consultation: its colleague's half on the next node is replaced instead.
            Optional<B2bua.FarHalf> far = lines.consultationOverTrunk(replaces, agent.agentId);
            if (far.isEmpty()) {
                near = lines.consultationHere(replaces, agent.agentId).orElse(null);
                if (near == null) {
                    // a dialog the node answered as UAS, or a carrier's channel, is no leg a queue call can take
                    return refusal(Response.NOT_IMPLEMENTED,
                            "Only a consultation the agent placed to a phone can be joined here: transfer blind");
                }
                target = near.target();
                return Optional.empty();
            }
            node = far.get().node();
            replaces = far.get().replaces();
        }
        if (!(lines.routeToNode(node, number) instanceof Route.Ring ring)) {
            return refusal(Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, "The consultation's node is not alive");
        }
        target = ring.targets().get(0);
        return Optional.empty();
    }

    private static Optional<TransferAdmission.Refusal> refusal(int status, String reason) {
        return Optional.of(new TransferAdmission.Refusal(status, reason));
    }

    /** Sends the caller's INVITE with Replaces to the consultation's node (after {@link #locate}). */
    void dial() {
        OutgoingMedia media;
        try {
            media = lines.media();
        } catch (IOException e) {
            outcome.notJoined(this, Response.SERVICE_UNAVAILABLE, "No RTP port for the caller's new leg");
            return;
        }
        if (near != null) {
            handOver(media);
            return;
        }
        leg = lines.dialReplacing(number, target, media, replaces, agent.agentId);
        if (leg == null) {
            outcome.notJoined(this, Response.SERVER_INTERNAL_ERROR, "Cannot send the INVITE with Replaces");
        }
    }

    /**
     * Asks this node's B2BUA for the colleague's dialog, re-offered the caller's new stream (SRTP to a phone over
     * TLS, as any leg the node places, {@link OutgoingLegs#offerTo}). Its answer comes on a SIP thread holding the
     * consultation's lock: the leg is made findable there (the colleague's next request must find it), the rest is
     * done under this call's lock on the timer thread.
     */
    private void handOver(OutgoingMedia media) {
        PlacedSrtp placed = lines.offerTo(target, media);
        Optional<TransferAdmission.Refusal> refused = lines.handOver(replaces, agent.agentId, placed.offer(),
                new ConsultationTaker() {
                    @Override
                    public void tookOver(OutgoingBranch branch, String answer, Runnable release) {
                        AgentBranch taken = lines.adopt(number, target, media, placed, replaces, agent.agentId,
                                branch, release);
                        later.after(Duration.ZERO, () -> {
                            synchronized (lines.lock()) {
                                handedOver(taken, answer);
                            }
                        });
                    }

                    @Override
                    public void refused(int status, String reason) {
                        later.after(Duration.ZERO, () -> {
                            synchronized (lines.lock()) {
                                notHandedOver(media, status, reason);
                            }
                        });
                    }
                });
        if (refused.isPresent()) {
            media.stream().close();
            outcome.notJoined(this, refused.get().status(), refused.get().reason());
        }
    }

    /** The colleague took the caller's stream: the caller talks to it, unless the call or the colleague is gone. */
    private void handedOver(AgentBranch taken, String answer) {
        if (cancelled) {
            drop(taken, true);
            return;
        }
        if (!lines.holds(taken)) {
            // the colleague hung up between its answer and now (its BYE found the leg before the join did)
            taken.stream.close();
            outcome.notJoined(this, Response.TEMPORARILY_UNAVAILABLE, "The colleague hung up");
            return;
        }
        NegotiatedMedia media;
        try {
            media = taken.accept(answer);
        } catch (Exception e) {
            drop(taken, true);
            outcome.notJoined(this, Response.NOT_ACCEPTABLE_HERE, "Unusable answer from the colleague: "
                    + e.getMessage());
            return;
        }
        lines.keep(taken);
        outcome.joined(this, taken, media);
    }

    private void notHandedOver(OutgoingMedia media, int status, String reason) {
        media.stream().close();
        if (!cancelled) {
            outcome.notJoined(this, status, reason);
        }
    }

    boolean owns(AgentBranch branch) {
        return branch == leg;
    }

    void transferorLeft() {
        transferorLeft = true;
    }

    boolean hasTransferorLeft() {
        return transferorLeft;
    }

    /** What the INVITE came to; {@code response} null on a timeout. */
    void onStep(AgentBranch branch, OutgoingBranch.Step step, Response response) {
        if (branch != leg || (step != OutgoingBranch.Step.ANSWERED && step != OutgoingBranch.Step.ENDED)) {
            return;
        }
        leg = null;
        if (step == OutgoingBranch.Step.ENDED) {
            drop(branch, false);
            outcome.notJoined(this, branch.branch.finalStatus(),
                    response == null ? "Request Timeout" : response.getReasonPhrase());
            return;
        }
        NegotiatedMedia media;
        try {
            media = branch.accept(SipMessages.bodyText(response));
        } catch (Exception e) {
            drop(branch, true);
            outcome.notJoined(this, Response.NOT_ACCEPTABLE_HERE, "Unusable answer from the consultation's node");
            return;
        }
        outcome.joined(this, branch, media);
    }

    /**
     * The call ends before the outcome: the INVITE is CANCELled (RFC 3261 §9.1); a handover cannot be taken back, so
     * the colleague's dialog gets a BYE when it comes.
     */
    void cancel() {
        cancelled = true;
        if (leg != null) {
            leg.branch.cancel();
            leg = null;
        }
    }

    private void drop(AgentBranch branch, boolean bye) {
        if (bye) {
            branch.branch.bye();
        }
        branch.stream.close();
        lines.forget(branch);
    }
}
