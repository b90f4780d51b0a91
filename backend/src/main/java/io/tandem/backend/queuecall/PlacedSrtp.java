package io.tandem.backend.queuecall;

import io.tandem.backend.call.CalleeSrtp;
import io.tandem.backend.node.sip.NodeSignalling;
import io.tandem.backend.node.sip.OutgoingBranch;
import io.tandem.telephony.rtp.RtpMediaStream;
import io.tandem.telephony.sdp.NegotiatedMedia;
import io.tandem.telephony.sdp.SdpException;
import io.tandem.telephony.sdp.SdpNegotiationException;
import io.tandem.telephony.sdp.SdpNegotiator;
import io.tandem.telephony.sdp.SessionDescription;
import io.tandem.telephony.srtp.Sdes;
import io.tandem.telephony.srtp.SdesException;
import java.util.List;
import javax.sip.ClientTransaction;
import javax.sip.ServerTransaction;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The offer of a leg this node places from a queue call (an agent's offer, an extension, a room's join, a
 * supervisor's monitor) and the SRTP it may carry: a phone of this node reached over TLS gets {@code RTP/SAVP} with
 * the node's key ({@link CalleeSrtp}); the leg's negotiator and stream only ever see the plain form, the stream
 * speaking the keys the answer agreed. Guarded by the lock of the call that owns the leg.
 */
final class PlacedSrtp {

    private static final Logger log = LoggerFactory.getLogger(PlacedSrtp.class);

    /** Null for a plain offer. */
    private final CalleeSrtp srtp;
    private final SessionDescription plainOffer;

    PlacedSrtp(CalleeSrtp srtp, SessionDescription plainOffer) {
        this.srtp = srtp;
        this.plainOffer = plainOffer;
    }

    /** The INVITE's offer: secured for a TLS phone. */
    String offer() {
        return (srtp == null ? plainOffer : srtp.secure(plainOffer)).encode();
    }

    /**
     * The phone's answer ({@code sdp}, the 2xx's body) read by {@code negotiator} in its plain form; an SRTP answer's
     * keys secure {@code stream} (RFC 4568). Throws when the answer is unusable (the leg is then ended).
     */
    NegotiatedMedia accept(String sdp, SdpNegotiator negotiator, RtpMediaStream stream)
            throws SdpException, SdpNegotiationException, SdesException {
        SessionDescription answer = SessionDescription.parse(sdp);
        if (srtp == null) {
            return negotiator.accept(answer);
        }
        CalleeSrtp.Answer read = srtp.accept(answer);
        NegotiatedMedia media = negotiator.accept(read.plain());
        if (read.keys() != null) {
            stream.secure(read.keys());
        }
        return media;
    }

    /**
     * {@code status} refused {@code branch}'s INVITE ({@code refused}): true when it was a 488 to our SRTP offer and
     * the plain offer went instead, once ({@link CalleeSrtp#plainAfter}); false when the refusal is the leg's outcome
     * (said at INFO when SRTP is required); {@code leg} names the leg in the log.
     */
    boolean offeredPlainAfter(int status, NodeSignalling signalling, OutgoingBranch branch,
            ClientTransaction refused, Object leg) {
        if (srtp == null || status != Response.NOT_ACCEPTABLE_HERE || !branch.owns(refused) || branch.isFinal()
                || branch.cancelled()) {
            return false;
        }
        if (!srtp.plainAfter(status)) {
            String why = srtp.refusal(status);
            if (why != null) {
                log.info("{}: {}", leg, why);
            }
            return false;
        }
        log.info("{}: the phone refused SRTP (488); offering plain RTP/AVP once", leg);
        return signalling.inviteAgain(branch, refused, plainOffer.encode());
    }

    /** A re-INVITE of the phone's (RFC 3264 §8), answered from {@code stream}: SRTP stays SRTP, a new key is taken. */
    void reanswer(Reinvites reinvites, ServerTransaction st, RtpMediaStream stream, SdpNegotiator negotiator,
            String contactUser) {
        Sdes.Keys current = srtp == null ? null : srtp.keys();
        Sdes.Keys keys = reinvites.answer(st, stream, negotiator, contactUser, false, current, List.of());
        if (keys != null && keys != current) {
            srtp.rekeyed(keys); // RFC 4568 §7.1.4
        }
    }
}
