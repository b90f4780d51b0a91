package io.tandem.backend.queuecall;

import io.tandem.telephony.codec.G711;
import io.tandem.telephony.media.SineSource;
import io.tandem.telephony.rtp.RtpPacket;
import io.tandem.telephony.sip.auth.DigestChallenge;
import io.tandem.telephony.sip.auth.DigestClient;
import io.tandem.telephony.testing.ToneCount;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A caller written by hand over UDP, for what our user agent does not do: an INVITE without SDP (a late offer,
 * answered in the ACK), or a phone that vanishes — it dials, authenticates, ACKs the 200 and then sends nothing and
 * answers the node's in-dialog requests only when told. With {@link #speak} it sends a PCMU tone and {@link #ear}
 * counts the tone it hears.
 */
final class RawCaller implements AutoCloseable {

    private static final Pattern STATUS = Pattern.compile("^SIP/2\\.0 (\\d{3})");
    private static final Pattern REQUEST = Pattern.compile("^([A-Z]+) \\S+ SIP/2\\.0");
    private static final Pattern AUDIO_PORT = Pattern.compile("(?m)^m=audio (\\d+) ");
    private static final Pattern CONNECTION = Pattern.compile("(?m)^c=IN IP4 (\\S+)");

    private final DatagramSocket sip;
    private final DatagramSocket rtp;
    private final int nodePort;
    private final String user;
    private final String password;
    final String callId = UUID.randomUUID() + "@raw-caller";
    private final String fromTag = UUID.randomUUID().toString().substring(0, 8);
    private final AtomicBoolean running = new AtomicBoolean(true);
    /** Where the node's SDP (answer or offer) says to send RTP. */
    private volatile InetSocketAddress nodeMedia;
    /** What the caller hears; {@code null} until {@link #listening}. */
    private volatile ToneCount ear;
    private Thread speaker;
    private Thread listener;

    RawCaller(int nodePort, String user, String password) throws IOException {
        this.nodePort = nodePort;
        this.user = user;
        this.password = password;
        this.sip = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.rtp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    /** Counts {@code hz} in what the node sends this caller from now on. */
    RawCaller listening(double hz) {
        ear = new ToneCount(hz);
        listener = new Thread(this::listen, "raw-caller-ear");
        listener.setDaemon(true);
        listener.start();
        return this;
    }

    ToneCount ear() {
        return ear;
    }

    /**
     * Dials {@code number} with an SDP offer, answers the digest challenge and ACKs the 200: the call is up, and
     * silent.
     */
    void call(String number) throws IOException {
        call(number, false);
    }

    /**
     * Dials {@code number} with no SDP (RFC 3261 §13.2.1): the 200 must carry the node's offer (PCMU checked), and
     * the ACK answers it with PCMU and telephone-event.
     */
    void callWithLateOffer(String number) throws IOException {
        call(number, true);
    }

    private void call(String number, boolean late) throws IOException {
        String uri = "sip:" + number + "@127.0.0.1:" + nodePort;
        String branch = branch();
        send(invite(uri, branch, 1, null, late));
        String challenge = finalResponse(1, Duration.ofSeconds(30));
        int status = status(challenge);
        if (status != 401 && status != 407) {
            throw new AssertionError("expected a digest challenge, got\n" + challenge);
        }
        send(ack(uri, branch, 1, header(challenge, "To"), null));
        String name = status == 407 ? "Proxy-Authenticate" : "WWW-Authenticate";
        String authorization = new DigestClient().authorization(DigestChallenge.parse(header(challenge, name)),
                "INVITE", uri, user, password);
        send(invite(uri, branch(), 2, (status == 407 ? "Proxy-Authorization: " : "Authorization: ")
                + authorization, late));
        String ok = finalResponse(2, Duration.ofSeconds(30));
        if (status(ok) != 200) {
            throw new AssertionError("the queue did not answer:\n" + ok);
        }
        String sdp = ok.substring(ok.indexOf("\r\n\r\n") + 4);
        Matcher port = AUDIO_PORT.matcher(sdp);
        Matcher host = CONNECTION.matcher(sdp);
        if (!port.find() || !host.find()) {
            throw new AssertionError("no audio stream in the 200's SDP:\n" + ok);
        }
        if (late && !List.of(sdp.substring(port.start()).split("\r?\n", 2)[0].split(" ")).contains("0")) {
            throw new AssertionError("the node's offer has no PCMU:\n" + sdp);
        }
        nodeMedia = new InetSocketAddress(host.group(1), Integer.parseInt(port.group(1)));
        // RFC 3261 §13.2.2.4: the 2xx's ACK goes to its Contact, on a new branch; after a late offer it answers
        String contact = header(ok, "Contact").replaceAll("^.*<([^>]+)>.*$", "$1");
        send(ack(contact, branch(), 2, header(ok, "To"), late ? sdp() : null));
    }

    /** Sends a PCMU tone of {@code hz} to the node's media address, 20 ms a packet, until closed. */
    RawCaller speak(double hz) {
        speaker = new Thread(() -> {
            SineSource tone = new SineSource(hz, 8000);
            short[] frame = new short[160];
            byte[] payload = new byte[160];
            byte[] packet = new byte[RtpPacket.HEADER_LENGTH + 160];
            long ssrc = 0x5eed;
            long next = System.nanoTime();
            for (int seq = 0; running.get(); seq++) {
                tone.read(frame);
                for (int i = 0; i < frame.length; i++) {
                    payload[i] = G711.linearToUlaw(frame[i]);
                }
                int length = RtpPacket.write(packet, 0, seq == 0, 0, seq & 0xFFFF, seq * 160L, ssrc, payload, 0, 160);
                try {
                    rtp.send(new DatagramPacket(packet, length, nodeMedia));
                } catch (IOException e) {
                    return; // closed
                }
                next += 20_000_000L;
                // media pacing (20 ms a packet), not synchronisation
                LockSupport.parkNanos(Math.max(0, next - System.nanoTime()));
            }
        }, "raw-caller-mouth");
        speaker.setDaemon(true);
        speaker.start();
        return this;
    }

    private void listen() {
        byte[] buffer = new byte[2048];
        short[] frame = new short[160];
        while (running.get()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                rtp.receive(packet);
            } catch (IOException e) {
                return; // closed
            }
            int payloadType = buffer[1] & 0x7F;
            int samples = packet.getLength() - RtpPacket.HEADER_LENGTH;
            if (payloadType != 0 || samples != frame.length) {
                continue; // telephone-event, or not a 20 ms PCMU frame
            }
            for (int i = 0; i < samples; i++) {
                frame[i] = G711.ulawToLinear(buffer[RtpPacket.HEADER_LENGTH + i]);
            }
            ear.write(frame);
        }
    }

    /**
     * The next request the node sends within {@code wait} (its method), answered with {@code status} when it is
     * above 0; empty when none came.
     */
    Optional<String> nextRequest(Duration wait, int status) throws IOException {
        Instant until = Instant.now().plus(wait);
        while (Instant.now().isBefore(until)) {
            Optional<String> message = receive(Duration.between(Instant.now(), until));
            if (message.isEmpty()) {
                return Optional.empty();
            }
            Matcher request = REQUEST.matcher(message.get());
            if (!request.find()) {
                continue; // a retransmitted response
            }
            if (status > 0 && !"ACK".equals(request.group(1))) {
                send(response(message.get(), status));
            }
            return Optional.of(request.group(1));
        }
        return Optional.empty();
    }

    /**
     * The final response to the INVITE of CSeq {@code cseq}. A retransmission of an earlier INVITE's final response
     * is passed over: the node repeats its challenge until the ACK reaches it (RFC 3261 §17.2.1), which on a loaded
     * machine can be after the next INVITE went out.
     */
    private String finalResponse(int cseq, Duration wait) throws IOException {
        Instant until = Instant.now().plus(wait);
        while (Instant.now().isBefore(until)) {
            Optional<String> message = receive(Duration.between(Instant.now(), until));
            if (message.isPresent() && STATUS.matcher(message.get()).find() && status(message.get()) >= 200
                    && header(message.get(), "CSeq").startsWith(cseq + " ")) {
                return message.get();
            }
        }
        throw new AssertionError("no final response to CSeq " + cseq + " within " + wait);
    }

    private String sdp() {
        return "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                + "m=audio " + rtp.getLocalPort() + " RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\n"
                + "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\na=ptime:20\r\na=sendrecv\r\n";
    }

    private String invite(String uri, String branch, int cseq, String authorization, boolean late) {
        String body = late ? "" : sdp();
        return "INVITE " + uri + " SIP/2.0\r\n"
                + via(branch)
                + "Max-Forwards: 70\r\n"
                + "From: <sip:" + user + "@127.0.0.1>;tag=" + fromTag + "\r\n"
                + "To: <" + uri + ">\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: " + cseq + " INVITE\r\n"
                + "Contact: <sip:" + user + "@127.0.0.1:" + sip.getLocalPort() + ">\r\n"
                + (authorization == null ? "" : authorization + "\r\n")
                + (late ? "" : "Content-Type: application/sdp\r\n")
                + "Content-Length: " + body.length() + "\r\n\r\n" + body;
    }

    private String ack(String uri, String branch, int cseq, String to, String sdp) {
        String body = sdp == null ? "" : sdp;
        return "ACK " + uri + " SIP/2.0\r\n"
                + via(branch)
                + "Max-Forwards: 70\r\n"
                + "From: <sip:" + user + "@127.0.0.1>;tag=" + fromTag + "\r\n"
                + "To: " + to + "\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: " + cseq + " ACK\r\n"
                + (sdp == null ? "" : "Content-Type: application/sdp\r\n")
                + "Content-Length: " + body.length() + "\r\n\r\n" + body;
    }

    /** RFC 3261 §8.2.6.2: the request's Via, From, To, Call-ID and CSeq copied. */
    private static String response(String request, int status) {
        StringBuilder sb = new StringBuilder("SIP/2.0 ").append(status).append(" Answer\r\n");
        for (String line : request.split("\r\n")) {
            String lower = line.toLowerCase();
            if (lower.startsWith("via:") || lower.startsWith("from:") || lower.startsWith("to:")
                    || lower.startsWith("call-id:") || lower.startsWith("cseq:")) {
                sb.append(line).append("\r\n");
            }
        }
        return sb.append("Content-Length: 0\r\n\r\n").toString();
    }

    private String via(String branch) {
        return "Via: SIP/2.0/UDP 127.0.0.1:" + sip.getLocalPort() + ";branch=" + branch + ";rport\r\n";
    }

    private static String branch() {
        return "z9hG4bK" + UUID.randomUUID().toString().replace("-", "");
    }

    private static int status(String response) {
        Matcher m = STATUS.matcher(response);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    private static String header(String message, String name) {
        Matcher m = Pattern.compile("(?mi)^" + Pattern.quote(name) + ":\\s*(.*?)\\r?$").matcher(message);
        if (!m.find()) {
            throw new AssertionError("no " + name + " in\n" + message);
        }
        return m.group(1);
    }

    private void send(String message) throws IOException {
        byte[] bytes = message.getBytes(StandardCharsets.US_ASCII);
        sip.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), nodePort));
    }

    private Optional<String> receive(Duration wait) throws IOException {
        byte[] buffer = new byte[65_535];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        sip.setSoTimeout((int) Math.max(1, wait.toMillis()));
        try {
            sip.receive(packet);
        } catch (SocketTimeoutException e) {
            return Optional.empty();
        }
        return Optional.of(new String(packet.getData(), 0, packet.getLength(), StandardCharsets.US_ASCII));
    }

    @Override
    public void close() {
        running.set(false);
        sip.close();
        rtp.close();
    }
}
