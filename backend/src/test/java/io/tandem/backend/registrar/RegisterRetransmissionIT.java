package io.tandem.backend.registrar;

import static io.tandem.backend.TestNode.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.tandem.backend.SipMeters;
import io.tandem.backend.TestNode;
import io.tandem.backend.node.NodeMetrics;
import io.tandem.telephony.sip.SipMessages;
import io.tandem.telephony.sip.auth.DigestChallenge;
import io.tandem.telephony.sip.auth.DigestClient;
import io.tandem.telephony.testing.RedisServer;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * REGISTER over UDP is answered without a server transaction (as Kamailio's {@code sl_send_reply}); a real node and a
 * real Redis show that a retransmission still gets the very answer the first copy got (RFC 3261 §17.2.2) and changes
 * nothing, that a replayed nonce-count in a new request is still refused, and that registrations leave nothing in the
 * stack's transaction table. The phone is a bare UDP socket so that the test, not a client transaction, decides what
 * is retransmitted, byte for byte.
 */
class RegisterRetransmissionIT {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    private static TestNode node;
    private static SipMeters meters;

    @BeforeAll
    static void startNode() {
        node = TestNode.start("tandem.redis.uri=" + redis.uri(), "tandem.node.id=retransmission-it",
                "tandem.node.cluster-secret=retransmission-it-secret-0123456789");
        meters = new SipMeters(node);
    }

    @AfterAll
    static void stopNode() {
        node.close();
    }

    @Test
    void aRetransmittedRegisterGetsTheSameAnswersAndChangesNothing() throws Exception {
        try (UdpPhone phone = new UdpPhone("1001")) {
            String challengeRequest = phone.register(1, "z9hG4bK-" + SipMessages.newToken(), null);
            String challenge = phone.send(challengeRequest);
            assertThat(challenge).startsWith("SIP/2.0 401");
            // The retransmitted REGISTER: the same 401, the same nonce (a second nonce would be a stray response).
            assertThat(phone.send(challengeRequest)).isEqualTo(challenge);

            String authorization = new DigestClient().authorization(
                    DigestChallenge.parse(header(challenge, "WWW-Authenticate")), "REGISTER", phone.requestUri(),
                    "1001", PASSWORD);
            String registerRequest = phone.register(2, "z9hG4bK-" + SipMessages.newToken(), authorization);
            String ok = phone.send(registerRequest);
            assertThat(ok).startsWith("SIP/2.0 200");
            int registrations = node.bean(NodeMetrics.class).registrations();
            double okSent = meters.responses("2xx");
            double repeatedBefore = meters.retransmissions("repeated");

            // Same Call-ID, CSeq, branch and nc: the same 200 (Contact expiries and Date included), not a 401 for a
            // reused nonce-count nor a 500 for an out-of-order CSeq, and nothing counted or written twice.
            assertThat(phone.send(registerRequest)).isEqualTo(ok);
            assertThat(node.bean(Bindings.class).lookup("demo", "1001")).singleElement()
                    .satisfies(b -> assertThat(b.cseq()).isEqualTo(2));
            assertThat(node.bean(NodeMetrics.class).registrations()).isEqualTo(registrations);
            assertThat(meters.responses("2xx")).isEqualTo(okSent);
            assertThat(meters.retransmissions("repeated")).isEqualTo(repeatedBefore + 1);

            // A replay: the captured request under a new branch (a new request) with the nc already used.
            String replay = registerRequest.replaceFirst("branch=z9hG4bK-[^;\r]+", "branch=z9hG4bK-"
                    + SipMessages.newToken());
            String refused = phone.send(replay);
            assertThat(refused).startsWith("SIP/2.0 401");
            assertThat(header(refused, "WWW-Authenticate")).doesNotContain(
                    DigestChallenge.parse(header(challenge, "WWW-Authenticate")).nonce());
        }
    }

    @Test
    void registrationsOverUdpHoldNoServerTransaction() throws Exception {
        double before = meters.serverTransactions();
        for (String extension : List.of("1002", "1003", "1004", "1005", "1006")) {
            try (UdpPhone phone = new UdpPhone(extension)) {
                for (int refresh = 0; refresh < 4; refresh++) {
                    assertThat(phone.registerWithPassword()).startsWith("SIP/2.0 200");
                }
            }
        }
        // 20 registrations, 40 requests: with a transaction each, 40 would be held for 32 s (Timer J).
        assertThat(meters.serverTransactions()).isLessThanOrEqualTo(before);
        assertThat(node.bean(MeterRegistry.class).get("tandem.sip.stateless.answers").gauge().value())
                .isGreaterThanOrEqualTo(40);
    }

    /** The value of the first header {@code name} of a message's text. */
    private static String header(String message, String name) {
        for (String line : message.split("\r\n")) {
            if (line.regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
                return line.substring(name.length() + 1).trim();
            }
        }
        throw new AssertionError("no " + name + " in\n" + message);
    }

    /** A phone that writes its REGISTERs as text and sends each datagram as the test says. */
    private static final class UdpPhone implements AutoCloseable {
        private final DatagramSocket socket;
        private final String user;
        private final String callId = SipMessages.newToken() + "@retransmission-it";
        private final String tag = SipMessages.newToken();
        private long cseq;

        UdpPhone(String user) throws IOException {
            this.user = user;
            this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            this.socket.setSoTimeout(10_000);
        }

        String requestUri() {
            return "sip:127.0.0.1:" + node.sipPort();
        }

        String register(long cseq, String branch, String authorization) {
            int port = socket.getLocalPort();
            List<String> lines = new ArrayList<>(List.of(
                    "REGISTER " + requestUri() + " SIP/2.0",
                    "Via: SIP/2.0/UDP 127.0.0.1:" + port + ";branch=" + branch + ";rport",
                    "Max-Forwards: 70",
                    "From: <sip:" + user + "@127.0.0.1>;tag=" + tag,
                    "To: <sip:" + user + "@127.0.0.1>",
                    "Call-ID: " + callId,
                    "CSeq: " + cseq + " REGISTER",
                    "Contact: <sip:" + user + "@127.0.0.1:" + port + ">",
                    "Expires: 120"));
            if (authorization != null) {
                lines.add("Authorization: " + authorization);
            }
            lines.add("Content-Length: 0");
            return String.join("\r\n", lines) + "\r\n\r\n";
        }

        /** A full registration: challenge, then the authenticated REGISTER; the final answer. */
        String registerWithPassword() throws IOException {
            String challenge = send(register(++cseq, "z9hG4bK-" + SipMessages.newToken(), null));
            String authorization = new DigestClient().authorization(
                    DigestChallenge.parse(header(challenge, "WWW-Authenticate")), "REGISTER", requestUri(), user,
                    PASSWORD);
            return send(register(++cseq, "z9hG4bK-" + SipMessages.newToken(), authorization));
        }

        /** Sends {@code request} and returns the next response's text. */
        String send(String request) throws IOException {
            byte[] bytes = request.getBytes(StandardCharsets.UTF_8);
            socket.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), node.sipPort()));
            byte[] buffer = new byte[65_535];
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
            } catch (SocketTimeoutException e) {
                throw new AssertionError("no response within 10 s (node: " + meters.summary() + ") to\n" + request, e);
            }
            return new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
        }

        @Override
        public void close() {
            socket.close();
        }
    }
}
