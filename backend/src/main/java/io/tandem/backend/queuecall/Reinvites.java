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
import java.util.Objects;
import javax.sip.ServerTransaction;
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
        try {
            SdpAnswer answer = sdp.answer(SessionDescription.parse(SipMessages.bodyText(st.getRequest())),
                    media.localRtp(on), MediaDirection.SENDRECV);
            NegotiatedMedia agreed = answer.media();
            if (!Objects.equals(on.keys(), agreed.srtp())) {
                // An SRTP leg's re-offer with a new key of its own (RFC 4568 §7.1.4): ours is new too. The same
                // key keeps the contexts (the negotiator answers with our key of last time).
                on.secure(agreed.srtp());
            }
            on.start(agreed.remoteRtp(), Codecs.create(agreed.codec()), agreed.telephoneEventPayloadType());
            on.setDirection(agreed.direction());
            signalling.respond(st, Response.OK, null, null, contactUser, answer.description().encode(), trunkLeg);
        } catch (Exception e) {
            signalling.respond(st, Response.NOT_ACCEPTABLE_HERE, "Unusable SDP offer", null, null, null, trunkLeg);
        }
    }
}
