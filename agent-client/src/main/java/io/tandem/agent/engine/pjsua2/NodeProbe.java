package io.tandem.agent.engine.pjsua2;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

/**
 * Asks a node with an out-of-dialog OPTIONS (RFC 3261 §11) whether it is up, the way Kamailio's dispatcher and the
 * Java engine's {@code RegistrarProbe} do. pjsua2 has no API for a request outside a dialog or registration, and
 * waiting for PJSIP's own REGISTER refresh to time out (64·T1 = 32 s) would leave an agent unreachable for half a
 * minute after a node dies, so the engine probes from Java on its own socket. Blocking: runs on the probe thread.
 */
final class NodeProbe {
    private final InetAddress local;
    private final Duration timeout;

    NodeProbe(InetAddress local, Duration timeout) {
        this.local = local;
        this.timeout = timeout;
    }

    /** The node's final status to OPTIONS, or 0 when it did not answer within the timeout. */
    int probe(String registrarUri) throws IOException {
        InetSocketAddress node = address(registrarUri);
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(local, 0))) {
            socket.setSoTimeout((int) timeout.toMillis());
            String callId = UUID.randomUUID() + "@tandem-probe";
            byte[] request = options(registrarUri, socket, callId).getBytes(StandardCharsets.UTF_8);
            socket.send(new DatagramPacket(request, request.length, node));
            byte[] buffer = new byte[4096];
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                try {
                    socket.receive(packet);
                } catch (SocketTimeoutException e) {
                    return 0;
                }
                String response = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
                int status = status(response);
                if (status >= 200 && SipHeaders.value(response, "Call-ID").equals(callId)) {
                    return status;
                }
            }
            return 0;
        }
    }

    /** Up unless silent, or answering that it cannot serve (408, 503). */
    static boolean alive(int status) {
        return status != 0 && status != 408 && status != 503;
    }

    /** The mandatory headers of a request (RFC 3261 §8.1.1); rport so a NAT between us still gets the answer back. */
    private static String options(String registrarUri, DatagramSocket socket, String callId) {
        String host = socket.getLocalAddress().getHostAddress() + ":" + socket.getLocalPort();
        String branch = "z9hG4bK" + UUID.randomUUID().toString().replace("-", "");
        String target = registrarUri.replaceFirst(";.*$", "");
        return "OPTIONS " + target + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP " + host + ";branch=" + branch + ";rport\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:probe@" + host + ">;tag=" + Long.toHexString(System.nanoTime()) + "\r\n"
                + "To: <" + target + ">\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: 1 OPTIONS\r\n"
                + "Accept: application/sdp\r\n"
                + "Content-Length: 0\r\n\r\n";
    }

    static int status(String response) {
        if (!response.startsWith("SIP/2.0 ") || response.length() < 11) {
            return 0;
        }
        try {
            return Integer.parseInt(response.substring(8, 11));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** {@code sip:host:port;params} → the socket address (5060 when no port). */
    static InetSocketAddress address(String registrarUri) {
        URI uri = URI.create(registrarUri.replaceFirst("^sips?:", "sip://").replaceFirst(";.*$", ""));
        int port = uri.getPort() < 0 ? 5060 : uri.getPort();
        return new InetSocketAddress(uri.getHost(), port);
    }
}
