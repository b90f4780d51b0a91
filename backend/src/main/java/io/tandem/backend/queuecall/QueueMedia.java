package io.tandem.backend.queuecall;

import io.tandem.backend.acd.queues.QueueDefinition;
import io.tandem.telephony.codec.CodecSpec;
import io.tandem.telephony.media.MediaDirection;
import io.tandem.telephony.media.MediaSource;
import io.tandem.telephony.rtp.RtpMediaStream;
import io.tandem.telephony.rtp.RtpMediaStreamFactory;
import io.tandem.telephony.sdp.SdpNegotiator;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The media queue calls use on this node: RTP streams from the node's port range (callers, agents, extensions,
 * supervisors), the address the SDP names, music on hold and the position / wait announcements.
 */
final class QueueMedia {

    /** The queue's media speaks G.711 (RFC 3551 PCMU, PCMA): every phone has it, no transcoding cost. */
    static final List<CodecSpec> G711 = List.of(CodecSpec.PCMU, CodecSpec.PCMA);

    private final RtpMediaStreamFactory streams;
    private final InetAddress bind;
    private final Supplier<String> advertisedHost;
    private final MusicOnHold music;
    private final Announcements announcements;
    private final AtomicLong announced = new AtomicLong();

    QueueMedia(RtpMediaStreamFactory streams, InetAddress bind, Supplier<String> advertisedHost, MusicOnHold music,
            Announcements announcements) {
        this.streams = streams;
        this.bind = bind;
        this.advertisedHost = advertisedHost;
        this.music = music;
        this.announcements = announcements;
    }

    /** A stream of this node; IOException when no RTP port is free. */
    RtpMediaStream open() throws IOException {
        return streams.open(bind);
    }

    /** A stream of this node and its SDP offer for a call placed from a queue call. */
    OutgoingMedia outgoing() throws IOException {
        return outgoing(false);
    }

    /**
     * A stream of this node and its SDP offer, RTP/SAVP with an SDES key of the node's (RFC 4568 §5.1) when
     * {@code srtp}; the answer's key is read by the negotiator ({@code NegotiatedMedia.srtp()}).
     */
    OutgoingMedia outgoing(boolean srtp) throws IOException {
        RtpMediaStream stream = open();
        SdpNegotiator sdp = new SdpNegotiator(G711, true, srtp);
        return new OutgoingMedia(stream, sdp, sdp.createOffer(localRtp(stream), MediaDirection.SENDRECV).encode());
    }

    /** Where we want RTP, as the SDP says it: the node's advertised host and the stream's port. */
    InetSocketAddress localRtp(RtpMediaStream stream) {
        try {
            return new InetSocketAddress(InetAddress.getByName(advertisedHost.get()), stream.localAddress().getPort());
        } catch (UnknownHostException e) {
            return stream.localAddress();
        }
    }

    /** The queue's music class, looping. */
    MediaSource music(String musicClass) {
        return music.player(musicClass);
    }

    /** What the announcements say, then {@code then} (the music) resumes; counted. */
    MediaSource announcement(QueueDefinition.Announcements what, int position, Duration wait, MediaSource then) {
        List<String> words = announcements.words(what.position(), position, what.estimatedWait(), wait);
        announced.incrementAndGet();
        return announcements.player(words, then);
    }

    /** Named prompts of the prompt directory, one after the other, then {@code then}. */
    MediaSource prompts(List<String> words, MediaSource then) {
        return announcements.player(words, then);
    }

    /** How long {@link #prompts} of {@code words} last. */
    Duration promptsLength(List<String> words) {
        return announcements.duration(words);
    }

    /** Position / wait announcements played to callers of this node. */
    long announcementsPlayed() {
        return announced.get();
    }
}
