package io.tandem.backend.call;

import io.tandem.backend.node.sip.OutgoingBranch;
import io.tandem.backend.routing.Route;
import io.tandem.backend.trunk.Seizure;
import io.tandem.telephony.sdp.SessionDescription;
import io.tandem.telephony.srtp.Sdes;
import io.tandem.telephony.srtp.SdesException;
import java.util.concurrent.ThreadLocalRandom;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.ServerTransaction;
import javax.sip.message.Request;

/**
 * One SIP dialog of a {@link Bridge}: the caller's (A-leg, we are its UAS) or one callee branch (B-leg, we are its
 * UAC; several while a fork rings). Every field is guarded by the owning bridge's monitor.
 */
final class Leg {

    enum Side { CALLER, CALLEE }

    final Bridge bridge;
    final Side side;
    final String callId;
    /** The party's extension (caller or callee). */
    final String party;
    /** RFC 4566 §5.2: our o= session id on this leg, constant; the version goes up with every SDP we send. */
    private final String sdpSessionId;
    private long sdpVersion;

    /** The caller leg's dialog (a callee's is its branch's: {@link #dialog()}). */
    Dialog dialog;
    /** This leg is on relay leg A (the caller's side, or whoever replaced the caller by a transfer). */
    boolean sideA;
    /** The party's latest SDP (offer or answer): what a transfer offers the party's new peer. */
    SessionDescription remoteSdp;
    /** The SDES keys when this leg's party speaks SRTP to the node ({@link SrtpTermination}); null for plain RTP. */
    Sdes.Keys srtp;

    // caller leg
    ServerTransaction inviteSt;
    Request invite;
    String toTag;
    /** The caller leg came over the inter-node trunk: its responses name this node. */
    boolean trunk;
    /** The caller leg's RFC 4028 session timer; null when none was negotiated. */
    SessionTimer sessionTimer;

    // callee branch
    Route.Target target;
    /** The Replaces header (RFC 3891) this branch's INVITE carries to the node holding that dialog; null for none. */
    String replaces;
    /**
     * The transferor on whose behalf this branch's INVITE with {@link #replaces} is sent (RFC 3892 Referred-By): the
     * node holding the replaced dialog trusts it from a signed trunk request, so a remaining party who is nobody's
     * extension (an outside caller) may still take the transferor's place. Null when the INVITE replaces nothing.
     */
    String referredBy;
    /** The INVITE to the callee and its dialog; set when it is sent. */
    OutgoingBranch branch;
    /** The SRTP the node offered this branch's phone (over TLS); null when the offer was plain. */
    CalleeSrtp offeredSrtp;
    /** A branch to a carrier: the trunk channel it holds (null for a phone or another node). */
    Seizure seizure;
    /** The carrier challenged this branch again after our credentials (or we had none): they are wrong. */
    boolean refusedCredentials;
    /** The carrier answered this branch with ringing or an answer: counted once as alive (TrunkHealth). */
    boolean carrierReached;
    /** The channel was given back. */
    boolean seizureReleased;
    /** A provisional answer above 100 came: the far end may have been alerted, so the call never fails over. */
    boolean alerted;
    /** Some response to the INVITE came, 100 Trying included. */
    boolean responded;
    /** The INVITE got no answer at all (RFC 3261 §17.1.1.2 Timer B), not even 100 Trying. */
    boolean unanswered;
    /** The party hung up (a transferor leaving after its REFER). */
    boolean gone;
    /**
     * This leg's dialog was handed to a feature of this node that owns it from then on (a queue call taking a local
     * consultation's colleague, {@link ConsultationHandover}); set under the bridge's monitor.
     */
    boolean handedOn;

    // an offer crossing the bridge (re-INVITE): the transaction we sent on this leg, and the one it answers
    ClientTransaction reinviteTx;
    ServerTransaction answersSt;
    Leg answersLeg;
    /** The offer a re-INVITE on this leg carries on, which its answer is read against (RFC 3264 §6). */
    SessionDescription pendingOffer;
    /** The ACK of the last re-INVITE's 2xx we sent on this leg, and that 2xx's CSeq, for its retransmissions. */
    Request reinviteAck;
    long reinviteAckCseq = -1;

    Leg(Bridge bridge, Side side, String callId, String party) {
        this(bridge, side, callId, party, Long.toString(ThreadLocalRandom.current().nextLong(1, 1L << 52)));
    }

    private Leg(Bridge bridge, Side side, String callId, String party, String sdpSessionId) {
        this.bridge = bridge;
        this.side = side;
        this.callId = callId;
        this.party = party;
        this.sdpSessionId = sdpSessionId;
    }

    /**
     * This leg's dialog as a leg of {@code other} (an attended transfer joins it there, RFC 3891): same Call-ID,
     * party, dialog or branch and media; the SDP version carries on, the o= session id is kept.
     */
    Leg movedTo(Bridge other) {
        Leg moved = new Leg(other, side, callId, party, sdpSessionId);
        moved.sdpVersion = sdpVersion;
        moved.dialog = dialog;
        moved.remoteSdp = remoteSdp;
        moved.srtp = srtp; // the party still speaks SRTP: the join re-offers it with a new key (AttendedTransfer)
        moved.inviteSt = inviteSt;
        moved.invite = invite;
        moved.toTag = toTag;
        moved.sessionTimer = sessionTimer == null ? null : sessionTimer.movedTo(other, moved);
        moved.trunk = trunk;
        moved.target = target;
        moved.branch = branch;
        moved.seizure = seizure;
        moved.seizureReleased = seizureReleased;
        moved.alerted = alerted;
        moved.responded = responded;
        moved.reinviteAck = reinviteAck;
        moved.reinviteAckCseq = reinviteAckCseq;
        return moved;
    }

    /** The leg's dialog: the caller's, or the callee branch's (early, then established). */
    Dialog dialog() {
        return branch != null ? branch.dialog() : dialog;
    }

    /**
     * This callee branch's INVITE offers SRTP when {@code policy} says so for its target ({@link CalleeSrtp}): a phone
     * of this node reached over TLS. Another node offers it to its own phones, so a branch over the trunk stays plain.
     * Every branch the node INVITEs goes through here: a call's fork and a blind transfer's target.
     */
    void offerSrtp(SrtpTermination policy) {
        offeredSrtp = target.viaTrunk() ? null : policy.offerTo(target.transport()).orElse(null);
        srtp = offeredSrtp == null ? null : offeredSrtp.offered();
    }

    /**
     * The phone refused this branch's INVITE with {@code status}: true when that was a 488 to our SRTP offer and the
     * plain offer is to go instead, once ({@link CalleeSrtp#plainAfter}); the leg is plain from then on.
     */
    boolean plainAfter(int status) {
        if (offeredSrtp == null || !offeredSrtp.plainAfter(status)) {
            return false;
        }
        srtp = null;
        return true;
    }

    /**
     * The phone's answer to the SRTP we offered ({@link CalleeSrtp#accept}) in its plain form; the leg speaks the keys
     * it agreed from now on (null: plain). An answer to a plain offer is returned as it is.
     *
     * @throws SdesException an unusable SRTP answer
     */
    SessionDescription acceptAnswer(SessionDescription answer) throws SdesException {
        if (offeredSrtp == null) {
            srtp = null;
            return answer;
        }
        CalleeSrtp.Answer read = offeredSrtp.accept(answer);
        srtp = read.keys();
        return read.plain();
    }

    /** A callee branch whose INVITE has its final outcome (or could not be sent). */
    boolean branchOver() {
        return branch == null || branch.isFinal();
    }

    String sdpSessionId() {
        return sdpSessionId;
    }

    long nextSdpVersion() {
        return ++sdpVersion;
    }

    boolean isCaller() {
        return side == Side.CALLER;
    }

    @Override
    public String toString() {
        return side + " " + party + " " + callId;
    }
}
