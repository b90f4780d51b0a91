package io.tandem.telephony.rtp;

import io.tandem.telephony.srtp.SrtpTransform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The RTCP side of one {@link RtpMediaStream}: a compound SR or RR + SDES CNAME about every
 * 5 s (RFC 3550 §6.2, randomised to 0.5–1.5 × the interval as §6.3.1 asks, first one
 * sooner), BYE on close, and the peer's reports parsed for LSR/DLSR and its view of us.
 * Runs on the clock thread ({@link #tick}) and the I/O thread ({@link #receive}).
 */
final class RtcpReporter {
    private static final Logger log = LoggerFactory.getLogger(RtcpReporter.class);
    static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** Seconds from 1900 (NTP era 0) to 1970 (Unix epoch). */
    private static final long NTP_UNIX_OFFSET = 2_208_988_800L;

    private final RtpMediaStream stream;
    private final long ssrc;
    private final DatagramChannel channel;
    private final String cname;
    private final byte[] out = new byte[512];
    /** SRTCP (RFC 3711 §3.4) of what we send, or null; used under the {@link #out} lock. */
    private volatile SrtpTransform protector;

    /** Default destination: RTP address, port + 1; replaced once RTCP arrives from elsewhere. */
    private volatile InetSocketAddress remote;
    private volatile InetSocketAddress latched;
    private volatile ReportBlock remoteReport;
    /** Middle 32 bits of the NTP time of the peer's last SR, and when it arrived (I/O thread writes). */
    private volatile long lastSrCompact;
    private volatile long lastSrArrivalNanos;

    // clock thread only
    private long nextReportNanos = -1;
    private long sentAtLastReport;
    private boolean sendFailed; // guarded by out

    RtcpReporter(RtpMediaStream stream, long ssrc, DatagramChannel channel) {
        this.stream = stream;
        this.ssrc = ssrc;
        this.channel = channel;
        this.cname = "tandem-" + Long.toHexString(ssrc) + "@" + stream.localAddress().getAddress().getHostAddress();
    }

    void protect(SrtpTransform protector) {
        this.protector = protector;
    }

    /** A re-INVITE moved the far end: forget the RTCP source learnt from the old one. */
    void repoint(InetSocketAddress rtpRemote) {
        latched = null;
        remote(rtpRemote);
    }

    void remote(InetSocketAddress rtpRemote) {
        remote = rtpRemote == null ? null : new InetSocketAddress(rtpRemote.getAddress(), rtpRemote.getPort() + 1);
    }

    ReportBlock remoteReport() {
        return remoteReport;
    }

    void tick(long nowNanos, long rtpTimestamp, int clockRate) {
        if (nextReportNanos < 0) {
            nextReportNanos = nowNanos + jittered(INTERVAL_NANOS / 2);
            return;
        }
        if (nowNanos - nextReportNanos < 0) {
            return;
        }
        nextReportNanos = nowNanos + jittered(INTERVAL_NANOS);
        InetSocketAddress to = destination();
        if (to == null) {
            return;
        }
        send(to, report(nowNanos, rtpTimestamp));
    }

    private List<RtcpPacket> report(long nowNanos, long rtpTimestamp) {
        long srArrival = lastSrArrivalNanos;
        long lsr = lastSrCompact;
        long dlsr = lsr == 0 ? 0 : (nowNanos - srArrival) * 65536 / 1_000_000_000L;
        ReportBlock block = stream.receptionReport(lsr, dlsr);
        List<ReportBlock> blocks = block == null ? List.of() : List.of(block);
        long sent = stream.packetsSent();
        List<RtcpPacket> packets = new ArrayList<>(2);
        if (sent != sentAtLastReport) {
            // §6.4: we sent data since the last report, so this is a sender report
            packets.add(new RtcpPacket.SenderReport(ssrc, ntpNow(), rtpTimestamp, sent & 0xFFFFFFFFL,
                    stream.bytesSent() & 0xFFFFFFFFL, blocks));
        } else {
            packets.add(new RtcpPacket.ReceiverReport(ssrc, blocks));
        }
        sentAtLastReport = sent;
        packets.add(new RtcpPacket.SourceDescription(ssrc, cname));
        return packets;
    }

    /** Sends RR + SDES + BYE (§6.6); best effort, from the closing thread. */
    void sendBye() {
        InetSocketAddress to = destination();
        if (to == null) {
            return;
        }
        send(to, List.of(new RtcpPacket.ReceiverReport(ssrc, List.of()),
                new RtcpPacket.SourceDescription(ssrc, cname),
                new RtcpPacket.Goodbye(List.of(ssrc), "call ended")));
    }

    /** Clock thread for reports, the closing thread for BYE: {@link #out} is the lock. */
    private void send(InetSocketAddress to, List<RtcpPacket> packets) {
        synchronized (out) {
            int len = RtcpPacket.writeCompound(packets, out, 0);
            SrtpTransform p = protector;
            if (p != null) {
                len = p.rtcp(out, len);
                if (len == SrtpTransform.REFUSED) {
                    return;
                }
            }
            try {
                channel.send(ByteBuffer.wrap(out, 0, len), to);
            } catch (IOException e) {
                if (!sendFailed && channel.isOpen()) {
                    sendFailed = true;
                    log.warn("RTCP send to {} failed (logged once per stream)", to, e);
                }
            }
        }
    }

    private InetSocketAddress destination() {
        InetSocketAddress l = latched;
        return l != null ? l : remote;
    }

    /** @return false when the datagram is not valid RTCP */
    boolean receive(byte[] buf, int len, InetSocketAddress from, long nowNanos) {
        List<RtcpPacket> packets;
        try {
            packets = RtcpPacket.parseCompound(buf, 0, len);
        } catch (RtcpFormatException e) {
            return false;
        }
        if (!from.equals(latched)) {
            latched = from; // symmetric RTCP (RFC 4961), as for RTP
        }
        for (RtcpPacket p : packets) {
            if (p instanceof RtcpPacket.SenderReport sr) {
                lastSrCompact = sr.compactNtp();
                lastSrArrivalNanos = nowNanos;
                ourBlock(sr.blocks());
            } else if (p instanceof RtcpPacket.ReceiverReport rr) {
                ourBlock(rr.blocks());
            }
        }
        return true;
    }

    private void ourBlock(List<ReportBlock> blocks) {
        for (ReportBlock b : blocks) {
            if (b.ssrc() == ssrc) {
                remoteReport = b;
            }
        }
    }

    private static long jittered(long interval) {
        return (long) (interval * (0.5 + ThreadLocalRandom.current().nextDouble()));
    }

    /** Wall-clock time as a 64-bit NTP timestamp (RFC 3550 §4). */
    static long ntpNow() {
        long millis = System.currentTimeMillis();
        long seconds = millis / 1000 + NTP_UNIX_OFFSET;
        long fraction = ((millis % 1000) << 32) / 1000;
        return (seconds << 32) | fraction;
    }
}
