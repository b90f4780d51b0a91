package io.tandem.backend.queuecall;

import io.tandem.backend.call.CallerSrtp;
import io.tandem.backend.node.sip.NodeSignalling;
import io.tandem.telephony.codec.Codecs;
import io.tandem.telephony.media.MediaDirection;
import io.tandem.telephony.rtp.RtpMediaStream;
import io.tandem.telephony.sdp.NegotiatedMedia;
import io.tandem.telephony.sdp.SdpAnswer;
import io.tandem.telephony.sdp.SdpNegotiator;
import io.tandem.telephony.sdp.SessionDescription;
import io.tandem.telephony.sip.SipMessages;
import io.tandem.telephony.srtp.Sdes;
import io.tandem.telephony.srtp.SdesException;
import java.util.List;
import javax.sip.ServerTransaction;
import javax.sip.header.Header;
import javax.sip.message.Response;

/**
 * RFC 3264 §8: a new offer in a dialog of ours (hold, session refresh; a caller's, an agent's, a supervisor's) is
 * answered from the same stream; a leg that came over the trunk learns this node's id.
 */
final class Reinvites {

    private final NodeSignalling signalling;
    private final QueueMedia media;

    Reinvites(NodeSignalling signalling, QueueMedia media) {
        this.signalling = signalling;
        this.media = media;
    }

    void answer(ServerTransaction st, RtpMediaStream on, SdpNegotiator sdp, String contactUser, boolean trunkLeg) {
        answer(st, on, sdp, contactUser, trunkLeg, null, List.of());
    }

    /**
     * As above for a leg whose party speaks SRTP with {@code srtp} (null: plain RTP): the re-offer must keep
     * {@code RTP/SAVP}; its plain form is answered from the stream, and the answer carries the node's key, a new one
     * when the party brought a new key of its own (RFC 4568 §7.1.4), which the stream then speaks. Returns the keys the
     * leg speaks after it ({@code srtp} when unchanged or refused). The 200 carries {@code extra} headers (a session
     * timer's, RFC 4028 §9).
     */
    Sdes.Keys answer(ServerTransaction st, RtpMediaStream on, SdpNegotiator sdp, String contactUser, boolean trunkLeg,
            Sdes.Keys srtp, List<Header> extra) {
        SessionDescription offer;
        CallerSrtp secured = null;
        try {
            offer = SessionDescription.parse(SipMessages.bodyText(st.getRequest()));
            if (srtp != null) {
                secured = CallerSrtp.reoffered(offer, srtp);
                offer = secured.offer();
            }
        } catch (SdesException e) {
            signalling.respond(st, Response.NOT_ACCEPTABLE_HERE, e.getMessage(), null, null, null, trunkLeg);
            return srtp;
        } catch (Exception e) {
            signalling.respond(st, Response.NOT_ACCEPTABLE_HERE, "Unusable SDP offer", null, null, null, trunkLeg);
            return srtp;
        }
        try {
            SdpAnswer answer = sdp.answer(offer, media.localRtp(on), MediaDirection.SENDRECV);
            NegotiatedMedia agreed = answer.media();
            if (secured != null && secured.keys() != srtp) {
                on.secure(secured.keys()); // new keys only: the same keys keep their crypto contexts
            }
            on.start(agreed.remoteRtp(), Codecs.create(agreed.codec()), agreed.telephoneEventPayloadType());
            on.setDirection(agreed.direction());
            SessionDescription description = secured == null ? answer.description()
                    : secured.secure(answer.description());
            signalling.respond(st, Response.OK, null, null, contactUser, description.encode(), trunkLeg, extra);
            return secured == null ? srtp : secured.keys();
        } catch (Exception e) {
            signalling.respond(st, Response.NOT_ACCEPTABLE_HERE, "Unusable SDP offer", null, null, null, trunkLeg);
            return srtp;
        }
    }
}
