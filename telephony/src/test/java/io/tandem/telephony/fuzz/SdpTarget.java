package io.tandem.telephony.fuzz;

import io.tandem.telephony.codec.CodecSpec;
import io.tandem.telephony.media.MediaDirection;
import io.tandem.telephony.sdp.SdpAnswer;
import io.tandem.telephony.sdp.SdpException;
import io.tandem.telephony.sdp.SdpNegotiationException;
import io.tandem.telephony.sdp.SdpNegotiator;
import io.tandem.telephony.sdp.SessionDescription;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * An SDP offer as the node takes it from an INVITE body ({@code SipMessages.bodyText}: UTF-8), parsed, answered and
 * the answer encoded. {@link SdpException} and {@link SdpNegotiationException} are the documented refusals: the node
 * answers 488 Not Acceptable Here.
 */
public final class SdpTarget implements FuzzTarget {
    private static final InetSocketAddress LOCAL = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40000);

    private final SdpNegotiator negotiator = new SdpNegotiator(List.of(CodecSpec.PCMA, CodecSpec.PCMU), true);
    private final List<byte[]> seeds;

    public SdpTarget(List<byte[]> seeds) {
        this.seeds = List.copyOf(seeds);
    }

    @Override
    public String name() {
        return "SDP";
    }

    @Override
    public List<byte[]> seeds() {
        return seeds;
    }

    @Override
    public boolean binary() {
        return false;
    }

    @Override
    public ParseOutcome parse(byte[] input) {
        try {
            SessionDescription offer = SessionDescription.parse(new String(input, StandardCharsets.UTF_8));
            SdpAnswer answer = negotiator.answer(offer, LOCAL, MediaDirection.SENDRECV);
            answer.description().encode();
            return ParseOutcome.ACCEPTED;
        } catch (SdpException | SdpNegotiationException e) {
            return ParseOutcome.REJECTED;
        }
    }
}
