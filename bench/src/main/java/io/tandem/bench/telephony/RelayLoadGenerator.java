package io.tandem.bench.telephony;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * The far ends of relayed calls, run as a child JVM (pinned to its own core by the bench)
 * so that the relay under test has a core to itself. Talks to the parent over stdin/stdout:
 *
 * <pre>
 *   args:   flood|paced calls seconds
 *   child:  PORTS a1 b1 a2 b2 ...        (its endpoint ports, A and B side of each call)
 *   parent: LEGS la1 lb1 la2 lb2 ...     (the relay's leg ports each endpoint sends to)
 *   child:  RESULT sentAB recvAB sentBA recvBA sendFailures elapsedNanos
 * </pre>
 *
 * {@code flood}: every A endpoint sends G.711-sized RTP to its relay leg as fast as it can,
 * nobody reads (throughput). {@code paced}: every endpoint sends 50 packets/s both ways like
 * a real call and every packet that comes back is counted (capacity, loss).
 */
public final class RelayLoadGenerator {
    private static final int PACKET = 12 + 160;
    private static final long TICK = TimeUnit.MILLISECONDS.toNanos(20);

    private RelayLoadGenerator() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.US_ASCII);
        String mode = args[0];
        int calls = Integer.parseInt(args[1]);
        double seconds = Double.parseDouble(args[2]);
        InetAddress lo = InetAddress.getLoopbackAddress();
        DatagramChannel[] a = new DatagramChannel[calls];
        DatagramChannel[] b = new DatagramChannel[calls];
        StringBuilder ports = new StringBuilder("PORTS");
        for (int i = 0; i < calls; i++) {
            a[i] = open(lo);
            b[i] = open(lo);
            ports.append(' ').append(port(a[i])).append(' ').append(port(b[i]));
        }
        out.println(ports);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        String legs = in.readLine();
        if (legs == null || !legs.startsWith("LEGS ")) {
            throw new IllegalStateException("expected LEGS line, got " + legs);
        }
        String[] f = legs.substring(5).trim().split(" ");
        InetSocketAddress[] legA = new InetSocketAddress[calls];
        InetSocketAddress[] legB = new InetSocketAddress[calls];
        for (int i = 0; i < calls; i++) {
            legA[i] = new InetSocketAddress(lo, Integer.parseInt(f[2 * i]));
            legB[i] = new InetSocketAddress(lo, Integer.parseInt(f[2 * i + 1]));
        }

        boolean paced = mode.equals("paced");
        Receiver receiver = paced ? new Receiver(a, b) : null;
        if (receiver != null) {
            receiver.thread.start();
        }
        long[] sent = new long[2];
        long failures = 0;
        ByteBuffer[] pa = new ByteBuffer[calls];
        ByteBuffer[] pb = new ByteBuffer[calls];
        for (int i = 0; i < calls; i++) {
            pa[i] = rtp(0x1000 + i);
            pb[i] = rtp(0x8000 + i);
        }
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        if (paced) {
            long deadline = start;
            while (deadline - end < 0) {
                for (int i = 0; i < calls; i++) {
                    failures += send(a[i], pa[i], legA[i], sent, 0);
                    failures += send(b[i], pb[i], legB[i], sent, 1);
                }
                deadline += TICK;
                long now;
                while ((now = System.nanoTime()) - deadline < 0) {
                    LockSupport.parkNanos(deadline - now);
                }
            }
        } else {
            while (System.nanoTime() - end < 0) {
                for (int r = 0; r < 64; r++) {
                    for (int i = 0; i < calls; i++) {
                        failures += send(a[i], pa[i], legA[i], sent, 0);
                    }
                }
            }
        }
        long elapsed = System.nanoTime() - start;
        long recvAB = 0;
        long recvBA = 0;
        if (receiver != null) {
            // let the last packets cross the relay: wait until nothing more arrives for 300 ms (5 s at most)
            long last = -1;
            long drainEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (System.nanoTime() - drainEnd < 0) {
                Thread.sleep(300);
                long now = receiver.recvAB + receiver.recvBA;
                if (now == last) {
                    break;
                }
                last = now;
            }
            receiver.stop.set(true);
            receiver.selector.wakeup();
            receiver.thread.join(5000);
            recvAB = receiver.recvAB;
            recvBA = receiver.recvBA;
        }
        out.println("RESULT " + sent[0] + " " + recvAB + " " + sent[1] + " " + recvBA + " " + failures + " " + elapsed);
    }

    private static DatagramChannel open(InetAddress lo) throws Exception {
        DatagramChannel ch = DatagramChannel.open();
        ch.setOption(StandardSocketOptions.SO_RCVBUF, 256 * 1024);
        ch.setOption(StandardSocketOptions.SO_SNDBUF, 256 * 1024);
        ch.bind(new InetSocketAddress(lo, 0));
        ch.configureBlocking(false);
        return ch;
    }

    private static int port(DatagramChannel ch) throws Exception {
        return ((InetSocketAddress) ch.getLocalAddress()).getPort();
    }

    /** A PCMU packet: V=2, PT 0, the given SSRC; sequence and timestamp advance per send. */
    private static ByteBuffer rtp(int ssrc) {
        byte[] p = new byte[PACKET];
        p[0] = (byte) 0x80;
        p[8] = (byte) (ssrc >>> 24);
        p[9] = (byte) (ssrc >>> 16);
        p[10] = (byte) (ssrc >>> 8);
        p[11] = (byte) ssrc;
        java.util.Arrays.fill(p, 12, PACKET, (byte) 0xFF); // μ-law silence
        return ByteBuffer.wrap(p);
    }

    /** @return 1 when the kernel refused the datagram, else 0 */
    private static int send(DatagramChannel ch, ByteBuffer packet, InetSocketAddress to, long[] sent, int dir)
            throws Exception {
        byte[] p = packet.array();
        int seq = (((p[2] & 0xFF) << 8) | (p[3] & 0xFF)) + 1;
        p[2] = (byte) (seq >>> 8);
        p[3] = (byte) seq;
        int ts = ((p[4] & 0xFF) << 24 | (p[5] & 0xFF) << 16 | (p[6] & 0xFF) << 8 | (p[7] & 0xFF)) + 160;
        p[4] = (byte) (ts >>> 24);
        p[5] = (byte) (ts >>> 16);
        p[6] = (byte) (ts >>> 8);
        p[7] = (byte) ts;
        packet.clear();
        if (ch.send(packet, to) > 0) {
            sent[dir]++;
            return 0;
        }
        return 1;
    }

    /** Counts what comes back: on B endpoints the A→B direction, on A endpoints B→A. */
    private static final class Receiver implements Runnable {
        final Selector selector;
        final Thread thread;
        final AtomicBoolean stop = new AtomicBoolean();
        volatile long recvAB;
        volatile long recvBA;

        Receiver(DatagramChannel[] a, DatagramChannel[] b) throws Exception {
            selector = Selector.open();
            for (DatagramChannel ch : a) {
                ch.register(selector, SelectionKey.OP_READ, Boolean.FALSE);
            }
            for (DatagramChannel ch : b) {
                ch.register(selector, SelectionKey.OP_READ, Boolean.TRUE);
            }
            thread = new Thread(this, "relay-load-receiver");
        }

        @Override
        public void run() {
            ByteBuffer buf = ByteBuffer.allocateDirect(2048);
            long ab = 0;
            long ba = 0;
            try {
                while (!stop.get()) {
                    selector.select(100);
                    var it = selector.selectedKeys().iterator();
                    while (it.hasNext()) {
                        SelectionKey k = it.next();
                        it.remove();
                        DatagramChannel ch = (DatagramChannel) k.channel();
                        boolean isB = (Boolean) k.attachment();
                        for (;;) {
                            buf.clear();
                            if (ch.receive(buf) == null) {
                                break;
                            }
                            if (isB) {
                                ab++;
                            } else {
                                ba++;
                            }
                        }
                    }
                    recvAB = ab;
                    recvBA = ba;
                }
            } catch (Exception e) {
                e.printStackTrace();
            }
            recvAB = ab;
            recvBA = ba;
        }
    }
}
