package io.tandem.backend.queuecall;

import io.tandem.telephony.rtp.RtpMediaStream;
import io.tandem.telephony.sdp.SdpNegotiator;
import io.tandem.telephony.sdp.SessionDescription;

/**
 * The media side of a call this node places from a queue call (an agent's offer, an overflow extension, a
 * supervisor): a stream of its own on this node, the G.711 negotiator that will read the answer, and the SDP offer
 * for the INVITE in its plain form (a TLS phone gets it secured, {@code CalleeSrtp}).
 */
record OutgoingMedia(RtpMediaStream stream, SdpNegotiator negotiator, SessionDescription offer) {
}
