package io.tandem.backend.call;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An INVITE written by hand and sent over UDP, as an attacker (or a misconfigured node) would; reads the answer. */
final class RawInvite implements AutoCloseable {

    /** The top Via's branch parameter (RFC 3261 §8.1.1.7), in a request or in the answer that copies it. */
    private static final Pattern BRANCH = Pattern.compile("(?im)^(?:Via|v)[ \\t]*:[^\\r\\n]*?;branch=([^;\\s,]+)");

    private final DatagramSocket socket;
    private final int nodePort;

    RawInvite(int nodePort) throws IOException {
        this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.socket.setSoTimeout(5000);
        this.nodePort = nodePort;
    }

    /** An INVITE from {@code from} to {@code to} with the extra header lines, and a PCMU offer. */
    String invite(String from, String to, String... extraHeaders) {
        int port = socket.getLocalPort();
        String sdp = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                + "m=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
        StringBuilder sb = new StringBuilder();
        sb.append("INVITE sip:").append(to).append("@127.0.0.1:").append(nodePort).append(" SIP/2.0\r\n");
        sb.append("Via: SIP/2.0/UDP 127.0.0.1:").append(port).append(";branch=z9hG4bK")
                .append(UUID.randomUUID().toString().replace("-", "")).append(";rport\r\n");
        sb.append("Max-Forwards: 70\r\n");
        sb.append("From: <sip:").append(from).append("@127.0.0.1>;tag=").append(UUID.randomUUID().toString(), 0, 8)
                .append("\r\n");
        sb.append("To: <sip:").append(to).append("@127.0.0.1>\r\n");
        sb.append("Call-ID: ").append(UUID.randomUUID()).append("@raw\r\n");
        sb.append("CSeq: 1 INVITE\r\n");
        sb.append("Contact: <sip:").append(from).append("@127.0.0.1:").append(port).append(">\r\n");
        for (String header : extraHeaders) {
            sb.append(header).append("\r\n");
        }
        sb.append("Content-Type: application/sdp\r\n");
        sb.append("Content-Length: ").append(sdp.getBytes(StandardCharsets.UTF_8).length).append("\r\n\r\n");
        sb.append(sdp);
        return sb.toString();
    }

    /**
     * Sends the request and returns its first final status (provisional answers skipped). Only an answer to this
     * request counts, by its Via branch (RFC 3261 §17.1.3): this socket sends no ACK, so the node retransmits an
     * earlier INVITE's non-2xx final answer (Timer G, §17.2.1), and that must not be read as this one's.
     */
    int send(String request) throws IOException {
        List<Integer> statuses = statuses(request);
        return statuses.get(statuses.size() - 1);
    }

    /** Sends the request and returns every status answered to it, in order, up to and with the first final one. */
    List<Integer> statuses(String request) throws IOException {
        List<Integer> statuses = new ArrayList<>();
        Matcher sent = BRANCH.matcher(request);
        if (!sent.find()) {
            throw new IllegalArgumentException("the request has no Via branch");
        }
        String branch = sent.group(1);
        byte[] bytes = request.getBytes(StandardCharsets.UTF_8);
        socket.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), nodePort));
        byte[] buffer = new byte[8192];
        while (true) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
            } catch (SocketTimeoutException e) {
                throw new AssertionError("no final answer to the INVITE within 5 s");
            }
            String text = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
            Matcher answered = BRANCH.matcher(text);
            if (!answered.find() || !answered.group(1).equals(branch)) {
                continue; // an earlier request's answer, retransmitted
            }
            int status = Integer.parseInt(text.substring(8, 11));
            statuses.add(status);
            if (status >= 200) {
                return statuses;
            }
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
