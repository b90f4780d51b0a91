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

    private final java.util.concurrent.ScheduledExecutorService delayer =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
    private final int maxDelayMillis;

    LossyForwarder(InetSocketAddress rtpTarget, InetSocketAddress rtcpTarget, int dropEvery) throws IOException {
        this(rtpTarget, rtcpTarget, dropEvery, 0);
    }

    /** Also delays each RTP packet by a random 0..maxDelayMillis (jitter, and so reordering). */
    LossyForwarder(InetSocketAddress rtpTarget, InetSocketAddress rtcpTarget, int dropEvery, int maxDelayMillis)
            throws IOException {
        this.maxDelayMillis = maxDelayMillis;
        int base = TestPorts.base(20);
        ports = new PortAllocator(base, base + 19).allocate(InetAddress.getLoopbackAddress());
        ports.rtp().configureBlocking(true);
        ports.rtcp().configureBlocking(true);
        rtp = pump(ports.rtp(), rtpTarget, dropEvery);
        rtcp = pump(ports.rtcp(), rtcpTarget, 0);
    }

    private void forward(DatagramChannel channel, ByteBuffer buf, InetSocketAddress target, boolean delay)
            throws IOException {
        if (!delay || maxDelayMillis == 0) {
            channel.send(buf, target);
            return;
        }
        ByteBuffer copy = ByteBuffer.allocate(buf.remaining()).put(buf).flip();
        long d = java.util.concurrent.ThreadLocalRandom.current().nextLong(maxDelayMillis + 1);
        delayer.schedule(() -> {
            try {
                channel.send(copy, target);
            } catch (IOException closed) {
                // the test is over
            }
        }, d, java.util.concurrent.TimeUnit.MILLISECONDS);
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
                    if (dropEvery > 0 && ++n % dropEvery == 0 && channel == ports.rtp()) {
                        dropped.incrementAndGet();
                    } else {
                        forward(channel, buf, target, channel == ports.rtp());
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
        delayer.shutdownNow();
        ports.close();
        rtp.join(5000);
        rtcp.join(5000);
    }
}
