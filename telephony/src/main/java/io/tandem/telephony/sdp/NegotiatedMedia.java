package io.tandem.telephony.sdp;

import io.tandem.telephony.codec.CodecSpec;
import io.tandem.telephony.media.MediaDirection;
import io.tandem.telephony.srtp.Sdes;

import java.net.InetSocketAddress;

/**
 * The outcome of an offer/answer exchange for the one audio stream we carry.
 *
 * @param remoteRtp                  where to send RTP; {@code 0.0.0.0} when the peer put us on hold the RFC 2543
 *                                   way, and an unresolved address when the SDP named a host instead of an IP
 * @param codec                      the codec, with the payload type to put on the wire
 * @param telephoneEventPayloadType  RFC 4733 payload type for DTMF, or -1 when none was agreed
 * @param direction                  what WE do: send, receive, both or neither
 * @param srtp                       the SDES keys when the stream is SRTP (RFC 4568), null for plain RTP
 */
public record NegotiatedMedia(InetSocketAddress remoteRtp, CodecSpec codec, int telephoneEventPayloadType,
                              MediaDirection direction, Sdes.Keys srtp) {

    /** Plain RTP. */
    public NegotiatedMedia(InetSocketAddress remoteRtp, CodecSpec codec, int telephoneEventPayloadType,
            MediaDirection direction) {
        this(remoteRtp, codec, telephoneEventPayloadType, direction, null);
    }

    public boolean hasTelephoneEvent() {
        return telephoneEventPayloadType >= 0;
    }
}
