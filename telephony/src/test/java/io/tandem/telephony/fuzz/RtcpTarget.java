package io.tandem.telephony.fuzz;

import io.tandem.telephony.rtp.RtcpFormatException;
import io.tandem.telephony.rtp.RtcpPacket;

import java.util.List;

/**
 * A datagram on an RTCP port, parsed as {@code RtcpReporter.receive} does: {@link RtcpFormatException} is the
 * documented refusal, and the reporter drops the datagram.
 */
public final class RtcpTarget implements FuzzTarget {
    private final List<byte[]> seeds;

    public RtcpTarget(List<byte[]> seeds) {
        this.seeds = List.copyOf(seeds);
    }

    @Override
    public String name() {
        return "RTCP";
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
        try {
            RtcpPacket.parseCompound(input, 0, input.length);
            return ParseOutcome.ACCEPTED;
        } catch (RtcpFormatException e) {
            return ParseOutcome.DROPPED;
        }
    }
}
