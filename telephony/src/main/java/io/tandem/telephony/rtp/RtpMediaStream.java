package io.tandem.telephony.rtp;

import io.tandem.telephony.codec.AudioCodec;
import io.tandem.telephony.jitter.JitterBuffer;
import io.tandem.telephony.media.AudioFrames;
import io.tandem.telephony.media.MediaDirection;
import io.tandem.telephony.media.MediaSink;
import io.tandem.telephony.media.MediaSource;
import io.tandem.telephony.srtp.Sdes;
import io.tandem.telephony.srtp.SrtpTransform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * One RTP/RTCP session of a call leg, driven by its factory's I/O thread (receive path:
 * {@link #onRtp}, {@link #onRtcp}) and media-clock thread ({@link #tick}).
 *
 * <p>Sequence number, timestamp and SSRC are chosen at random once (RFC 3550 §5.1) and
 * carry on across {@link #start} and hold: the timestamp advances with every 20 ms tick
 * whether or not a packet is sent, so the far end sees the pause as time. Symmetric RTP
 * (RFC 4961): once two valid packets in a row come from an address other than the one in
 * the SDP, the stream sends there, which is what gets media through a NAT.
 */
public final class RtpMediaStream implements MediaStream {
    private static final Logger log = LoggerFactory.getLogger(RtpMediaStream.class);
    /** Valid packets in a row from a new address before we send there (symmetric RTP). */
    private static final int LATCH_AFTER = 2;
    private static final int MAX_DATAGRAM = 1500;

    /** What {@link #start} agreed, swapped as one reference so each tick sees a consistent set. */
    private record Session(AudioCodec codec, int telephoneEventPayloadType, int step, int clockRate,
                           InetSocketAddress sdpRemote) {
    }

    private final RtpMediaStreamFactory factory;
    private final PortPair ports;
    private final RtcpReporter rtcp;
    private final long ssrc;
    private final long createdNanos = System.nanoTime();

    private volatile Session session;
    private volatile MediaDirection direction = MediaDirection.SENDRECV;
    private volatile MediaSink sink;
    private volatile Consumer<Character> dtmfListener;
    private volatile boolean closed;
    /** Where RTP goes: the SDP address until symmetric RTP latches another; null sends nothing. */
    private volatile InetSocketAddress sendTo;
    private volatile JitterBuffer jitterBuffer;

    private final RtpSender sender;
    // clock thread only
    private final short[] pcmIn = AudioFrames.newFrame();
    private boolean sinkFailed;

    // I/O thread only
    private InetSocketAddress latchCandidate;
    private int latchCount;
    private long remoteSsrc = -1;
    private boolean haveEvent;
    private long lastEventTimestamp;

    // single-writer counters: the writer thread is named on each
    private volatile long packetsReceived;   // I/O
    private volatile long bytesReceived;     // I/O
    private volatile long packetsMalformed;  // I/O
    private volatile long packetsUnexpected; // I/O
    private volatile long sinkErrors;        // clock
    private volatile long srtpRefused;       // I/O

    /** Unprotects what the peer sends on RTP and RTCP (I/O thread); null on a plain stream. */
    private record SrtpIn(SrtpTransform rtp, SrtpTransform rtcp) {
    }

    private volatile SrtpIn srtpIn;
    /** The SDES keys this stream speaks SRTP with, null for plain RTP. */
    private volatile Sdes.Keys keys;

    /** Guards itself: the I/O thread updates it per packet, the clock reads it for RTCP. */
    private final ReceiverStatistics receiverStatistics = new ReceiverStatistics();

    RtpMediaStream(RtpMediaStreamFactory factory, PortPair ports) {
        this.factory = factory;
        this.ports = ports;
        this.ssrc = ThreadLocalRandom.current().nextLong(0x100000000L);
        this.sender = new RtpSender(ssrc, ports.rtp());
        this.rtcp = new RtcpReporter(this, ssrc, ports.rtcp());
    }

    @Override
    public void secure(Sdes.Keys keys) {
        this.keys = keys;
        if (keys == null) {
            srtpIn = null;
            sender.protect(null);
            rtcp.protect(null);
            return;
        }
        // One transform per thread and packet kind: each keeps its own crypto contexts and is not thread-safe.
        sender.protect(SrtpTransform.protecting(keys.local()));
        rtcp.protect(SrtpTransform.protecting(keys.local()));
        srtpIn = new SrtpIn(SrtpTransform.unprotecting(keys.remote()), SrtpTransform.unprotecting(keys.remote()));
    }

    /** The SDES keys of the last {@link #secure}, null for plain RTP. */
    public Sdes.Keys keys() {
        return keys;
    }

    /** SRTP/SRTCP datagrams refused: failed authentication, replayed, too short (RFC 3711 §3.3). */
    public long srtpRefused() {
        return srtpRefused;
    }

    @Override
    public InetSocketAddress localAddress() {
        return ports.rtpAddress();
    }

    /** Our SSRC (RFC 3550 §8). */
    public long ssrc() {
        return ssrc;
    }

    @Override
    public void start(InetSocketAddress remote, AudioCodec codec, int telephoneEventPayloadType) {
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(codec, "codec");
        if (closed) {
            throw new IllegalStateException("stream closed");
        }
        int clockRate = codec.spec().clockRate();
        JitterBuffer jb = jitterBuffer;
        if (jb == null || session == null || session.clockRate() != clockRate) {
            jitterBuffer = new JitterBuffer(40, 200, clockRate, MAX_DATAGRAM);
        } else {
            jb.flush();
        }
        // RFC 3264 §8.4: an address of 0.0.0.0 means "do not send" (old-style hold)
        // (and port 0 is a stream the answer rejected, RFC 3264 §6)
        sendTo = remote.getAddress() == null || remote.getAddress().isAnyLocalAddress() || remote.getPort() == 0
                ? null : remote;
        rtcp.repoint(sendTo);
        session = new Session(codec, telephoneEventPayloadType, codec.spec().timestampStep(), clockRate, remote);
        factory.activate(this);
    }

    @Override
    public void setDirection(MediaDirection direction) {
        MediaDirection previous = this.direction;
        this.direction = Objects.requireNonNull(direction, "direction");
        JitterBuffer jb = jitterBuffer;
        if (direction.receives() && !previous.receives() && jb != null) {
            jb.flush(); // what arrived before the hold is stale
        }
    }

    @Override
    public MediaDirection direction() {
        return direction;
    }

    @Override
    public void setSource(MediaSource source) {
        sender.source(source);
    }

    @Override
    public void setSink(MediaSink sink) {
        this.sink = sink;
    }

    @Override
    public void sendDtmf(char digit, int durationMillis) {
        int code = TelephoneEvent.code(digit);
        if (code < 0) {
            throw new IllegalArgumentException("not a DTMF key: '" + digit + "' (0-9, *, #, A-D)");
        }
        if (durationMillis <= 0) {
            throw new IllegalArgumentException("DTMF duration must be positive: " + durationMillis);
        }
        Session s = session;
        if (s == null || s.telephoneEventPayloadType() < 0) {
            throw new IllegalStateException("no telephone-event payload type negotiated for this stream");
        }
        if (!sender.queueDigit(code, durationMillis)) {
            throw new IllegalStateException("DTMF queue full: too many digits waiting");
        }
    }

    @Override
    public void onDtmf(Consumer<Character> listener) {
        this.dtmfListener = listener;
    }

    @Override
    public RtpStatistics statistics() {
        long lost;
        double jitterUnits;
        synchronized (receiverStatistics) {
            lost = receiverStatistics.cumulativeLost();
            jitterUnits = receiverStatistics.jitter();
        }
        Session s = session;
        JitterBuffer jb = jitterBuffer;
        double jitterMillis = s == null ? 0 : jitterUnits * 1000.0 / s.clockRate();
        return new RtpStatistics(sender.packetsSent(), sender.bytesSent(), packetsReceived, bytesReceived, Math.max(0, lost),
                jb == null ? 0 : jb.late(), packetsMalformed, jitterMillis);
    }

    /** Packets dropped because their payload type was neither the codec's nor telephone-event's. */
    public long packetsWithUnexpectedPayloadType() {
        return packetsUnexpected;
    }

    /** Exceptions thrown by the source or sink, or failed sends; each kind is logged once. */
    public long mediaErrors() {
        return sender.errors() + sinkErrors;
    }

    /** The far end's last reception report about our stream (RFC 3550 §6.4), or null. */
    public ReportBlock remoteReport() {
        return rtcp.remoteReport();
    }

    /** The jitter buffer's current target depth (it adapts to the measured delay variation). */
    public int jitterBufferTargetMillis() {
        JitterBuffer jb = jitterBuffer;
        return jb == null ? 0 : jb.targetDepthMillis();
    }

    /** Where RTP is sent now: the SDP address, or the one symmetric RTP latched on; null when not sending. */
    public InetSocketAddress remoteAddress() {
        return sendTo;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        rtcp.sendBye();
        factory.remove(this); // closes the ports
        ports.close();
    }

    long packetsSent() {
        return sender.packetsSent();
    }

    long bytesSent() {
        return sender.bytesSent();
    }

    boolean closed() {
        return closed;
    }

    PortPair ports() {
        return ports;
    }

    // ---------------------------------------------------------------- clock thread

    /** One 20 ms media tick. */
    void tick(long nowNanos) {
        Session s = session;
        if (s == null || closed) {
            return;
        }
        MediaDirection dir = direction;
        sender.tick(dir.sends(), sendTo, s.codec(), s.telephoneEventPayloadType(), s.step());
        if (dir.receives()) {
            receiveAudio(s);
        }
        rtcp.tick(nowNanos, sender.timestamp(), s.clockRate());
    }

    /** Advances the timestamp over ticks the clock could not run (the machine stalled). */
    void skipTicks(long ticks) {
        Session s = session;
        if (s != null) {
            sender.skip(ticks, s.step());
        }
    }

    private void receiveAudio(Session s) {
        JitterBuffer jb = jitterBuffer;
        jb.next(s.codec(), pcmIn);
        MediaSink out = sink;
        if (out != null) {
            try {
                out.write(pcmIn);
            } catch (RuntimeException e) {
                sinkErrors++;
                if (!sinkFailed) {
                    sinkFailed = true;
                    log.warn("media sink of RTP stream {} failed (logged once)", localAddress(), e);
                }
            }
        }
    }

    // ---------------------------------------------------------------- I/O thread

    /** A datagram on the RTP port; {@code packet} is the I/O thread's reusable parser. */
    void onRtp(byte[] buf, int len, InetSocketAddress from, RtpPacket packet, long nowNanos) {
        SrtpIn in = srtpIn;
        if (in != null) {
            len = in.rtp().rtp(buf, len); // RFC 3711 §3.3: authenticated before anything reads it
            if (len == SrtpTransform.REFUSED) {
                srtpRefused++;
                return;
            }
        }
        if (packet.parse(buf, 0, len) != RtpPacket.Status.OK) {
            packetsMalformed++;
            return;
        }
        Session s = session;
        if (s == null) {
            return; // not started: nothing negotiated to compare with yet
        }
        int pt = packet.payloadType();
        boolean event = pt == s.telephoneEventPayloadType();
        if (!event && pt != s.codec().spec().payloadType()) {
            packetsUnexpected++;
            return;
        }
        // in microseconds first, so that even a 48 kHz clock cannot overflow in a stream's lifetime
        long arrival = (nowNanos - createdNanos) / 1000 * s.clockRate() / 1_000_000L;
        synchronized (receiverStatistics) {
            if (packet.ssrc() != remoteSsrc) {
                remoteSsrc = packet.ssrc(); // RFC 3550 §8.2: a new source, statistics start over
                receiverStatistics.reset();
                haveEvent = false;
            }
            if (event) {
                receiverStatistics.onPacketWithoutTiming(packet.sequenceNumber());
            } else {
                receiverStatistics.onPacket(packet.sequenceNumber(), packet.timestamp(), arrival);
            }
        }
        packetsReceived++;
        bytesReceived += packet.payloadLength();
        latch(from);
        if (event) {
            onTelephoneEvent(packet);
        } else if (direction.receives()) {
            jitterBuffer.put(packet.ssrc(), packet.sequenceNumber(), packet.timestamp(), buf,
                    packet.payloadOffset(), packet.payloadLength(), nowNanos);
        }
    }

    private void latch(InetSocketAddress from) {
        if (from.equals(sendTo)) {
            latchCount = 0;
            return;
        }
        if (from.equals(latchCandidate)) {
            latchCount++;
        } else {
            latchCandidate = from;
            latchCount = 1;
        }
        if (latchCount >= LATCH_AFTER) {
            sendTo = from;
            rtcp.remote(from);
            latchCount = 0;
        }
    }

    private void onTelephoneEvent(RtpPacket packet) {
        if (packet.payloadLength() < TelephoneEvent.LENGTH) {
            return;
        }
        // RFC 4733 §2.5.2: all packets of one event share its start timestamp; report it once.
        // A timestamp at or before the last reported one is a retransmission or a straggler.
        if (haveEvent && (int) (packet.timestamp() - lastEventTimestamp) <= 0) {
            return;
        }
        char digit = TelephoneEvent.digit(TelephoneEvent.event(packet.data(), packet.payloadOffset()));
        if (digit == 0) {
            return;
        }
        haveEvent = true;
        lastEventTimestamp = packet.timestamp();
        Consumer<Character> listener = dtmfListener;
        if (listener != null) {
            factory.deliver(listener, digit);
        }
    }

    /** A datagram on the RTCP port. */
    void onRtcp(byte[] buf, int len, InetSocketAddress from, long nowNanos) {
        SrtpIn in = srtpIn;
        if (in != null) {
            len = in.rtcp().rtcp(buf, len);
            if (len == SrtpTransform.REFUSED) {
                srtpRefused++;
                return;
            }
        }
        if (!rtcp.receive(buf, len, from, nowNanos)) {
            packetsMalformed++;
        }
    }

    /** For RTCP: our reception report on the remote source, or null before it is validated. */
    ReportBlock receptionReport(long lastSenderReport, long delaySinceLastSenderReport) {
        synchronized (receiverStatistics) {
            if (!receiverStatistics.validated()) {
                return null;
            }
            return receiverStatistics.reportBlock(remoteSsrc, lastSenderReport, delaySinceLastSenderReport);
        }
    }
}
