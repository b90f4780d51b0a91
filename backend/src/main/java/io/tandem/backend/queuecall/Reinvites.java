package io.tandem.backend.queuecall;

import io.tandem.backend.node.sip.NodeSignalling;
import io.tandem.telephony.codec.Codecs;
import io.tandem.telephony.media.MediaDirection;
import io.tandem.telephony.rtp.RtpMediaStream;
import io.tandem.telephony.sdp.NegotiatedMedia;
import io.tandem.telephony.sdp.SdpAnswer;
import io.tandem.telephony.sdp.SdpNegotiator;
import io.tandem.telephony.sdp.SessionDescription;
import io.tandem.telephony.sip.SipMessages;
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
        answer(st, on, sdp, contactUser, trunkLeg, List.of());
    }

    /** As above; the 200 carries {@code extra} headers (a session timer's, RFC 4028 §9). */
    void answer(ServerTransaction st, RtpMediaStream on, SdpNegotiator sdp, String contactUser, boolean trunkLeg,
            List<Header> extra) {
        try {
            SdpAnswer answer = sdp.answer(SessionDescription.parse(SipMessages.bodyText(st.getRequest())),
                    media.localRtp(on), MediaDirection.SENDRECV);
            NegotiatedMedia agreed = answer.media();
            on.start(agreed.remoteRtp(), Codecs.create(agreed.codec()), agreed.telephoneEventPayloadType());
            on.setDirection(agreed.direction());
            signalling.respond(st, Response.OK, null, null, contactUser, answer.description().encode(), trunkLeg,
                    extra);
        } catch (Exception e) {
            signalling.respond(st, Response.NOT_ACCEPTABLE_HERE, "Unusable SDP offer", null, null, null, trunkLeg);
        }
    }
}
