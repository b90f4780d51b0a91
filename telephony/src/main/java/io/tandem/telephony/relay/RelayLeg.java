package io.tandem.telephony.relay;

import io.tandem.telephony.codec.CodecSpec;
import io.tandem.telephony.codec.G711;
import io.tandem.telephony.rtp.PortPair;
import io.tandem.telephony.rtp.RtpPacket;
import io.tandem.telephony.srtp.Sdes;
import io.tandem.telephony.srtp.SrtpTransform;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * One side of an {@link RtpRelay}: the port pair a call party sends to, the address we send
 * to (SDP first, then symmetric latching, RFC 4961), the codec and telephone-event payload
 * type that party's SDP agreed. Receive handlers run on the engine's selector thread;
 * {@link #configure} may be called from any thread.
 */
public final class RelayLeg implements RelayPeer {
    /** Valid packets in a row from a new source before we send there. */
    private static final int LATCH_AFTER = 2;

    /** The SDP view of this leg, replaced as one reference; {@code kind} spares string compares per packet. */
    private record Config(CodecSpec codec, int telephoneEventPayloadType, int kind) {
    }

    /** A party's SRTP (RFC 3711): what it sends is unprotected with its key, what we send it protected with ours. */
    private record Srtp(SrtpTransform fromParty, SrtpTransform toParty) {
    }

    private static final int PCMU = 0;
    private static final int PCMA = 1;
    private static final int OTHER = 2;

    private final PortPair ports;
    private volatile Config config;
    private volatile InetSocketAddress rtpTo;
    private volatile InetSocketAddress rtcpTo;
    /** The address the SDP named last (not a latched one). */
    private volatile InetSocketAddress sdpTo;
    /**
     * The address the SDP named before it moved this leg to another party (a transfer's re-INVITE): that party keeps
     * sending until its BYE, and latching back to it would send the new party's audio to one who left. When the new
     * party is another node's relay, which sends only what it is sent, neither would ever send first again, so the
     * move would never heal. Latching (RFC 7362) follows a NATed party to its real source, never back to a
     * previous party; a NATed party's SDP names its private address, from which nothing arrives. Null when none.
     */
    private volatile InetSocketAddress previousParty;
    /** Null on a plain RTP leg; replaced as one reference, read once per packet. */
    private volatile Srtp srtp;
    /** Who receives what this leg's party sends; the other leg for a plain relay. */
    private volatile RelayPeer peer;

    // selector thread only
    private InetSocketAddress candidate;
    private int candidateCount;
    private final RtpPacket packet = new RtpPacket();

    // counters of packets received on this leg (single writer: the selector thread)
    private volatile long forwarded;
    private volatile long forwardedBytes;
    private volatile long transcoded;
    private volatile long dropped;
    private volatile long malformed;
    private volatile long rtcpForwarded;
    private volatile long srtpRefused;

    RelayLeg(PortPair ports) {
        this.ports = ports;
    }

    void peer(RelayPeer peer) {
        this.peer = peer;
    }

    /** The local RTP address to put in this leg's SDP (RTCP on port + 1). */
    public InetSocketAddress localAddress() {
        return ports.rtpAddress();
    }

    /**
     * Sets what this leg's SDP negotiated. {@code remote} may be null (or 0.0.0.0) when the
     * address is not known yet: the leg then sends once the party's first packets latch it.
     */
    public void configure(InetSocketAddress remote, CodecSpec codec, int telephoneEventPayloadType) {
        Objects.requireNonNull(codec, "codec");
        if (remote != null && remote.getAddress() != null && !remote.getAddress().isAnyLocalAddress()) {
            InetSocketAddress before = sdpTo;
            if (before != null && !before.equals(remote)) {
                previousParty = before;
            }
            sdpTo = remote;
            rtpTo = remote;
            rtcpTo = new InetSocketAddress(remote.getAddress(), remote.getPort() + 1);
        }
        int kind = codec.sameCodecAs(CodecSpec.PCMU) ? PCMU : codec.sameCodecAs(CodecSpec.PCMA) ? PCMA : OTHER;
        config = new Config(codec, telephoneEventPayloadType, kind);
    }

    /**
     * Makes this leg SRTP with the keys its SDP exchanged (RFC 4568), or plain RTP again with null. New keys start
     * new crypto contexts, so call this only when the keys changed, not for every re-INVITE.
     */
    public void secure(Sdes.Keys keys) {
        srtp = keys == null ? null
                : new Srtp(SrtpTransform.unprotecting(keys.remote()), SrtpTransform.protecting(keys.local()));
    }

    /** True while this leg speaks SRTP. */
    public boolean secured() {
        return srtp != null;
    }

    /** Where this leg sends RTP now: the SDP address or the latched source; null if neither yet. */
    public InetSocketAddress remoteAddress() {
        return rtpTo;
    }

    /** PCMU, PCMA or OTHER for the peer-side transcoding decision. */
    int codecKind() {
        Config c = config;
        return c == null ? OTHER : c.kind();
    }

    @Override
    public CodecSpec codec() {
        Config c = config;
        return c == null ? null : c.codec();
    }

    @Override
    public int telephoneEventPayloadType() {
        Config c = config;
        return c == null ? -1 : c.telephoneEventPayloadType();
    }

    PortPair ports() {
        return ports;
    }

    RelayStatistics statistics() {
        return new RelayStatistics(forwarded, forwardedBytes, transcoded, dropped, malformed, rtcpForwarded,
                srtpRefused);
    }

    // ---------------------------------------------------------------- selector thread

    /** An RTP datagram from this leg's party, in {@code datagram[0, limit)} backed by {@code buf}. */
    void onRtp(byte[] buf, ByteBuffer datagram, InetSocketAddress from) {
        int len = datagram.limit();
        // Stage 1, SRTP legs only: authenticate and decrypt in place before anything reads the packet, so a forged
        // packet can neither latch this leg nor reach the peer (RFC 3711 §3.3).
        Srtp s = srtp;
        if (s != null) {
            len = s.fromParty().rtp(buf, len);
            if (len == SrtpTransform.REFUSED) {
                srtpRefused++;
                return;
            }
            datagram.limit(len);
        }
        if (packet.parse(buf, 0, len) != RtpPacket.Status.OK) {
            malformed++;
            return;
        }
        Config in = config;
        RelayPeer out = peer;
        CodecSpec outCodec = out == null ? null : out.codec();
        if (in == null || outCodec == null) {
            dropped++;
            return;
        }
        int pt = packet.payloadType();
        int outPt;
        if (pt == in.codec().payloadType()) {
            outPt = outCodec.payloadType();
            int outKind = out instanceof RelayLeg leg ? leg.codecKind()
                    : outCodec.sameCodecAs(CodecSpec.PCMU) ? PCMU : outCodec.sameCodecAs(CodecSpec.PCMA) ? PCMA : OTHER;
            if (in.kind() != outKind || (outKind == OTHER && !in.codec().sameCodecAs(outCodec))) {
                if (!transcode(in.kind(), outKind, buf, packet.payloadOffset(), packet.payloadLength())) {
                    dropped++;
                    return;
                }
                transcoded++;
            }
        } else if (pt == in.telephoneEventPayloadType() && out.telephoneEventPayloadType() >= 0) {
            outPt = out.telephoneEventPayloadType(); // RFC 4733 events pass through, PT rewritten
        } else {
            dropped++;
            return;
        }
        latch(from); // only packets of an agreed payload type may move where this leg sends
        // rewrite only the payload type; marker, sequence, timestamp and SSRC pass through
        buf[1] = (byte) ((buf[1] & 0x80) | outPt);
        if (out.transmitRtp(datagram)) {
            forwarded++;
            forwardedBytes += len;
        } else {
            dropped++;
        }
    }

    /** G.711 μ-law ↔ A-law by table, in place (same size); false for any other pair. */
    private static boolean transcode(int from, int to, byte[] buf, int off, int len) {
        if (from == PCMU && to == PCMA) {
            for (int i = off; i < off + len; i++) {
                buf[i] = G711.ulawToAlaw(buf[i]);
            }
            return true;
        }
        if (from == PCMA && to == PCMU) {
            for (int i = off; i < off + len; i++) {
                buf[i] = G711.alawToUlaw(buf[i]);
            }
            return true;
        }
        return false;
    }

    private void latch(InetSocketAddress from) {
        if (from.equals(rtpTo)) {
            candidateCount = 0;
            return;
        }
        if (from.equals(previousParty)) {
            return; // forwarded until it hangs up, never followed
        }
        if (from.equals(candidate)) {
            candidateCount++;
        } else {
            candidate = from;
            candidateCount = 1;
        }
        if (candidateCount >= LATCH_AFTER) {
            rtpTo = from;
            if (rtcpTo == null || !rtcpTo.getAddress().equals(from.getAddress())) {
                rtcpTo = new InetSocketAddress(from.getAddress(), from.getPort() + 1);
            }
            candidateCount = 0;
        }
    }

    /** An RTCP datagram from this leg's party: checked lightly and passed through. */
    void onRtcp(ByteBuffer datagram, InetSocketAddress from) {
        int len = datagram.limit();
        Srtp s = srtp;
        if (s != null) {
            len = s.fromParty().rtcp(datagram.array(), len);
            if (len == SrtpTransform.REFUSED) {
                srtpRefused++;
                return;
            }
            datagram.limit(len);
        }
        // RFC 3550 A.2 header check only: version 2 and an SR/RR first; the far end validates the rest
        int b0 = datagram.get(0) & 0xFF;
        int type = len >= 2 ? datagram.get(1) & 0xFF : 0;
        if (len < 8 || (b0 >>> 6) != 2 || (type != 200 && type != 201)) {
            malformed++;
            return;
        }
        if (!from.equals(rtcpTo) && followsRtcpFrom(from)) {
            rtcpTo = from; // symmetric RTCP
        }
        RelayPeer out = peer;
        if (out != null && out.transmitRtcp(datagram)) {
            rtcpForwarded++;
        }
    }

    /**
     * Symmetric RTCP follows only the host this leg's RTP goes to (its port may differ behind a NAT): any host could
     * send one well-formed report and, followed, receive the call's RTCP from then on; nor the party a re-INVITE moved
     * this leg away from, for the reason {@link #latch} gives.
     */
    private boolean followsRtcpFrom(InetSocketAddress from) {
        InetSocketAddress previous = previousParty;
        if (previous != null && from.getAddress().equals(previous.getAddress())
                && (from.getPort() == previous.getPort() + 1 || from.getPort() == previous.getPort())) {
            return false;
        }
        InetSocketAddress rtp = rtpTo;
        return rtp == null || rtp.getAddress().equals(from.getAddress());
    }

    /** Where this leg sends RTCP now; null if not known yet. */
    InetSocketAddress rtcpAddress() {
        return rtcpTo;
    }

    @Override
    public boolean transmitRtp(ByteBuffer datagram) {
        // Last stage, SRTP legs only: encrypt and tag in place; the receive buffer has room for the tag.
        Srtp s = srtp;
        if (s != null && !protect(s.toParty(), datagram, true)) {
            return false;
        }
        return send(ports.rtp().isOpen() ? rtpTo : null, datagram, true);
    }

    @Override
    public boolean transmitRtcp(ByteBuffer datagram) {
        Srtp s = srtp;
        if (s != null && !protect(s.toParty(), datagram, false)) {
            return false;
        }
        return send(rtcpTo, datagram, false);
    }

    private static boolean protect(SrtpTransform transform, ByteBuffer datagram, boolean rtp) {
        if (datagram.capacity() - datagram.limit() < SrtpTransform.HEADROOM) {
            return false;
        }
        int len = rtp ? transform.rtp(datagram.array(), datagram.limit())
                : transform.rtcp(datagram.array(), datagram.limit());
        if (len == SrtpTransform.REFUSED) {
            return false;
        }
        datagram.limit(len);
        return true;
    }

    private boolean send(InetSocketAddress to, ByteBuffer datagram, boolean rtp) {
        if (to == null) {
            return false;
        }
        datagram.position(0);
        try {
            return (rtp ? ports.rtp() : ports.rtcp()).send(datagram, to) > 0;
        } catch (IOException e) {
            return false; // closed meanwhile, or ICMP unreachable reported by the kernel
        }
    }
}
