package io.tandem.telephony.relay;

import io.tandem.telephony.codec.CodecSpec;

import java.nio.ByteBuffer;

/**
 * Where a relay leg hands the packets it receives: today always the other {@link RelayLeg}.
 * This is the seam for conferences: a B2BUA that moves one leg from the relay to a mixer
 * will give the leg a peer that decodes into the mixer instead (not built yet).
 */
interface RelayPeer {

    /** The codec this peer sends and receives, or null until its SDP is known. */
    CodecSpec codec();

    /** RFC 4733 payload type of this peer, or -1. */
    int telephoneEventPayloadType();

    /** Sends one RTP datagram (already rewritten for this peer) out; false when it could not. */
    boolean transmitRtp(ByteBuffer datagram);

    /** Sends one RTCP datagram out; false when it could not. */
    boolean transmitRtcp(ByteBuffer datagram);
}
