package io.tandem.backend.edge;

import static io.tandem.telephony.testing.RecordingListener.next;
import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.backend.TestNode;
import io.tandem.backend.acd.queues.QueueDefinition;
import io.tandem.backend.acd.queues.Queues;
import io.tandem.backend.acd.queues.Strategy;
import io.tandem.telephony.testing.LoopbackCapture;
import io.tandem.telephony.testing.LoopbackCapture.Datagram;
import io.tandem.telephony.testing.LoopbackCapture.PortRange;
import io.tandem.backend.registrar.Bindings;
import io.tandem.protocol.ApiPaths;
import io.tandem.telephony.peers.FreePorts;
import io.tandem.telephony.sip.TlsSettings;
import io.tandem.telephony.testing.Await;
import io.tandem.telephony.testing.RedisServer;
import io.tandem.telephony.testing.TestCertificates;
import io.tandem.telephony.testing.TestPhone;
import io.tandem.telephony.ua.Call;
import io.tandem.telephony.ua.CallState;
import io.tandem.telephony.ua.RegistrationState;
import io.tandem.telephony.ua.UserAgentConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Our own user agent over TLS with SDES SRTP (RFC 4568) through the edge, in front of two nodes: it registers on the
 * edge's TLS port trusting the edge's self-signed certificate, a plain UDP phone registers through the edge and its
 * REGISTER lands on the other node, and they call each other both ways. rtpengine turns the TLS phone's SRTP into
 * plain RTP/AVP for the nodes' relays: tones both ways, and a capture of rtpengine's ports finds no tone between the
 * TLS phone and rtpengine (encrypted) while the same tone is plainly there between rtpengine and the nodes (the
 * control that shows the capture would have seen it). A TLS phone calling queue 7000 through the edge talks with an
 * agent registered through the edge.
 */
class EdgeTlsSrtpIT {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    private static final String SECRET = "edge-tls-srtp-cluster-secret-0123456789";
    private static final int TLS_TONE = 1000;
    private static final int PLAIN_TONE = 440;
    private static final int NODE_RTP_PORTS = 40;
    private static final int PHONE_RTP_PORTS = 20;
    /** Frames of tone (20 ms each) that prove audio crosses: a second of it. */
    private static final long HEARD = 50;
    private static final Duration AUDIO = Duration.ofSeconds(30);

    private static Path dir;
    private static Path edgeTrust;
    private static Path phoneKeys;
    private static int n1Rtp;
    private static int n2Rtp;
    private static TestNode n1;
    private static TestNode n2;
    private static EdgeProcess edge;

    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("tandem-edge-tls-srtp-");
        phoneKeys = TestCertificates.selfSigned(dir, "phone");
        n1Rtp = FreePorts.alignedBlock(NODE_RTP_PORTS);
        n2Rtp = FreePorts.alignedBlock(NODE_RTP_PORTS);
        n1 = node("edge-tls-n1", n1Rtp);
        n2 = node("edge-tls-n2", n2Rtp);
        edge = EdgeProcess.start(List.of(n1.sipPort(), n2.sipPort()), true);
        edgeTrust = trustStore(edge.certificate());
    }

    @AfterAll
    static void stop() {
        if (edge != null) {
            edge.close();
        }
        for (TestNode node : new TestNode[] {n1, n2}) {
            if (node != null) {
                node.close();
            }
        }
        FreePorts.release(n1Rtp, NODE_RTP_PORTS);
        FreePorts.release(n2Rtp, NODE_RTP_PORTS);
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private <T extends AutoCloseable> T opened(T closeable) {
        open.add(closeable);
        return closeable;
    }

    private static TestNode node(String id, int rtp) {
        return TestNode.start("tandem.redis.uri=" + redis.uri(), "tandem.node.id=" + id,
                "tandem.node.cluster-secret=" + SECRET, "tandem.sip.rtp-port-min=" + rtp,
                "tandem.sip.rtp-port-max=" + (rtp + NODE_RTP_PORTS - 1),
                // Every phone's REGISTER comes from the edge's address: one source for the flood guard.
                "tandem.registrar.flood-threshold=100000");
    }

    /** A PKCS12 trust store holding exactly the edge's certificate (PEM), as a phone's installer would make it. */
    private static Path trustStore(Path pem) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        try (InputStream in = Files.newInputStream(pem)) {
            store.setCertificateEntry("edge", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        Path file = dir.resolve("edge-trust.p12");
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, TestCertificates.PASSWORD.toCharArray());
        }
        return file;
    }

    /** Our UA registered on the edge's TLS port (RFC 3261 §26.2), offering and accepting SDES SRTP only. */
    private TestPhone tlsPhone(String extension, double speaks, double hears) throws Exception {
        UserAgentConfig config = UserAgentConfig.of(extension, EdgeProcess.ADDRESS).withPassword(TestNode.PASSWORD)
                .withRegistrars(List.of(tlsUri(""))).withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(30))
                .withTls(TlsSettings.client(edgeTrust, TestCertificates.PASSWORD, phoneKeys,
                        TestCertificates.PASSWORD))
                .withSrtp(true);
        TestPhone phone = opened(TestPhone.start(config, speaks, hears));
        phone.awaitRegistration(RegistrationState.REGISTERED);
        return phone;
    }

    /** Our UA registered through the edge's plain SIP port over UDP, plain RTP. */
    private TestPhone plainPhone(String extension, double speaks, double hears) throws Exception {
        UserAgentConfig config = UserAgentConfig.of(extension, EdgeProcess.ADDRESS).withPassword(TestNode.PASSWORD)
                .withRegistrars(List.of(edge.uri())).withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(30));
        TestPhone phone = opened(TestPhone.start(config, speaks, hears));
        phone.awaitRegistration(RegistrationState.REGISTERED);
        return phone;
    }

    /**
     * A plain phone whose REGISTER the edge gave to the node other than {@code notOn}. The edge picks nodes round-robin
     * and a registration is two requests (the challenged one, then the one with credentials), so a phone registering
     * after another lands where it did; one request routed to a node in between (an OPTIONS for a user) moves the
     * rotation on by one.
     */
    private TestPhone plainPhoneOnAnotherNode(String notOn, double speaks, double hears) throws Exception {
        for (int attempt = 0; attempt < 4; attempt++) {
            try (RawSip sip = new RawSip()) {
                String probe = sip.options("sip:9999@" + EdgeProcess.ADDRESS + ":" + edge.port(), "Tandem test",
                        "rotate-" + UUID.randomUUID());
                assertThat(sip.ask(edge.port(), probe, EdgePhone.WAIT)).as("a node's answer to the OPTIONS")
                        .isPresent();
            }
            String extension = Integer.toString(1002 + 10 * attempt);
            TestPhone phone = plainPhone(extension, speaks, hears);
            if (!bindingNode(extension).equals(notOn)) {
                return phone;
            }
        }
        throw new AssertionError("four plain phones in a row registered on " + notOn);
    }

    private static String bindingNode(String extension) {
        Bindings bindings = n1.bean(Bindings.class);
        Await.until(extension + " has a binding", EdgePhone.WAIT,
                () -> !bindings.lookup("demo", extension).isEmpty());
        return bindings.lookup("demo", extension).get(0).node();
    }

    private static String tlsUri(String extension) {
        return "sip:" + (extension.isEmpty() ? "" : extension + "@") + EdgeProcess.ADDRESS + ":" + edge.tlsPort()
                + ";transport=tls";
    }

    private static PortRange phonePorts(TestPhone phone) {
        return new PortRange(phone.rtpPortMin(), phone.rtpPortMin() + PHONE_RTP_PORTS - 1);
    }

    private static PortRange relayPorts() {
        return new PortRange(edge.rtpengine().mediaPortMin(), edge.rtpengine().mediaPortMax());
    }

    private static boolean nodeSide(Datagram d) {
        PortRange relay = relayPorts();
        return d.between(new PortRange(n1Rtp, n1Rtp + NODE_RTP_PORTS - 1), relay)
                || d.between(new PortRange(n2Rtp, n2Rtp + NODE_RTP_PORTS - 1), relay);
    }

    @Test
    void aTlsSrtpPhoneAndAPlainPhoneOnTheOtherNodeCallEachOtherBothWaysAndTheInternetLegIsEncrypted()
            throws Exception {
        TestPhone secure = tlsPhone("1001", TLS_TONE, PLAIN_TONE);
        String secureNode = bindingNode("1001");
        TestPhone plain = plainPhoneOnAnotherNode(secureNode, PLAIN_TONE, TLS_TONE);
        // RFC 3327: the TLS phone's binding names the edge in its Path, with the TLS connection it came on, so
        // every node reaches it through the edge and the edge over that connection.
        assertThat(n1.bean(Bindings.class).lookup("demo", "1001").get(0).path()).as("1001's path")
                .singleElement().asString().contains(EdgeProcess.ADDRESS + ":" + edge.port()).containsIgnoringCase("tls");

        LoopbackCapture capture = opened(LoopbackCapture.start(dir, relayPorts()));

        // The TLS phone calls the plain one: its SRTP offer is answered with SRTP by rtpengine.
        Call out = secure.dial(tlsUri(plain.ua.config().user()));
        Call in = next(plain.incoming, "the plain phone rings for the TLS phone");
        assertThat(in.inviteHeader("Record-Route")).as("Record-Route of the INVITE the plain phone rang with")
                .contains(EdgeProcess.ADDRESS + ":" + edge.port());
        in.answer();
        secure.awaitState(out, CallState.CONNECTED);
        assertThat(out.srtp()).as("rtpengine answered the TLS phone's SRTP offer with SRTP").isTrue();
        talk(secure, plain, capture);
        out.hangup();
        plain.awaitState(in, CallState.ENDED);

        // The plain phone calls the TLS phone: the node's plain offer reaches it over TLS as SRTP (rtpengine).
        Call back = plain.dial("sip:1001@" + EdgeProcess.ADDRESS + ":" + edge.port());
        Call ringing = next(secure.incoming, "the TLS phone rings for the plain phone");
        assertThat(ringing.inviteHeader("Record-Route")).as("Record-Route of the INVITE the TLS phone rang with")
                .contains(EdgeProcess.ADDRESS + ":" + edge.tlsPort());
        ringing.answer();
        plain.awaitState(back, CallState.CONNECTED);
        assertThat(ringing.srtp()).as("the offer that reached the TLS phone was SRTP").isTrue();
        talk(secure, plain, capture);
        ringing.hangup();
        plain.awaitState(back, CallState.ENDED);

        List<Datagram> wire = capture.stop();
        List<Datagram> internet = wire.stream().filter(d -> d.between(phonePorts(secure), relayPorts())).toList();
        List<Datagram> plainLeg = wire.stream().filter(d -> d.between(phonePorts(plain), relayPorts())).toList();
        List<Datagram> inside = wire.stream().filter(EdgeTlsSrtpIT::nodeSide).toList();
        assertThat(internet).as("RTP between the TLS phone and rtpengine").hasSizeGreaterThan((int) (4 * HEARD));
        // The controls: the plain phone's leg and the nodes' side of rtpengine carry both tones in clear.
        assertThat(plainLeg.stream().filter(d -> d.carriesTone(TLS_TONE)).count())
                .as("the TLS phone's tone in clear between the plain phone and rtpengine").isGreaterThan(HEARD);
        assertThat(inside.stream().filter(d -> d.carriesTone(TLS_TONE)).count())
                .as("plain RTP carrying the TLS phone's tone between rtpengine and the nodes").isGreaterThan(HEARD);
        assertThat(inside.stream().filter(d -> d.carriesTone(PLAIN_TONE)).count())
                .as("plain RTP carrying the plain phone's tone between rtpengine and the nodes").isGreaterThan(HEARD);
        assertThat(internet.stream().filter(d -> d.carriesTone(TLS_TONE) || d.carriesTone(PLAIN_TONE)).count())
                .as("packets between the TLS phone and rtpengine whose payload is a tone (not encrypted)").isZero();
    }

    /**
     * Both phones hear the other's tone, and the capture holds the call's encrypted leg and the TLS phone's tone in
     * clear on the nodes' side (tcpdump writes as packets come, but may lag the phones' ears).
     */
    private static void talk(TestPhone secure, TestPhone other, LoopbackCapture capture) {
        long secureBefore = secure.ear.toneFrames();
        long otherBefore = other.ear.toneFrames();
        Await.until("both phones hear each other through rtpengine and a node", AUDIO,
                () -> secure.ear.toneFrames() - secureBefore >= HEARD && other.ear.toneFrames() - otherBefore >= HEARD,
                () -> "TLS phone heard " + (secure.ear.toneFrames() - secureBefore) + ", the other "
                        + (other.ear.toneFrames() - otherBefore) + "\n" + edge.logTail());
        long encryptedBefore = captured(capture, secure, false);
        long clearBefore = captured(capture, secure, true);
        Await.until("the capture holds this call's legs", AUDIO,
                () -> captured(capture, secure, false) >= encryptedBefore + 2 * HEARD
                        && captured(capture, secure, true) >= clearBefore + HEARD);
    }

    /** Packets so far on the TLS phone's leg ({@code !nodeSide}), or carrying its tone on the nodes' side. */
    private static long captured(LoopbackCapture capture, TestPhone secure, boolean nodeSide) {
        try {
            return capture.soFar().stream().filter(nodeSide ? d -> nodeSide(d) && d.carriesTone(TLS_TONE)
                    : d -> d.between(phonePorts(secure), relayPorts())).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aTlsSrtpCallerOfQueue7000ThroughTheEdgeTalksWithAnAgentRegisteredThroughTheEdge() throws Exception {
        n1.bean(Queues.class).save("demo", new QueueDefinition("7000", "q7000", Strategy.LONGEST_IDLE, 0, 0, true,
                false, 15, 1, 0, 3, 20, 30, List.of(QueueDefinition.Member.of("1007")),
                QueueDefinition.Announcements.DEFAULT, "default", "", QueueDefinition.Destination.NONE,
                QueueDefinition.Destination.NONE), false);
        TestPhone agent = plainPhone("1007", PLAIN_TONE, TLS_TONE);
        agent.answering();
        available(n2, "1007");
        TestPhone caller = tlsPhone("1006", TLS_TONE, PLAIN_TONE);

        Call call = caller.dial(tlsUri("7000"));
        caller.awaitState(call, CallState.CONNECTED);
        assertThat(call.srtp()).as("the queue's answer reached the TLS caller as SRTP").isTrue();
        Call offered = next(agent.incoming, "the agent is offered the queue call");
        agent.awaitState(offered, CallState.CONNECTED);
        Await.until("the agent hears the queue caller", AUDIO, () -> agent.ear.toneFrames() >= HEARD,
                edge::logTail);
        long before = caller.ear.toneFrames();
        Await.until("the queue caller hears the agent", AUDIO, () -> caller.ear.toneFrames() >= before + HEARD,
                edge::logTail);
        call.hangup();
        agent.awaitState(offered, CallState.ENDED);
    }

    /** Logs {@code agent} in through the agent API of {@code node} and makes it available for queue offers. */
    private static void available(TestNode node, String agent) {
        HttpResponse<String> login = node.api().post(ApiPaths.AGENT_LOGIN, agent + "@demo", TestNode.PASSWORD, "");
        assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
        HttpResponse<String> state = node.api().put(ApiPaths.AGENT_STATE, agent + "@demo", TestNode.PASSWORD,
                "{\"state\":\"available\"}");
        assertThat(state.statusCode()).as(state.body()).isEqualTo(200);
    }
}
