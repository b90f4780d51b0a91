package io.tandem.bench.node;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** Free loopback ports, so the bench runs next to tests and other benches. */
public final class LoopbackPorts {
    private LoopbackPorts() {
    }

    /** A port free for both UDP and TCP (SIP listens on both with one number). */
    public static int udpAndTcp() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
                int port = udp.getLocalPort();
                try (ServerSocket tcp = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                    return port;
                } catch (IOException taken) {
                    // the TCP twin is in use: try another number
                }
            }
        }
        throw new IOException("no loopback port free for both UDP and TCP");
    }

    /**
     * A base port for SIPp's media ({@code -mp}): SIPp binds it for audio and the port two above for video, so four
     * UDP ports from an even base must be free. Taken below the ephemeral range (20000-29999), away from the relay
     * ports the bench gives a node (40000 and up), which a port the kernel handed out could collide with once the node
     * opens its relays (SIPp then fails at start: "Unable to bind video RTP socket").
     */
    public static int sippMedia() throws IOException {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 200; attempt++) {
            int base = 20_000 + 2 * random.nextInt(4_995);
            List<DatagramSocket> held = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    held.add(new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), base + i)));
                }
                return base;
            } catch (IOException taken) {
                // one of the four is in use: try another base
            } finally {
                for (DatagramSocket socket : held) {
                    socket.close();
                }
            }
        }
        throw new IOException("no four free loopback UDP ports for SIPp media in 20000-29999");
    }

    public static int tcp() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
