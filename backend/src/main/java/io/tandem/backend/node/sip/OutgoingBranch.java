package io.tandem.backend.node.sip;

import io.tandem.backend.node.NodeMetrics;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.message.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One INVITE this node sends as a user agent client, and the dialog its answer establishes: a callee branch of the
 * B2BUA, a queue offer to an agent, the call to an overflow extension, a supervisor's monitor leg. The client side of
 * an INVITE is the same for all of them, so it is written once here:
 * <ul>
 * <li>IDLE → CALLING when the INVITE is sent; a send that fails ends the branch FAILED with 503 at once.</li>
 * <li>CALLING → EARLY on a provisional response. A CANCEL asked for before any provisional response is held back
 * and sent when one arrives (RFC 3261 §9.1: a CANCEL before a provisional response would cross the INVITE).</li>
 * <li>The first final response is the one outcome: 2xx → ANSWERED (ACKed, RFC 3261 §13.2.2.4; the ACK is kept and
 * sent again for each retransmitted 2xx); 3xx-6xx or a timeout (RFC 3261 §17.1.1.2 Timer B, 408) → FAILED; either
 * after our CANCEL → CANCELLED. A 2xx that crossed our CANCEL is ACKed and ended with a BYE (RFC 3261 §15).</li>
 * </ul>
 * What a response means for the call (relay a ringing, bridge the answer, report a miss) stays with the feature,
 * which learns it from the {@link Step} each event returns. Not thread-safe: guarded by the owning feature's lock.
 * A message that cannot be sent is counted ({@link NodeMetrics#sipSendFailed}) and logged at WARN.
 */
public final class OutgoingBranch {

    private static final Logger log = LoggerFactory.getLogger(OutgoingBranch.class);

    /** Where the branch is; ANSWERED, FAILED and CANCELLED are final. */
    public enum State {
        IDLE, CALLING, EARLY, ANSWERED, FAILED, CANCELLED;

        public boolean isFinal() {
            return this == ANSWERED || this == FAILED || this == CANCELLED;
        }
    }

    /** What an event on the branch means for the feature that owns it. */
    public enum Step {
        /** Nothing to act on: a retransmission, another transaction's response, a 1xx that released our CANCEL. */
        NONE,
        /** A provisional response while the branch is still wanted. */
        PROVISIONAL,
        /** The branch won: the 2xx is ACKed and {@link #dialog()} is the established dialog. */
        ANSWERED,
        /** The branch is over without a call: {@link #state()} says FAILED or CANCELLED, {@link #finalStatus()} why. */
        ENDED
    }

    private final String callId;
    private final BranchSender sender;
    private final NodeMetrics metrics;
    private State state = State.IDLE;
    private ClientTransaction inviteTx;
    private Dialog dialog;
    /** Our CANCEL was asked for; sent once {@link #cancelSent}. */
    private boolean cancelWanted;
    private boolean cancelSent;
    /** The ACK of the 2xx, and that 2xx's CSeq: a retransmission of it gets the same ACK. */
    private Request ack;
    private long ackCseq = -1;
    private int finalStatus;

    public OutgoingBranch(String callId, BranchSender sender, NodeMetrics metrics) {
        this.callId = callId;
        this.sender = sender;
        this.metrics = metrics;
    }

    /** This branch's own Call-ID (a B2BUA's legs each have theirs). */
    public String callId() {
        return callId;
    }

    public State state() {
        return state;
    }

    public boolean isFinal() {
        return state.isFinal();
    }

    /** The final status: the answer's, the refusal's, 408 on a timeout, 503 when the INVITE could not be sent. */
    public int finalStatus() {
        return finalStatus;
    }

    /** The dialog of the INVITE (early, then confirmed by the 2xx); null before it is sent. */
    public Dialog dialog() {
        return dialog;
    }

    /** True for the INVITE's own client transaction. */
    public boolean owns(ClientTransaction tx) {
        return tx != null && tx == inviteTx;
    }

    /** The INVITE's client transaction; null before it is sent. */
    public ClientTransaction inviteTransaction() {
        return inviteTx;
    }

    /** Sends the INVITE; false (and FAILED with 503) when it could not be sent. */
    public boolean send(Request invite) {
        if (state != State.IDLE) {
            throw new IllegalStateException("branch " + callId + " already sent (" + state + ")");
        }
        try {
            BranchSender.Sent sent = sender.invite(invite);
            inviteTx = sent.transaction();
            dialog = sent.dialog();
            state = State.CALLING;
            return true;
        } catch (Exception e) {
            failedToSend("invite", e);
            finalStatus = 503;
            state = State.FAILED;
            return false;
        }
    }

    /** The INVITE could not even be built: FAILED with 503, counted like a send that failed. */
    void unsendable(Exception e) {
        failedToSend("invite", e);
        finalStatus = 503;
        state = State.FAILED;
    }

    /**
     * RFC 3261 §22.2: the INVITE was challenged (401/407 on {@code challenged}, which its transaction ACKed, §17.1.1.3).
     * {@code again} is the same request with credentials and the next CSeq, sent in a new transaction of this branch:
     * the same Call-ID and From tag, so the dialog to be is the same call. Call it instead of {@link #onResponse}, so
     * the challenge is not the branch's outcome. False, and nothing changed, when the branch is over, no longer wanted,
     * or the request could not be sent (the caller then ends the branch with the challenge through onResponse).
     */
    public boolean retry(ClientTransaction challenged, Request again) {
        if (!owns(challenged) || state.isFinal() || cancelWanted) {
            return false;
        }
        try {
            BranchSender.Sent sent = sender.invite(again);
            inviteTx = sent.transaction();
            dialog = sent.dialog();
            return true;
        } catch (Exception e) {
            failedToSend("invite with credentials", e);
            return false;
        }
    }

    /**
     * A response to an INVITE of this branch's Call-ID. {@code tx} is null for a 2xx retransmitted after its
     * transaction ended (RFC 3261 §17.1.1.2); {@code responseDialog} the dialog the stack matched, if any.
     */
    public Step onResponse(ClientTransaction tx, Dialog responseDialog, int status, long cseq) {
        if (tx == null || !owns(tx)) {
            if (tx == null && status >= 200 && status < 300) {
                resendAck(cseq);
            }
            return Step.NONE;
        }
        if (state.isFinal()) {
            if (status >= 200 && status < 300) {
                resendAck(cseq);
            }
            return Step.NONE;
        }
        if (status < 200) {
            state = State.EARLY;
            if (cancelWanted) {
                if (!cancelSent) {
                    sendCancel();
                }
                return Step.NONE;
            }
            return Step.PROVISIONAL;
        }
        finalStatus = status;
        if (status >= 300) {
            state = cancelWanted ? State.CANCELLED : State.FAILED;
            return Step.ENDED;
        }
        if (responseDialog != null) {
            dialog = responseDialog;
        }
        sendAck(cseq);
        if (cancelWanted) {
            // RFC 3261 §15: the answer crossed our CANCEL; the session it set up is ended at once.
            state = State.CANCELLED;
            bye();
            return Step.ENDED;
        }
        state = State.ANSWERED;
        return Step.ANSWERED;
    }

    /** The INVITE's transaction timed out (RFC 3261 §17.1.1.2 Timer B): 408, unless already over. */
    public Step onTimeout(ClientTransaction tx) {
        if (!owns(tx) || state.isFinal()) {
            return Step.NONE;
        }
        finalStatus = 408;
        state = cancelWanted ? State.CANCELLED : State.FAILED;
        return Step.ENDED;
    }

    /**
     * The branch is no longer wanted. Not sent yet: CANCELLED at once. Ringing: CANCEL now if a provisional response
     * came, otherwise as soon as one does (RFC 3261 §9.1). Already over (answered or failed): nothing to do; an
     * answered branch is ended with {@link #bye()}.
     */
    public void cancel() {
        if (state.isFinal() || cancelWanted) {
            return;
        }
        cancelWanted = true;
        if (state == State.IDLE) {
            state = State.CANCELLED;
        } else if (state == State.EARLY) {
            sendCancel();
        }
    }

    /** True once {@link #cancel()} was asked for. */
    public boolean cancelled() {
        return cancelWanted;
    }

    /** Ends an answered branch's dialog with a BYE. */
    public void bye() {
        if (dialog == null) {
            return;
        }
        try {
            sender.bye(dialog);
        } catch (Exception e) {
            failedToSend("bye", e);
        }
    }

    /** Hangs the branch up whatever its state: BYE once answered, CANCEL while it rings. */
    public void hangUp() {
        if (state == State.ANSWERED) {
            bye();
        } else {
            cancel();
        }
    }

    private void sendCancel() {
        cancelSent = true;
        try {
            sender.cancel(inviteTx);
        } catch (Exception e) {
            failedToSend("cancel", e);
        }
    }

    private void sendAck(long cseq) {
        try {
            ack = sender.ack(dialog, cseq);
            ackCseq = cseq;
        } catch (Exception e) {
            failedToSend("ack", e);
        }
    }

    /** RFC 3261 §13.2.2.4: a retransmitted 2xx gets the ACK its first copy got. */
    private void resendAck(long cseq) {
        if (ack == null || cseq != ackCseq || dialog == null) {
            return;
        }
        try {
            sender.resendAck(dialog, ack);
        } catch (Exception e) {
            failedToSend("ack", e);
        }
    }

    private void failedToSend(String what, Exception e) {
        metrics.sipSendFailed(what);
        log.warn("branch {}: cannot send {}: {}", callId, what, e.toString());
    }

    @Override
    public String toString() {
        return callId + " " + state;
    }
}
