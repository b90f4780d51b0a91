package io.tandem.backend.edge;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * A SIP request written by hand and sent over UDP from loopback: for what no well-behaved user agent sends (a
 * scanner's User-Agent, a request for someone else's domain) and for the edge's readiness probe.
 */
final class RawSip implements AutoCloseable {

    private final DatagramSocket socket;

    RawSip() throws IOException {
        socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
    }

    int localPort() {
        return socket.getLocalPort();
    }

    /** An OPTIONS for {@code requestUri}, with a User-Agent, from this socket; Call-ID {@code callId}. */
    String options(String requestUri, String userAgent, String callId) {
        return options(requestUri, userAgent, callId, "");
    }

    /** As {@link #options(String, String, String)}, with {@code extraHeaders} (each ending in CRLF) added. */
    String options(String requestUri, String userAgent, String callId, String extraHeaders) {
        return "OPTIONS " + requestUri + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + localPort() + ";branch=z9hG4bK" + UUID.randomUUID() + ";rport\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:probe@127.0.0.1>;tag=" + UUID.randomUUID().toString().substring(0, 8) + "\r\n"
                + "To: <" + requestUri + ">\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: 1 OPTIONS\r\n"
                + "User-Agent: " + userAgent + "\r\n"
                + extraHeaders
                + "Content-Length: 0\r\n\r\n";
    }

    void send(int port, String message) throws IOException {
        byte[] bytes = message.getBytes(StandardCharsets.US_ASCII);
        socket.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), port));
    }

    /** The next message this socket receives within {@code wait}, else empty. */
    Optional<String> receive(Duration wait) throws IOException {
        byte[] buffer = new byte[65_535];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        socket.setSoTimeout((int) Math.max(1, wait.toMillis()));
        try {
            socket.receive(packet);
        } catch (SocketTimeoutException e) {
            return Optional.empty();
        }
        return Optional.of(new String(packet.getData(), 0, packet.getLength(), StandardCharsets.US_ASCII));
    }

    /** Sends {@code message} and returns the first reply, or empty when none came within {@code wait}. */
    Optional<String> ask(int port, String message, Duration wait) throws IOException {
        send(port, message);
        return receive(wait);
    }

    @Override
    public void close() {
        socket.close();
    }
}
