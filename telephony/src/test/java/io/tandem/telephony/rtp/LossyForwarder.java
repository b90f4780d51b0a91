package io.tandem.telephony.rtp;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.atomic.AtomicLong;

/** Forwards datagrams one way and drops every n-th: injected packet loss for tests. */
final class LossyForwarder implements AutoCloseable {
    private final DatagramChannel channel;
    private final Thread thread;
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean running = true;

    LossyForwarder(InetSocketAddress target, int dropEvery) throws IOException {
        channel = DatagramChannel.open();
        channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        thread = new Thread(() -> {
            ByteBuffer buf = ByteBuffer.allocate(2048);
            long n = 0;
            while (running) {
                try {
                    buf.clear();
                    channel.receive(buf);
                    buf.flip();
                    if (++n % dropEvery == 0) {
                        dropped.incrementAndGet();
                    } else {
                        channel.send(buf, target);
                    }
                } catch (IOException e) {
                    return; // closed
                }
            }
        }, "lossy-forwarder");
        thread.setDaemon(true);
        thread.start();
    }

    InetSocketAddress address() throws IOException {
        return (InetSocketAddress) channel.getLocalAddress();
    }

    long dropped() {
        return dropped.get();
    }

    @Override
    public void close() throws Exception {
        running = false;
        channel.close();
        thread.join(5000);
    }
}
