package io.tandem.telephony.rtp;

import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.atomic.AtomicBoolean;

/** A bound RTP/RTCP channel pair from a {@link PortAllocator}; closing it frees the ports. */
public final class PortPair implements AutoCloseable {
    private final PortAllocator owner;
    private final int rtpPort;
    private final InetSocketAddress rtpAddress;
    private final DatagramChannel rtp;
    private final DatagramChannel rtcp;
    private final AtomicBoolean closed = new AtomicBoolean();

    PortPair(PortAllocator owner, int rtpPort, InetSocketAddress rtpAddress, DatagramChannel rtp, DatagramChannel rtcp) {
        this.owner = owner;
        this.rtpAddress = rtpAddress;
        this.rtpPort = rtpPort;
        this.rtp = rtp;
        this.rtcp = rtcp;
    }

    public int rtpPort() {
        return rtpPort;
    }

    public int rtcpPort() {
        return rtpPort + 1;
    }

    public DatagramChannel rtp() {
        return rtp;
    }

    public DatagramChannel rtcp() {
        return rtcp;
    }

    /** The bound RTP address. */
    public InetSocketAddress rtpAddress() {
        return rtpAddress;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            PortAllocator.closeQuietly(rtp);
            PortAllocator.closeQuietly(rtcp);
            owner.release(rtpPort);
        }
    }
}
