package io.tandem.telephony.rtp;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A middlebox for tests on an RTP/RTCP port pair: RTP arriving on the even port goes on to
 * {@code rtpTarget} except every n-th packet (injected loss); RTCP arriving on the odd port
 * goes on to {@code rtcpTarget} untouched. Symmetric RTP at the receiver latches onto the
 * forwarder, so its RTCP comes back here and still reaches the sender.
 */
final class LossyForwarder implements AutoCloseable {
    private final PortPair ports;
    private final Thread rtp;
    private final Thread rtcp;
    private final AtomicLong dropped = new AtomicLong();

    LossyForwarder(InetSocketAddress rtpTarget, InetSocketAddress rtcpTarget, int dropEvery) throws IOException {
        int base = TestPorts.base(20);
        ports = new PortAllocator(base, base + 19).allocate(InetAddress.getLoopbackAddress());
        ports.rtp().configureBlocking(true);
        ports.rtcp().configureBlocking(true);
        rtp = pump(ports.rtp(), rtpTarget, dropEvery);
        rtcp = pump(ports.rtcp(), rtcpTarget, 0);
    }

    private Thread pump(DatagramChannel channel, InetSocketAddress target, int dropEvery) {
        Thread t = new Thread(() -> {
            ByteBuffer buf = ByteBuffer.allocate(2048);
            long n = 0;
            while (true) {
                try {
                    buf.clear();
                    channel.receive(buf);
                    buf.flip();
                    if (dropEvery > 0 && ++n % dropEvery == 0) {
                        dropped.incrementAndGet();
                    } else {
                        channel.send(buf, target);
                    }
                } catch (IOException e) {
                    return; // closed
                }
            }
        }, "lossy-forwarder");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** The RTP address to send to (RTCP on port + 1). */
    InetSocketAddress address() {
        return ports.rtpAddress();
    }

    long dropped() {
        return dropped.get();
    }

    @Override
    public void close() throws Exception {
        ports.close();
        rtp.join(5000);
        rtcp.join(5000);
    }
}
