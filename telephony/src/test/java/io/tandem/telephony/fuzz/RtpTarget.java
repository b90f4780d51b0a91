package io.tandem.telephony.fuzz;

import io.tandem.telephony.rtp.RtpPacket;

import java.util.List;

/**
 * A datagram on an RTP port, parsed as {@code RelayLeg} and {@code RtpMediaStream} do: any status but OK is a counted
 * drop. An accepted packet's view must lie inside the datagram (the relay and the decoders read it unchecked).
 */
public final class RtpTarget implements FuzzTarget {
    private final RtpPacket packet = new RtpPacket();
    private final List<byte[]> seeds;

    public RtpTarget(List<byte[]> seeds) {
        this.seeds = List.copyOf(seeds);
    }

    @Override
    public String name() {
        return "RTP";
    }

    @Override
    public List<byte[]> seeds() {
        return seeds;
    }

    @Override
    public boolean binary() {
        return true;
    }

    @Override
    public ParseOutcome parse(byte[] input) {
        if (packet.parse(input, 0, input.length) != RtpPacket.Status.OK) {
            return ParseOutcome.DROPPED;
        }
        int payloadEnd = packet.payloadOffset() + packet.payloadLength();
        if (packet.payloadOffset() < RtpPacket.HEADER_LENGTH || packet.payloadLength() < 0
                || payloadEnd > input.length) {
            throw new IllegalStateException("payload [" + packet.payloadOffset() + ", " + payloadEnd
                    + ") outside a datagram of " + input.length + " bytes");
        }
        for (int i = 0; i < packet.csrcCount(); i++) {
            packet.csrc(i);
        }
        return ParseOutcome.ACCEPTED;
    }
}
