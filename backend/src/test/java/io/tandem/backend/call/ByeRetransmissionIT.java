package io.tandem.backend.call;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.backend.SipMeters;
import io.tandem.backend.TestNode;
import io.tandem.backend.cdr.CallRecord;
import io.tandem.backend.cdr.CallRecords;
import io.tandem.telephony.sip.SipMessages;
import io.tandem.telephony.sip.auth.DigestChallenge;
import io.tandem.telephony.sip.auth.DigestClient;
import io.tandem.telephony.testing.Await;
import io.tandem.telephony.testing.RedisServer;
import io.tandem.telephony.ua.Call;
import io.tandem.telephony.ua.CallState;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A BYE over UDP is answered through its server transaction, which the node then releases at once instead of holding
 * it for Timer J (32 s, RFC 3261 §17.2.2); a real node shows that a retransmission of the BYE that arrives after that
 * still gets the very 200 the first copy got, and ends nothing twice. The callee is a bare UDP socket so that the
 * test, not a client transaction, decides what is retransmitted, byte for byte.
 */
class ByeRetransmissionIT {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    /** Less than Timer J: a BYE transaction held for it would still be in the table. */
    private static final Duration RELEASED = Duration.ofSeconds(25);
    private static TestNode node;
    private static SipMeters meters;

    @BeforeAll
    static void start() {
        node = Cluster.node(redis, "bye-retransmission");
        meters = new SipMeters(node);
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @Test
    void aByeRetransmittedAfterItsTransactionIsReleasedGetsTheSameAnswerAndEndsNothingTwice() throws Exception {
        Instant before = Instant.now();
        try (Phone caller = Phone.registered(node, "1001", 1000, 440);
             UdpCallee callee = new UdpCallee("1002")) {
            callee.register();
            Call call = caller.dial(node, "1002");
            String invite = callee.answerInvite();
            caller.awaitState(call, CallState.CONNECTED);

            String bye = callee.bye(invite);
            String ok = callee.send(bye);
            assertThat(ok).startsWith("SIP/2.0 200");
            caller.awaitState(call, CallState.ENDED);
            // Every server transaction of this call is gone well before Timer J would have let the BYE's go: the
            // caller's INVITEs linger 8 s at most (the RI's linger after a 2xx; Timer I after the 407's ACK).
            Await.until("the call's server transactions are released", RELEASED,
                    () -> meters.serverTransactions() == 0);
            double repeated = meters.retransmissions("repeated");
            double okSent = meters.responses("2xx");

            // The BYE again, byte for byte, as a callee that lost the 200 would send it (Timer E).
            assertThat(callee.send(bye)).isEqualTo(ok);
            assertThat(meters.retransmissions("repeated")).isEqualTo(repeated + 1);
            assertThat(meters.responses("2xx")).as("repeated, not answered again").isEqualTo(okSent);
        }
        Await.until("the call is recorded", Duration.ofSeconds(30), () -> !records(before).isEmpty());
        assertThat(records(before)).singleElement().satisfies(r -> {
            assertThat(r.endCause()).isEqualTo("normal");
            assertThat(r.hungUpBy()).isEqualTo("callee");
        });
    }

    private static List<CallRecord> records(Instant before) {
        return node.bean(CallRecords.class).ended("demo", before, Instant.now().plusSeconds(5)).stream()
                .filter(r -> r.to().equals("1002")).toList();
    }

    /** The value of the first header {@code name} of a message's text (or null). */
    private static String header(String message, String name) {
        for (String line : message.split("\r\n")) {
            if (line.regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
                return line.substring(name.length() + 1).trim();
            }
            if (line.isEmpty()) {
                break;
            }
        }
        return null;
    }

    /** Every header line {@code name} of a message's text, in order. */
    private static List<String> headers(String message, String name) {
        List<String> found = new ArrayList<>();
        for (String line : message.split("\r\n")) {
            if (line.isEmpty()) {
                break;
            }
            if (line.regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
                found.add(line);
            }
        }
        return found;
    }

    /** A callee written by hand on a UDP socket: registers with digest, answers one INVITE, sends its own BYE. */
    private static final class UdpCallee implements AutoCloseable {
        private final DatagramSocket socket;
        private final String user;
        private final String tag = SipMessages.newToken();

        UdpCallee(String user) throws IOException {
            this.user = user;
            this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            this.socket.setSoTimeout(10_000);
        }

        private String nodeUri() {
            return "sip:127.0.0.1:" + node.sipPort();
        }

        private String via() {
            return "Via: SIP/2.0/UDP 127.0.0.1:" + socket.getLocalPort() + ";branch=z9hG4bK-" + SipMessages.newToken()
                    + ";rport";
        }

        void register() throws IOException {
            String callId = SipMessages.newToken() + "@bye-it";
            String challenge = send(register(callId, 1, null));
            assertThat(challenge).startsWith("SIP/2.0 401");
            String authorization = new DigestClient().authorization(
                    DigestChallenge.parse(header(challenge, "WWW-Authenticate")), "REGISTER", nodeUri(), user,
                    TestNode.PASSWORD);
            assertThat(send(register(callId, 2, authorization))).startsWith("SIP/2.0 200");
        }

        private String register(String callId, long cseq, String authorization) {
            List<String> lines = new ArrayList<>(List.of("REGISTER " + nodeUri() + " SIP/2.0", via(),
                    "Max-Forwards: 70", "From: <sip:" + user + "@127.0.0.1>;tag=" + tag,
                    "To: <sip:" + user + "@127.0.0.1>", "Call-ID: " + callId, "CSeq: " + cseq + " REGISTER",
                    "Contact: <sip:" + user + "@127.0.0.1:" + socket.getLocalPort() + ">", "Expires: 120"));
            if (authorization != null) {
                lines.add("Authorization: " + authorization);
            }
            lines.add("Content-Length: 0");
            return String.join("\r\n", lines) + "\r\n\r\n";
        }

        /** Waits for the node's INVITE, answers it 200 with the offer's first codec, waits for the ACK. */
        String answerInvite() throws IOException {
            String invite = receive("INVITE ");
            String sdpOffer = invite.substring(invite.indexOf("\r\n\r\n") + 4);
            String media = sdpOffer.lines().filter(l -> l.startsWith("m=audio")).findFirst().orElseThrow();
            String payload = media.split(" ")[3];
            String sdp = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                    + "m=audio 40000 RTP/AVP " + payload + "\r\n" + sdpOffer.lines()
                    .filter(l -> l.startsWith("a=rtpmap:" + payload + " ")).findFirst().map(l -> l + "\r\n")
                    .orElse("");
            List<String> lines = new ArrayList<>();
            lines.add("SIP/2.0 200 OK");
            lines.addAll(headers(invite, "Via"));
            lines.add("From: " + header(invite, "From"));
            lines.add("To: " + header(invite, "To") + ";tag=" + tag);
            lines.add("Call-ID: " + header(invite, "Call-ID"));
            lines.add("CSeq: " + header(invite, "CSeq"));
            lines.add("Contact: <sip:" + user + "@127.0.0.1:" + socket.getLocalPort() + ">");
            lines.add("Content-Type: application/sdp");
            lines.add("Content-Length: " + sdp.getBytes(StandardCharsets.UTF_8).length);
            transmit(String.join("\r\n", lines) + "\r\n\r\n" + sdp);
            receive("ACK ");
            return invite;
        }

        /** The callee's BYE in the dialog {@code invite} made (RFC 3261 §12.2.1.1): to the node's Contact. */
        String bye(String invite) {
            String contact = header(invite, "Contact");
            String target = contact.substring(contact.indexOf('<') + 1, contact.indexOf('>'));
            return String.join("\r\n", "BYE " + target + " SIP/2.0", via(), "Max-Forwards: 70",
                    "From: " + header(invite, "To") + ";tag=" + tag, "To: " + header(invite, "From"),
                    "Call-ID: " + header(invite, "Call-ID"), "CSeq: 1 BYE", "Content-Length: 0") + "\r\n\r\n";
        }

        /** Sends {@code request}; the text of the first response to it (by its Via branch), provisional skipped. */
        String send(String request) throws IOException {
            String branch = request.substring(request.indexOf("branch=") + 7, request.indexOf(";rport"));
            transmit(request);
            while (true) {
                String message = receive("SIP/2.0 ");
                if (message.contains("branch=" + branch) && message.charAt(8) != '1') {
                    return message;
                }
            }
        }

        private void transmit(String message) throws IOException {
            byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
            socket.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), node.sipPort()));
        }

        /** The next message starting with {@code start}; others (retransmissions, other requests) are skipped. */
        private String receive(String start) throws IOException {
            byte[] buffer = new byte[65_535];
            while (true) {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                try {
                    socket.receive(packet);
                } catch (SocketTimeoutException e) {
                    throw new AssertionError("nothing starting '" + start + "' within 10 s", e);
                }
                String text = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
                if (text.startsWith(start)) {
                    return text;
                }
            }
        }

        @Override
        public void close() {
            socket.close();
        }
    }
}
