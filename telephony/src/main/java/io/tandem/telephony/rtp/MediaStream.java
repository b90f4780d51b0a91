package io.tandem.telephony.rtp;

import io.tandem.telephony.codec.AudioCodec;
import io.tandem.telephony.media.MediaDirection;
import io.tandem.telephony.media.MediaSink;
import io.tandem.telephony.media.MediaSource;
import io.tandem.telephony.srtp.Sdes;

import java.net.InetSocketAddress;
import java.util.function.Consumer;

/**
 * One audio RTP stream of a call leg, as the SIP user agent and the B2BUA see it: a local
 * RTP/RTCP port pair bound before the offer is sent, started once SDP negotiation has
 * chosen a codec, re-pointed by a re-INVITE, and closed with the call.
 *
 * <p>Audio flows through the pipeline format ({@link io.tandem.telephony.media.AudioFrames}):
 * every 20 ms the stream reads a frame from its {@link MediaSource} and sends it, and
 * writes the next frame from its jitter buffer to its {@link MediaSink}.
 */
public interface MediaStream extends AutoCloseable {

    /** The local RTP address (RTCP is on port + 1) to put in the SDP. */
    InetSocketAddress localAddress();

    /**
     * Starts sending and receiving, or re-points the stream after a re-INVITE. The RTP
     * sequence number, timestamp and SSRC carry on across calls to this method.
     *
     * @param remote                    where the SDP says to send RTP (symmetric RTP may later
     *                                  learn a different source and send there instead)
     * @param codec                     the negotiated codec, a fresh instance for this stream
     * @param telephoneEventPayloadType RFC 4733 payload type agreed in SDP, or -1 for none
     */
    void start(InetSocketAddress remote, AudioCodec codec, int telephoneEventPayloadType);

    /**
     * Protects this stream with SRTP/SRTCP (RFC 3711) under the keys its SDP exchanged (RFC 4568), or makes it plain
     * again with null. Call it before {@link #start}, and again only when the keys changed.
     *
     * @throws UnsupportedOperationException from a stream that cannot do SRTP
     */
    default void secure(Sdes.Keys keys) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not speak SRTP");
    }

    /** Hold and resume: what this side sends and plays (RFC 3264 §8.4). */
    void setDirection(MediaDirection direction);

    MediaDirection direction();

    /** What is sent to the far end; null sends silence (comfort for NAT bindings). */
    void setSource(MediaSource source);

    /** Where the far end's audio goes; null discards it. */
    void setSink(MediaSink sink);

    /** Sends one DTMF digit as RFC 4733 telephone-events (0-9, *, #, A-D). */
    void sendDtmf(char digit, int durationMillis);

    /** Receives DTMF digits detected from RFC 4733 telephone-events, once per key press. */
    void onDtmf(Consumer<Character> listener);

    /** Counters for this stream: packets, bytes, lost, late, jitter, malformed. */
    RtpStatistics statistics();

    /** Stops the stream, releases its ports. Idempotent. */
    @Override
    void close();
}
