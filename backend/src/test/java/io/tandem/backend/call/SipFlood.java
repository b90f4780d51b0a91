package io.tandem.backend.call;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * New REGISTERs and INVITEs written by hand and sent over UDP as fast as one thread can, each with a Call-ID of its
 * own (a flood of new work, not retransmissions); a second thread reads the answers and counts them by status and
 * method, and keeps the Retry-After of the 503s.
 */
final class SipFlood implements AutoCloseable {

    private static final Pattern STATUS = Pattern.compile("^SIP/2\\.0 (\\d{3})");
    private static final Pattern CSEQ = Pattern.compile("(?mi)^CSeq:\\s*\\d+\\s+(\\w+)");
    private static final Pattern RETRY_AFTER = Pattern.compile("(?mi)^Retry-After:\\s*(\\d+)");

    private final DatagramSocket socket;
    private final int nodePort;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Map<String, AtomicLong> answers = new ConcurrentHashMap<>();
    private final Map<String, Boolean> retryAfters = new ConcurrentHashMap<>();
    private final AtomicLong sent = new AtomicLong();
    private final Thread sender;
    private final Thread receiver;

    SipFlood(int nodePort) throws SocketException {
        this.nodePort = nodePort;
        this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        socket.setReceiveBufferSize(4 << 20);
        sender = new Thread(this::send, "sip-flood-send");
        receiver = new Thread(this::receive, "sip-flood-receive");
        sender.setDaemon(true);
        receiver.setDaemon(true);
        receiver.start();
        sender.start();
    }

    /** Final answers seen with this status to requests of this method. */
    long answered(int status, String method) {
        AtomicLong count = answers.get(status + " " + method);
        return count == null ? 0 : count.get();
    }

    /** The Retry-After values the 503s carried ("none" for a 503 without one). */
    java.util.Set<String> retryAfters() {
        return retryAfters.keySet();
    }

    long sent() {
        return sent.get();
    }

    private void send() {
        int port = socket.getLocalPort();
        long n = 0;
        while (running.get()) {
            for (int burst = 0; burst < 50 && running.get(); burst++, n++) {
                String message = n % 2 == 0 ? register(port) : invite(port);
                byte[] bytes = message.getBytes(StandardCharsets.US_ASCII);
                try {
                    socket.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), nodePort));
                    sent.incrementAndGet();
                } catch (IOException e) {
                    if (running.get()) {
                        throw new IllegalStateException("flood send failed", e);
                    }
                }
            }
            // Pacing, not synchronisation: a burst far beyond one worker's pace, then room for the answers.
            LockSupport.parkNanos(1_000_000);
        }
    }

    private void receive() {
        byte[] buffer = new byte[65_535];
        while (running.get()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
            } catch (IOException e) {
                return; // closed
            }
            String message = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.US_ASCII);
            Matcher status = STATUS.matcher(message);
            Matcher cseq = CSEQ.matcher(message);
            if (!status.find() || !cseq.find() || status.group(1).startsWith("1")) {
                continue;
            }
            answers.computeIfAbsent(status.group(1) + " " + cseq.group(1), k -> new AtomicLong()).incrementAndGet();
            if ("503".equals(status.group(1))) {
                Matcher retryAfter = RETRY_AFTER.matcher(message);
                retryAfters.put(retryAfter.find() ? retryAfter.group(1) : "none", Boolean.TRUE);
            }
        }
    }

    private static String headers(String method, String requestUri, int port, String user) {
        return method + " " + requestUri + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + port + ";branch=z9hG4bK" + UUID.randomUUID().toString()
                        .replace("-", "") + ";rport\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:" + user + "@127.0.0.1>;tag=" + UUID.randomUUID().toString().substring(0, 8) + "\r\n"
                + "Call-ID: " + UUID.randomUUID() + "@flood\r\n"
                + "CSeq: 1 " + method + "\r\n"
                + "Contact: <sip:" + user + "@127.0.0.1:" + port + ">\r\n";
    }

    private String register(int port) {
        return headers("REGISTER", "sip:127.0.0.1:" + nodePort, port, "1009")
                + "To: <sip:1009@127.0.0.1>\r\n"
                + "Expires: 60\r\n"
                + "Content-Length: 0\r\n\r\n";
    }

    private String invite(int port) {
        String sdp = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                + "m=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
        return headers("INVITE", "sip:1010@127.0.0.1:" + nodePort, port, "1009")
                + "To: <sip:1010@127.0.0.1>\r\n"
                + "Content-Type: application/sdp\r\n"
                + "Content-Length: " + sdp.length() + "\r\n\r\n" + sdp;
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        sender.join();
        socket.close();
        receiver.join();
    }
}
