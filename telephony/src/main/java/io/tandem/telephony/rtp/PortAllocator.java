package io.tandem.telephony.rtp;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.util.BitSet;

/**
 * Hands out RTP/RTCP port pairs from a bounded range: an even RTP port and RTCP on the
 * next odd one (RFC 3550 §11). Ports another process holds are skipped; a pair returns to
 * the pool when its {@link PortPair} is closed. Thread-safe.
 */
public final class PortAllocator {
    private final int min;
    private final int max;
    private final Object lock = new Object();
    /** Guarded by {@link #lock}: bit (port - min) / 2 is set while we hold that pair. */
    private final BitSet inUse = new BitSet();
    /** Guarded by {@link #lock}: where the next search starts, so freed ports rest a while. */
    private int cursor;

    /**
     * @param min lowest port (rounded up to even)
     * @param max highest port; the last pair is the one whose RTCP port is at most {@code max}
     */
    public PortAllocator(int min, int max) {
        int evenMin = (min + 1) & ~1;
        if (min < 1024 || max > 65535 || evenMin + 1 > max) {
            throw new IllegalArgumentException("RTP port range must hold at least one even/odd pair within 1024-65535: "
                    + min + "-" + max);
        }
        this.min = evenMin;
        this.max = max;
    }

    public int pairCount() {
        return (max - min + 1) / 2;
    }

    /** Pairs currently handed out by this allocator. */
    public int inUse() {
        synchronized (lock) {
            return inUse.cardinality();
        }
    }

    /**
     * Binds a free pair on {@code address}, both channels non-blocking.
     *
     * @throws IOException "no free RTP port pair in min-max" when every pair is taken
     */
    public PortPair allocate(InetAddress address) throws IOException {
        int pairs = pairCount();
        synchronized (lock) {
            for (int i = 0; i < pairs; i++) {
                int index = (cursor + i) % pairs;
                if (inUse.get(index)) {
                    continue;
                }
                int rtpPort = min + 2 * index;
                PortPair pair = tryBind(address, rtpPort);
                if (pair != null) {
                    inUse.set(index);
                    cursor = (index + 1) % pairs;
                    return pair;
                }
            }
        }
        throw new IOException("no free RTP port pair in " + min + "-" + max);
    }

    private PortPair tryBind(InetAddress address, int rtpPort) {
        DatagramChannel rtp = null;
        try {
            rtp = open(new InetSocketAddress(address, rtpPort));
            DatagramChannel rtcp = open(new InetSocketAddress(address, rtpPort + 1));
            return new PortPair(this, rtpPort, (InetSocketAddress) rtp.getLocalAddress(), rtp, rtcp);
        } catch (IOException inUseElsewhere) {
            closeQuietly(rtp);
            return null;
        }
    }

    private static DatagramChannel open(InetSocketAddress local) throws IOException {
        DatagramChannel ch = DatagramChannel.open();
        try {
            ch.configureBlocking(false);
            ch.bind(local);
            return ch;
        } catch (IOException e) {
            ch.close();
            throw e;
        }
    }

    void release(int rtpPort) {
        synchronized (lock) {
            inUse.clear((rtpPort - min) / 2);
        }
    }

    static void closeQuietly(DatagramChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // closing a datagram channel has nothing to flush
            }
        }
    }
}
