package io.tandem.telephony.peers;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Finds ports on 127.0.0.1 that are free for both UDP and TCP, for external programs (SIPp,
 * baresip) that need a port number on their command line. The search stays below the kernel's
 * ephemeral range (32768+), so a port we hand out is not taken a moment later by some other
 * test's {@code bind(0)}; ports handed out once are never handed out again by this JVM, so two
 * peers started by parallel tests never get the same number — until the holder gives them back with
 * {@link #release} when it has closed its sockets (phones do, on close), so a long run of test classes in one JVM
 * does not use up the range (all backend ITs in one JVM needed more than its 127 blocks of 100). Another process
 * can still grab a port between the probe and the program's bind: callers start the program promptly.
 */
public final class FreePorts {
    /** Lowest port we hand out: above the well-known and common service ports. */
    static final int MIN = 20_000;
    /** Highest port we hand out: just below Linux's default ephemeral range. */
    static final int MAX = 32_700;
    private static final int ATTEMPTS = 2_000;
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private FreePorts() {
    }

    /** A port free for UDP and TCP on 127.0.0.1 (what a SIP listener needs). */
    public static int udpAndTcp() {
        return block(1);
    }

    /**
     * The first of {@code count} consecutive ports, each free for UDP and TCP. baresip needs two
     * (SIP on p, SIP over TLS on p+1); an RTP port needs its RTCP neighbour (even p, p+1).
     */
    public static int block(int count) {
        return search(count, false);
    }

    /** An even port p with p and p+1 free for UDP and TCP: an RTP/RTCP pair (RFC 3550 §11). */
    public static int rtpPair() {
        return alignedBlock(2);
    }

    /** Like {@link #block(int)}, starting on an even port (media ports: RTP even, RTCP odd). */
    public static int alignedBlock(int count) {
        return search(count, true);
    }

    private static int search(int count, boolean even) {
        if (count < 1 || count > 100) {
            throw new IllegalArgumentException("count must be 1..100: " + count);
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int first = random.nextInt(MIN, MAX - count);
            if (even && (first & 1) == 1) {
                first++;
            }
            if (reserve(first, count)) {
                return first;
            }
        }
        throw new IllegalStateException("no block of " + count + " free UDP+TCP ports on 127.0.0.1 in "
                + MIN + ".." + MAX + " after " + ATTEMPTS + " attempts");
    }

    /** Gives back {@code count} ports from {@code first}, handed out before, once nothing of ours binds them. */
    public static void release(int first, int count) {
        for (int p = first; p < first + count; p++) {
            HANDED_OUT.remove(p);
        }
    }

    private static boolean reserve(int first, int count) {
        for (int p = first; p < first + count; p++) {
            if (HANDED_OUT.contains(p) || !isFree(p)) {
                return false;
            }
        }
        for (int p = first; p < first + count; p++) {
            if (!HANDED_OUT.add(p)) {
                // A parallel caller won the race for this port: give back what we took.
                for (int q = first; q < p; q++) {
                    HANDED_OUT.remove(q);
                }
                return false;
            }
        }
        return true;
    }

    /** True when both a UDP and a TCP socket can bind {@code port} on 127.0.0.1 right now. */
    public static boolean isFree(int port) {
        try (DatagramSocket udp = new DatagramSocket(null); ServerSocket tcp = new ServerSocket()) {
            udp.setReuseAddress(false);
            udp.bind(new InetSocketAddress(LOOPBACK, port));
            tcp.setReuseAddress(false);
            tcp.bind(new InetSocketAddress(LOOPBACK, port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
