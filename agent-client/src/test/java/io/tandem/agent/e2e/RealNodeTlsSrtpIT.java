package io.tandem.agent.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.agent.audio.FileAudio;
import io.tandem.agent.engine.CallPhase;
import io.tandem.agent.engine.EngineKind;
import io.tandem.agent.engine.EngineSettings;
import io.tandem.agent.engine.PhoneCall;
import io.tandem.agent.engine.PhoneEngine;
import io.tandem.agent.engine.RegistrationStatus;
import io.tandem.agent.engine.SipSecurity;
import io.tandem.agent.engine.SipTransport;
import io.tandem.agent.engine.SrtpUse;
import io.tandem.agent.engine.TrustedCertificates;
import io.tandem.agent.session.AgentSession;
import io.tandem.agent.session.LoginRequest;
import io.tandem.agent.session.SessionListener;
import io.tandem.agent.testing.Engines;
import io.tandem.telephony.testing.LoopbackCapture;
import io.tandem.telephony.testing.LoopbackCapture.Datagram;
import io.tandem.telephony.testing.LoopbackCapture.PortRange;
import io.tandem.agent.testing.NodeCaller;
import io.tandem.agent.testing.NodeProcess;
import io.tandem.agent.testing.PhoneEvents;
import io.tandem.agent.testing.PhoneUi;
import io.tandem.agent.testing.TestWavs;
import io.tandem.protocol.AgentState;
import io.tandem.protocol.Offer;
import io.tandem.telephony.peers.FreePorts;
import io.tandem.telephony.testing.Await;
import io.tandem.telephony.testing.RedisServer;
import io.tandem.telephony.testing.TestCertificates;
import io.tandem.telephony.testing.ToneCount;
import io.tandem.telephony.ua.Call;
import io.tandem.telephony.ua.CallState;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Predicate;
import javafx.scene.control.ComboBox;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The phone over SIP/TLS (RFC 3261 §26) with SDES SRTP (RFC 4568) against a real node started with TLS and a
 * self-signed certificate, which the phone is told to trust with a PEM file, as an agent would in Settings. The
 * agent signs in through the node's agent API (the session the window and the headless phone run on) and registers
 * on the node's TLS port. With SRTP mandatory it calls a plain UDP phone through the node: tones both ways, and on
 * the wire its media leg carries no tone (encrypted) while the plain phone's leg plainly does; and it takes a queue
 * 7000 call from a plain caller, which the node (with {@code tls-require-srtp}) offers it as SRTP: tones both ways,
 * its leg encrypted on the wire. A phone that does not trust
 * the node's certificate is told so, naming TLS. And in the window: the agent sets TLS up in Settings, a bad port,
 * a file that is no certificate and SRTP without TLS are each named and nothing is saved, and the next sign-in
 * registers over TLS; and a new agent sets TLS up from the sign-in screen's connection settings, with no plain
 * sign-in before, and its first sign-in registers over TLS (both engines).
 */
class RealNodeTlsSrtpIT {
    private static final Duration AUDIO = Duration.ofSeconds(30);
    private static final Duration SLOW = Duration.ofSeconds(60);
    private static final int AGENT_TONE = 700;
    private static final int PLAIN_TONE = 1000;
    private static final int RTP_PORTS = 20;

    private static Path certificates;
    private static Path nodePem;
    private static Path strangerPem;
    private static int tlsPort;
    private static RedisServer redis;
    private static NodeProcess node;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        certificates = Files.createTempDirectory("tandem-phone-tls-");
        Path nodeStore = TestCertificates.selfSigned(certificates, "node");
        nodePem = pemOf(nodeStore, certificates.resolve("node.pem"));
        strangerPem = pemOf(TestCertificates.selfSigned(certificates, "stranger"),
                certificates.resolve("stranger.pem"));
        tlsPort = FreePorts.udpAndTcp();
        redis = RedisServer.started();
        node = NodeProcess.start("tls-n1", redis, "--tandem.sip.tls-port=" + tlsPort,
                "--tandem.sip.tls-key-store=" + nodeStore,
                "--tandem.sip.tls-key-store-password=" + TestCertificates.PASSWORD,
                // TLS phones never send or hear clear audio: plain offers over TLS are refused, and queue offers to
                // agents registered over TLS are SRTP.
                "--tandem.sip.tls-require-srtp=true");
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @ParameterizedTest
    @MethodSource("io.tandem.agent.testing.Engines#all")
    void anAgentOnTlsWithMandatorySrtpTalksWithAPlainPhoneAndItsMediaLegIsEncryptedOnTheWire(EngineKind kind)
            throws Exception {
        String agent = kind == EngineKind.JAVA ? "1001" : "1002";
        String plainExtension = kind == EngineKind.JAVA ? "1011" : "1012";
        Path recording = dir.resolve("agent-hears.wav");
        int rtp = FreePorts.alignedBlock(RTP_PORTS);
        try (Agent phone = Agent.signIn(kind, agent, SrtpUse.MANDATORY, nodePem, rtp,
                new FileAudio(TestWavs.tone(dir.resolve("agent.wav"), AGENT_TONE, 3), recording));
             NodeCaller plain = new NodeCaller(plainExtension, node, AGENT_TONE)) {
            RegistrationStatus registered = phone.awaitRegistered();
            assertThat(registered.registrar()).isEqualTo("sip:127.0.0.1:" + tlsPort + ";transport=tls");
            plain.speaking(PLAIN_TONE).answering();

            PortRange phoneLeg = new PortRange(rtp, rtp + RTP_PORTS - 1);
            PortRange plainLeg = new PortRange(plain.rtpPortMin(), plain.rtpPortMin() + RTP_PORTS - 1);
            List<Datagram> wire;
            try (LoopbackCapture capture = LoopbackCapture.start(dir, phoneLeg, plainLeg)) {
                PhoneCall call = phone.engine.dial(plainExtension);
                phone.awaitPhase(call, CallPhase.CONNECTED);
                plain.awaitState(CallState.CONNECTED);
                Await.until("the plain phone hears the TLS agent", AUDIO, () -> plain.ear.toneFrames() > 50);
                // Both tones on the plain leg, and 3 s of the node's audio (150 packets) sent to the agent: the
                // capture holds the call, and the agent has had the plain phone's tone for longer than its recording
                // is asked to hold (the ears count what the phones heard, not what the capture saw).
                Await.until("the capture holds both legs", AUDIO, () -> {
                    List<Datagram> soFar = soFar(capture);
                    return soFar.stream().filter(d -> phoneLeg.contains(d.destinationPort())).count() > 150
                            && leg(soFar, plainLeg).stream().filter(carries(PLAIN_TONE)).count() > 50
                            && leg(soFar, plainLeg).stream().filter(carries(AGENT_TONE)).count() > 50;
                });
                call.hangUp();
                phone.awaitPhase(call, CallPhase.ENDED);
                plain.awaitState(CallState.ENDED);
                wire = capture.stop();
            }
            List<Datagram> agentLeg = leg(wire, phoneLeg);
            assertThat(agentLeg).as("RTP between the TLS agent and the node").hasSizeGreaterThan(100);
            // The control: on the plain leg both tones are plainly there.
            assertThat(leg(wire, plainLeg).stream().filter(carries(AGENT_TONE)).count()).isGreaterThan(50);
            assertThat(agentLeg.stream().filter(carries(AGENT_TONE).or(carries(PLAIN_TONE))).count())
                    .as("packets between the TLS agent and the node whose payload is a tone (not encrypted)")
                    .isZero();
        }
        assertThat(ToneCount.inWav(recording, PLAIN_TONE)).as("frames of the plain phone's tone the agent heard")
                .isGreaterThan(50);
    }

    @ParameterizedTest
    @MethodSource("io.tandem.agent.testing.Engines#all")
    void anAgentOnTlsWithMandatorySrtpTakesAQueueCallFromAPlainCallerEncryptedOnItsLeg(EngineKind kind)
            throws Exception {
        String agent = kind == EngineKind.JAVA ? "1003" : "1004";
        String customerExtension = kind == EngineKind.JAVA ? "1013" : "1014";
        Path recording = dir.resolve("agent-hears.wav");
        int rtp = FreePorts.alignedBlock(RTP_PORTS);
        try (Agent phone = Agent.signIn(kind, agent, SrtpUse.MANDATORY, nodePem, rtp,
                new FileAudio(TestWavs.tone(dir.resolve("agent.wav"), AGENT_TONE, 3), recording));
             NodeCaller customer = new NodeCaller(customerExtension, node, AGENT_TONE)) {
            phone.awaitRegistered();
            phone.session.changeState(AgentState.AVAILABLE, "");

            PortRange agentLeg = new PortRange(rtp, rtp + RTP_PORTS - 1);
            PortRange customerLeg = new PortRange(customer.rtpPortMin(), customer.rtpPortMin() + RTP_PORTS - 1);
            List<Datagram> wire;
            try (LoopbackCapture capture = LoopbackCapture.start(dir, agentLeg, customerLeg)) {
                Call call = customer.dial(node, "7000", PLAIN_TONE);
                PhoneCall offered = PhoneEvents.next(phone.incoming, "the queue's offer rings the TLS agent");
                offered.answer();
                phone.awaitPhase(offered, CallPhase.CONNECTED);
                // Hold and resume at once: the agent's re-offers (RFC 3264 §8.4) are answered on its SRTP leg, with
                // the keys both sides then use (a new key of the phone's gets a new one of the node's, RFC 4568
                // §7.1.4). Nearly all the audio below flows after them, and must still decrypt both ways.
                offered.hold();
                assertThat(PhoneEvents.next(phone.holds, "the hold is answered")).isTrue();
                offered.resume();
                assertThat(PhoneEvents.next(phone.holds, "the resume is answered")).isFalse();
                long resumed = customer.ear.toneFrames();
                Await.until("the customer hears the agent through the node after resume", AUDIO,
                        () -> customer.ear.toneFrames() > resumed + 50);
                Await.until("the capture holds both legs", AUDIO, () -> {
                    List<Datagram> soFar = soFar(capture);
                    return soFar.stream().filter(d -> agentLeg.contains(d.destinationPort())).count() > 250
                            && leg(soFar, customerLeg).stream().filter(carries(AGENT_TONE)).count() > 50;
                });
                call.hangup();
                phone.awaitPhase(offered, CallPhase.ENDED);
                wire = capture.stop();
            }
            List<Datagram> encrypted = leg(wire, agentLeg);
            assertThat(encrypted).as("RTP between the TLS agent and the node").hasSizeGreaterThan(100);
            assertThat(leg(wire, customerLeg).stream().filter(carries(AGENT_TONE)).count())
                    .as("the control: the agent's tone on the customer's plain leg").isGreaterThan(50);
            assertThat(encrypted.stream().filter(carries(AGENT_TONE).or(carries(PLAIN_TONE))).count())
                    .as("packets between the TLS agent and the node whose payload is a tone (not encrypted)")
                    .isZero();
        }
        assertThat(ToneCount.inWav(recording, PLAIN_TONE))
                .as("frames of the customer's tone the agent heard (more than the moment before hold can hold)")
                .isGreaterThan(100);
    }

    @Test
    void aPhoneThatDoesNotTrustTheNodesCertificateIsToldSoNamingTls() throws Exception {
        Assumptions.assumeTrue(Engines.all().contains(EngineKind.PJSUA2), "this build has no pjsua2 engine");
        try (Agent phone = Agent.signIn(EngineKind.PJSUA2, "1005", SrtpUse.MANDATORY, strangerPem,
                FreePorts.alignedBlock(RTP_PORTS), FileAudio.silent())) {
            RegistrationStatus failed = phone.awaitPhase(RegistrationStatus.Phase.FAILED);
            assertThat(failed.problem()).startsWith("TLS to 127.0.0.1:" + tlsPort + " failed")
                    .contains("certificate is not trusted");
        }
    }

    @Test
    void theAgentSetsUpTlsInSettingsBadValuesAreNamedAndTheNextSignInRegistersOverTls() throws Exception {
        Path notPem = Files.writeString(dir.resolve("node.key"), "-----BEGIN PRIVATE KEY-----\nAAAA\n",
                StandardCharsets.US_ASCII);
        try (PhoneUi ui = PhoneUi.open(FileAudio.silent(), dir.resolve("config"))) {
            RealNodes.logIn(ui, node.url(), "1006", NodeProcess.PASSWORD);
            ui.awaitShowing("main-view");
            ui.awaitText("sip-status", "SIP registered · " + node.sipUri().substring("sip:".length()), SLOW);

            ui.click("open-settings");
            ui.awaitShowing("settings-transport");
            ui.awaitText("settings-connection-message", "SIP over UDP");
            select(ui, "settings-transport", "TLS");
            ui.type("settings-tls-port", "70000");
            ui.click("settings-save");
            ui.awaitText("settings-connection-message", "TLS port must be a number from 1 to 65535, not \"70000\"");
            assertThat(PhoneUi.fx(() -> ui.node("settings-tls-port").getStyleClass().contains("invalid"))).isTrue();

            ui.type("settings-tls-port", String.valueOf(tlsPort));
            ui.type("settings-trust", notPem.toString());
            select(ui, "settings-srtp", "Mandatory");
            ui.click("settings-save");
            ui.awaitText("settings-connection-message", "node.key is not a PEM certificate file");
            assertThat(PhoneUi.fx(() -> ui.node("settings-trust").getStyleClass().contains("invalid"))).isTrue();
            assertThat(PhoneUi.fx(() -> ui.node("settings-tls-port").getStyleClass().contains("invalid"))).isFalse();
            ui.screenshotOf("settings", "settings-connection-refused");
            assertThat(Files.readString(dir.resolve("config").resolve("phone.properties")))
                    .as("nothing of a refused connection is saved").contains("transport=udp");

            ui.type("settings-trust", nodePem.toString());
            select(ui, "settings-transport", "UDP");
            ui.click("settings-save");
            ui.awaitText("settings-connection-message", "SRTP needs the TLS transport");

            select(ui, "settings-transport", "TLS");
            ui.click("settings-save");
            ui.awaitText("settings-connection-message", "SIP over TLS to port " + tlsPort
                    + ", trusting node.pem, SRTP mandatory — applies from the next sign-in");
            ui.screenshotOf("settings", "settings-connection-tls");
            assertThat(Files.readString(dir.resolve("config").resolve("phone.properties")))
                    .contains("transport=tls").contains("tls-port=" + tlsPort).contains("srtp=mandatory");
            ui.click("settings-close");

            RealNodes.choose(ui, "Log out");
            ui.awaitShowing("login-button");
            RealNodes.logIn(ui, node.url(), "1006", NodeProcess.PASSWORD);
            ui.awaitShowing("main-view");
            ui.awaitText("sip-status", "SIP registered · 127.0.0.1:" + tlsPort + " (TLS)", SLOW);
            ui.screenshot("main-window-registered-over-tls");
        }
    }

    @ParameterizedTest
    @MethodSource("io.tandem.agent.testing.Engines#all")
    void aFreshProfileSetsUpTlsFromTheSignInScreenAndItsFirstSignInRegistersOverTls(EngineKind kind)
            throws Exception {
        String agent = kind == EngineKind.JAVA ? "1007" : "1008";
        String engine = kind.name().toLowerCase(Locale.ROOT);
        try (PhoneUi ui = PhoneUi.open(FileAudio.silent(), dir.resolve("config"), Engines.choice(kind))) {
            // A new agent: no phone.properties yet, and no sign-in before this one.
            ui.awaitShowing("login-connection-settings");
            ui.awaitText("login-connection", "SIP over UDP");
            ui.screenshot("sign-in-connection-entry-" + engine);
            ui.click("login-connection-settings");
            ui.awaitShowing("settings-transport");
            select(ui, "settings-transport", "TLS");
            ui.type("settings-tls-port", String.valueOf(tlsPort));
            ui.type("settings-trust", nodePem.toString());
            select(ui, "settings-srtp", "Mandatory");
            ui.click("settings-save");
            ui.awaitText("settings-connection-message", "SIP over TLS to port " + tlsPort
                    + ", trusting node.pem, SRTP mandatory — applies from the next sign-in");
            ui.screenshotOf("connection-settings", "sign-in-connection-settings-" + engine);
            ui.click("settings-close");
            ui.awaitText("login-connection", "SIP over TLS to port " + tlsPort + ", trusting node.pem, SRTP mandatory");
            ui.screenshot("sign-in-connection-tls-" + engine);

            RealNodes.logIn(ui, node.url(), agent, NodeProcess.PASSWORD);
            ui.awaitShowing("main-view");
            ui.awaitText("sip-status", "SIP registered · 127.0.0.1:" + tlsPort + " (TLS)", SLOW);
        }
    }

    @SuppressWarnings("unchecked")
    private static void select(PhoneUi ui, String id, String value) throws Exception {
        PhoneUi.fx(() -> {
            ((ComboBox<String>) ui.node(id)).setValue(value);
            return null;
        });
    }

    /** An agent signed in through the node's agent API, its phone registering over TLS. */
    private static final class Agent implements SessionListener, AutoCloseable {
        final BlockingQueue<RegistrationStatus> registrations = new LinkedBlockingQueue<>();
        final BlockingQueue<PhoneCall> incoming = new LinkedBlockingQueue<>();
        final BlockingQueue<String> phases = new LinkedBlockingQueue<>();
        final BlockingQueue<Boolean> holds = new LinkedBlockingQueue<>();
        final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        PhoneEngine engine;
        AgentSession session;

        static Agent signIn(EngineKind kind, String agentId, SrtpUse srtp, Path trusted, int rtp, FileAudio audio)
                throws Exception {
            Agent agent = new Agent();
            EngineSettings settings = EngineSettings.defaults().withLocalAddress(InetAddress.getLoopbackAddress())
                    .withRtpPorts(rtp, rtp + RTP_PORTS - 1).withTimeouts(Duration.ofSeconds(4), Duration.ofSeconds(3))
                    .withRegisterExpiry(Duration.ofSeconds(30))
                    .withSecurity(new SipSecurity(SipTransport.TLS, tlsPort, trusted, srtp));
            agent.engine = Engines.create(kind, settings, audio);
            agent.session = new AgentSession(agent.engine, agent.scheduler, Runnable::run, Clock.systemUTC(), agent);
            try {
                agent.session.open(new LoginRequest(node.url(), "demo", agentId,
                        NodeProcess.PASSWORD.toCharArray()));
            } catch (Exception | AssertionError e) {
                agent.close();
                throw e;
            }
            return agent;
        }

        RegistrationStatus awaitRegistered() throws InterruptedException {
            return awaitPhase(RegistrationStatus.Phase.REGISTERED);
        }

        RegistrationStatus awaitPhase(RegistrationStatus.Phase phase) throws InterruptedException {
            return Await.value("registration " + phase, SLOW, () -> {
                RegistrationStatus s = registrations.poll();
                return s != null && s.phase() == phase ? Optional.of(s) : Optional.empty();
            }, () -> "last: " + engine.registration());
        }

        void awaitPhase(PhoneCall call, CallPhase phase) throws InterruptedException {
            while (!PhoneEvents.next(phases, call.id() + " " + phase).equals(call.id() + " " + phase)) {
                // earlier phases of the same call pass by
            }
        }

        @Override
        public void onRegistration(RegistrationStatus status) {
            registrations.add(status);
        }

        @Override
        public void onIncomingCall(PhoneCall call, Offer offer) {
            incoming.add(call);
        }

        @Override
        public void onCallPhase(PhoneCall call, CallPhase phase) {
            phases.add(call.id() + " " + phase);
        }

        @Override
        public void onHold(PhoneCall call, boolean held) {
            holds.add(held);
        }

        @Override
        public void close() {
            if (session != null) {
                session.close();
            } else if (engine != null) {
                engine.close();
            }
            scheduler.shutdownNow();
        }
    }

    /** The certificate of the PKCS12 key store {@code store} as a PEM file: what an operator hands the agents. */
    private static Path pemOf(Path store, Path pem) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, TestCertificates.PASSWORD.toCharArray());
        }
        X509Certificate certificate = (X509Certificate) keys.getCertificate(keys.aliases().nextElement());
        Files.writeString(pem, TrustedCertificates.pem(certificate), StandardCharsets.US_ASCII);
        return pem;
    }

    private static List<Datagram> soFar(LoopbackCapture capture) {
        try {
            return capture.soFar();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The datagrams to or from {@code ports} (one party's RTP block: its leg to the node). */
    private static List<Datagram> leg(List<Datagram> wire, PortRange ports) {
        return wire.stream().filter(d -> ports.contains(d.sourcePort()) || ports.contains(d.destinationPort()))
                .toList();
    }

    /** True for an RTP packet whose payload, read as PCMU (RFC 3551), is mostly the tone {@code hz}. */
    private static Predicate<Datagram> carries(int hz) {
        return datagram -> datagram.carriesTone(hz);
    }
}
