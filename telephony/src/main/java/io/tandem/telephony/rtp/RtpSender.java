package io.tandem.telephony.rtp;

import io.tandem.telephony.codec.AudioCodec;
import io.tandem.telephony.media.AudioFrames;
import io.tandem.telephony.media.MediaSource;
import io.tandem.telephony.srtp.SrtpTransform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The outbound half of an {@link RtpMediaStream}, run by the media clock: reads the source,
 * encodes, and sends one packet per tick, or the tick's RFC 4733 event packet instead while
 * a digit is being sent. Sequence number and timestamp start at random (RFC 3550 §5.1) and
 * live here for the stream's whole life, so they carry on across re-INVITEs and hold: the
 * timestamp advances every tick whether a packet goes out or not.
 */
final class RtpSender {
    private static final Logger log = LoggerFactory.getLogger(RtpSender.class);

    private final long ssrc;
    private final DatagramChannel channel;
    private final DtmfSender dtmf = new DtmfSender();
    private volatile MediaSource source;
    /** SRTP (RFC 3711) of what we send, or null for plain RTP. */
    private volatile SrtpTransform protector;

    // clock thread only
    private int sequence = ThreadLocalRandom.current().nextInt(0x10000);
    private long timestamp = ThreadLocalRandom.current().nextLong(0x100000000L);
    private boolean talkspurtStart = true;
    private final short[] pcm = AudioFrames.newFrame();
    private final byte[] bytes = new byte[1500];
    private final ByteBuffer buffer = ByteBuffer.wrap(bytes);
    private final DtmfSender.Packet eventPacket = new DtmfSender.Packet();
    private boolean sourceFailed;
    private boolean sendFailed;

    // single writer: the clock thread
    private volatile long packetsSent;
    private volatile long bytesSent;
    private volatile long errors;

    RtpSender(long ssrc, DatagramChannel channel) {
        this.ssrc = ssrc;
        this.channel = channel;
    }

    void protect(SrtpTransform protector) {
        this.protector = protector;
    }

    void source(MediaSource source) {
        this.source = source;
    }

    /** @return false when too many digits are already waiting */
    boolean queueDigit(int eventCode, int durationMillis) {
        return dtmf.enqueue(eventCode, durationMillis);
    }

    /**
     * One tick: sends to {@code to} when {@code sending}, then advances the timestamp by
     * {@code step}. {@code telephoneEventPt} -1 means events are not agreed.
     */
    void tick(boolean sending, InetSocketAddress to, AudioCodec codec, int telephoneEventPt, int step) {
        if (sending && to != null) {
            if (!sendEvent(to, telephoneEventPt, step, codec.spec().clockRate())) {
                sendAudio(to, codec);
            }
        } else {
            talkspurtStart = true;
        }
        timestamp = (timestamp + step) & 0xFFFFFFFFL;
    }

    /** Moves the timestamp over ticks the clock could not run (the machine stalled). */
    void skip(long ticks, int step) {
        timestamp = (timestamp + ticks * step) & 0xFFFFFFFFL;
        talkspurtStart = true;
    }

    private boolean sendEvent(InetSocketAddress to, int pt, int step, int clockRate) {
        if (pt < 0 || dtmf.idle()) {
            return false;
        }
        DtmfSender.Packet p = dtmf.tick(timestamp, step, clockRate, bytes, RtpPacket.HEADER_LENGTH, eventPacket);
        if (p == null) {
            return false;
        }
        RtpPacket.writeHeader(bytes, 0, p.marker, pt, sequence, p.timestamp, ssrc);
        send(to, RtpPacket.HEADER_LENGTH + TelephoneEvent.LENGTH, TelephoneEvent.LENGTH);
        talkspurtStart = true; // audio after the event starts a new talkspurt
        return true;
    }

    private void sendAudio(InetSocketAddress to, AudioCodec codec) {
        MediaSource src = source;
        boolean have = false;
        if (src != null) {
            try {
                have = src.read(pcm);
            } catch (RuntimeException e) {
                errors++;
                if (!sourceFailed) {
                    sourceFailed = true;
                    log.warn("media source of RTP stream SSRC {} failed; sending silence (logged once)",
                            Long.toHexString(ssrc), e);
                }
            }
        }
        if (!have) {
            Arrays.fill(pcm, (short) 0);
        }
        int payload = codec.encode(pcm, bytes, RtpPacket.HEADER_LENGTH);
        // RFC 3551 §4.1: the marker bit flags the first packet after a silence period
        RtpPacket.writeHeader(bytes, 0, talkspurtStart, codec.spec().payloadType(), sequence, timestamp, ssrc);
        talkspurtStart = false;
        send(to, RtpPacket.HEADER_LENGTH + payload, payload);
    }

    private void send(InetSocketAddress to, int length, int payloadLength) {
        SrtpTransform p = protector;
        if (p != null) {
            length = p.rtp(bytes, length);
            if (length == SrtpTransform.REFUSED) {
                errors++;
                sequence = (sequence + 1) & 0xFFFF;
                return;
            }
        }
        buffer.clear().limit(length);
        try {
            if (channel.send(buffer, to) > 0) {
                packetsSent++;
                bytesSent += payloadLength;
            }
        } catch (IOException e) {
            errors++;
            if (!sendFailed && channel.isOpen()) {
                sendFailed = true;
                log.warn("RTP send to {} failed (logged once)", to, e);
            }
        }
        sequence = (sequence + 1) & 0xFFFF;
    }

    /** The RTP timestamp of the next tick (clock thread). */
    long timestamp() {
        return timestamp;
    }

    long packetsSent() {
        return packetsSent;
    }

    long bytesSent() {
        return bytesSent;
    }

    long errors() {
        return errors;
    }
}
