package io.tandem.backend.call;

import io.tandem.backend.node.sip.OutgoingBranch;

/**
 * The feature a consultation's colleague leg is handed to ({@link B2bua#handOver}): a queue call joining its caller
 * to the colleague its agent consulted on this node. Called under the consultation's lock, on a SIP thread: an
 * implementation takes no other call's lock here (it hands the work to its own thread).
 */
public interface ConsultationTaker {

    /**
     * The colleague took the offer: {@code branch} is its dialog from now on (requests on its Call-ID reach the taker
     * once the consultation forgets it, which follows at once), {@code answer} the colleague's SDP answer. The
     * colleague stays shown on a call and counted on a direct call (its busy lamp lit, no queue offer to it) until
     * the taker runs {@code release}, once, when its leg to the colleague ends.
     */
    void tookOver(OutgoingBranch branch, String answer, Runnable release);

    /** The colleague did not take the offer ({@code status}, {@code reason}) or the consultation ended meanwhile. */
    void refused(int status, String reason);
}
