package io.tandem.backend.call;

import static io.tandem.backend.call.Phone.next;
import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.micrometer.core.instrument.MeterRegistry;
import io.tandem.backend.TestNode;
import io.tandem.backend.acd.queues.QueueDefinition;
import io.tandem.backend.acd.queues.Queues;
import io.tandem.backend.acd.queues.Strategy;
import io.tandem.telephony.testing.LoopbackCapture;
import io.tandem.telephony.testing.LoopbackCapture.Datagram;
import io.tandem.telephony.testing.LoopbackCapture.PortRange;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.Redis;
import io.tandem.protocol.ApiPaths;
import io.tandem.protocol.callback.JoinToken;
import io.tandem.protocol.callback.RoomEvent;
import io.tandem.telephony.codec.G711;
import io.tandem.telephony.media.Goertzel;
import io.tandem.telephony.media.MediaDirection;
import io.tandem.telephony.peers.FreePorts;
import io.tandem.telephony.testing.Await;
import io.tandem.telephony.testing.RedisServer;
import io.tandem.telephony.testing.TestCertificates;
import io.tandem.telephony.ua.Call;
import io.tandem.telephony.ua.CallState;
import io.tandem.telephony.ua.RegistrationState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A single node without the edge speaking SIP over TLS (RFC 3261 §26) and SDES-keyed SRTP (RFC 4568) itself: a TLS
 * phone with SRTP and a plain UDP phone hear each other through the node's relay, the TLS phone's media is encrypted
 * on the wire, forged SRTP is refused and counted, and a phone that does not trust the node's certificate cannot
 * register over TLS. A TLS+SRTP caller of a queue is answered with SRTP by the queue and talks with a plain agent.
 */
class NodeTlsSrtpIT {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    private static final Duration AUDIO = Duration.ofSeconds(20);
    private static final int TLS_TONE = 1000;
    private static final int PLAIN_TONE = 440;
    /** What a transferor says: neither tone, so nothing it says counts as the parties hearing each other. */
    private static final int TRANSFEROR_TONE = 600;
    private static final int NODE_RTP_PORTS = 40;
    private static Path dir;
    private static Path nodeCert;
    private static Path phoneCert;
    private static int tlsPort;
    private static int nodeRtp;
    private static TestNode node;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("tandem-node-tls-");
        nodeCert = TestCertificates.selfSigned(dir, "node");
        phoneCert = TestCertificates.selfSigned(dir, "phone");
        tlsPort = FreePorts.udpAndTcp();
        nodeRtp = FreePorts.alignedBlock(NODE_RTP_PORTS);
        node = TestNode.start("tandem.redis.uri=" + redis.uri(), "tandem.node.id=tls",
                "tandem.node.cluster-secret=" + Cluster.SECRET, "tandem.registrar.flood-threshold=1000",
                "tandem.sip.rtp-port-min=" + nodeRtp, "tandem.sip.rtp-port-max=" + (nodeRtp + NODE_RTP_PORTS - 1),
                "tandem.sip.tls-port=" + tlsPort, "tandem.sip.tls-key-store=" + nodeCert,
                // The demo seeds 1001-1020; the transfer cases use a few more.
                "tandem.demo.last-extension=1030",
                // No trust store: the node trusts no phone's certificate, so it can reach a TLS phone only over the
                // connection the phone opened (RFC 5923); a new connection to the phone's Contact would fail.
                "tandem.sip.tls-key-store-password=" + TestCertificates.PASSWORD);
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static String tlsRegistrar() {
        return "sip:127.0.0.1:" + tlsPort + ";transport=tls";
    }

    private static Phone tlsPhone(String extension, boolean srtp, double speaks, double hears) throws Exception {
        Phone phone = Phone.tls(extension, List.of(tlsRegistrar()), phoneCert, nodeCert, srtp, speaks, hears);
        phone.awaitRegistration(RegistrationState.REGISTERED);
        return phone;
    }

    @Test
    void aTlsSrtpPhoneAndAPlainPhoneHearEachOtherAndTheTlsLegIsEncryptedOnTheWire() throws Exception {
        try (Phone secure = tlsPhone("1001", true, TLS_TONE, PLAIN_TONE);
             Phone plain = Phone.registered(node, "1002", PLAIN_TONE, TLS_TONE).answering()) {
            LoopbackCapture capture = LoopbackCapture.start(dir, new PortRange(nodeRtp, nodeRtp + NODE_RTP_PORTS - 1));
            try {
                Call call = secure.dial("sip:1002@127.0.0.1:" + tlsPort + ";transport=tls");
                secure.awaitState(call, CallState.CONNECTED);
                assertThat(call.srtp()).as("the node answered the SRTP offer with its own key").isTrue();
                Await.until("the plain phone hears the TLS phone", AUDIO, () -> plain.ear.toneFrames() > 50);
                Await.until("the TLS phone hears the plain phone", AUDIO, () -> secure.ear.toneFrames() > 50);

                // A packet of the TLS phone, altered on the way: refused by the node's relay and counted.
                PortRange securePorts = new PortRange(secure.rtpPortMin(), secure.rtpPortMin() + 19);
                PortRange nodePorts = new PortRange(nodeRtp, nodeRtp + NODE_RTP_PORTS - 1);
                AtomicReference<Datagram> seen = new AtomicReference<>();
                Await.until("an SRTP packet of the TLS phone on the wire", AUDIO, () -> {
                    firstFrom(soFar(capture), securePorts, nodePorts).ifPresent(seen::set);
                    return seen.get() != null;
                });
                Datagram sample = seen.get();
                double refusedBefore = refused();
                try (DatagramChannel forger = DatagramChannel.open()) {
                    forger.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                    for (int i = 0; i < 20; i++) {
                        byte[] tampered = sample.payload().clone();
                        tampered[3] += (byte) (100 + i); // a sequence number not seen yet: no replay, so the tag fails
                        tampered[20] ^= 0x40;
                        forger.send(ByteBuffer.wrap(tampered),
                                new InetSocketAddress(InetAddress.getLoopbackAddress(), sample.destinationPort()));
                    }
                }
                long heard = plain.ear.toneFrames();
                Await.until("audio goes on after the forged packets", AUDIO, () -> plain.ear.toneFrames() > heard + 25);
                awaitCaptured(capture, securePorts, new PortRange(plain.rtpPortMin(), plain.rtpPortMin() + 19),
                        nodePorts);
                call.hangup();
                secure.awaitState(call, CallState.ENDED);
                Await.until("the forged packets are counted when the call ends", AUDIO,
                        () -> refused() >= refusedBefore + 20);
            } finally {
                capture.close();
            }
            List<Datagram> wire = capture.stop();
            PortRange securePorts = new PortRange(secure.rtpPortMin(), secure.rtpPortMin() + 19);
            PortRange plainPorts = new PortRange(plain.rtpPortMin(), plain.rtpPortMin() + 19);
            PortRange nodePorts = new PortRange(nodeRtp, nodeRtp + NODE_RTP_PORTS - 1);
            List<Datagram> tlsLeg = wire.stream().filter(d -> d.between(securePorts, nodePorts)).toList();
            List<Datagram> plainLeg = wire.stream().filter(d -> d.between(plainPorts, nodePorts)).toList();
            assertThat(tlsLeg).as("RTP between the TLS phone and the node").hasSizeGreaterThan(100);
            // The control: on the plain leg both tones are plainly there.
            assertThat(plainLeg.stream().filter(carries(TLS_TONE)).count()).isGreaterThan(50);
            assertThat(plainLeg.stream().filter(carries(PLAIN_TONE)).count()).isGreaterThan(50);
            assertThat(tlsLeg.stream().filter(carries(TLS_TONE).or(carries(PLAIN_TONE))).count())
                    .as("packets between the TLS phone and the node whose payload is a tone (not encrypted)")
                    .isZero();
        }
    }

    @Test
    void aPlainPhoneCallingATlsSrtpPhoneIsOfferedSrtpByTheNodeAndTheTlsLegIsEncryptedOnTheWire() throws Exception {
        try (Phone secure = tlsPhone("1011", true, TLS_TONE, PLAIN_TONE).answering();
             Phone plain = Phone.registered(node, "1012", PLAIN_TONE, TLS_TONE)) {
            PortRange nodePorts = new PortRange(nodeRtp, nodeRtp + NODE_RTP_PORTS - 1);
            PortRange securePorts = new PortRange(secure.rtpPortMin(), secure.rtpPortMin() + 19);
            PortRange plainPorts = new PortRange(plain.rtpPortMin(), plain.rtpPortMin() + 19);
            LoopbackCapture capture = LoopbackCapture.start(dir, nodePorts);
            try {
                Call call = plain.dial(node, "1011");
                Call ringing = next(secure.incoming, "1011 rings over TLS");
                plain.awaitState(call, CallState.CONNECTED);
                secure.awaitState(ringing, CallState.CONNECTED);
                assertThat(ringing.srtp()).as("the node offered SRTP to the TLS phone and it took it").isTrue();
                assertThat(call.srtp()).as("the plain caller's leg stays plain").isFalse();
                Await.until("the TLS phone hears the plain phone", AUDIO, () -> secure.ear.toneFrames() > 50);
                Await.until("the plain phone hears the TLS phone", AUDIO, () -> plain.ear.toneFrames() > 50);
                awaitCaptured(capture, securePorts, plainPorts, nodePorts);
                call.hangup();
                secure.awaitState(ringing, CallState.ENDED);
            } finally {
                capture.close();
            }
            assertEncrypted(capture.stop(), securePorts, plainPorts, nodePorts);
        }
    }

    @Test
    void aTlsSrtpAgentAnswersAQueueCallOverSrtpAndItsLegIsEncryptedOnTheWire() throws Exception {
        node.bean(Queues.class).save("demo", new QueueDefinition("7001", "q7001", Strategy.LONGEST_IDLE, 0, 0, true,
                false, 15, 1, 0, 3, 20, 30, List.of(QueueDefinition.Member.of("1013")),
                QueueDefinition.Announcements.DEFAULT, "default", "", QueueDefinition.Destination.NONE,
                QueueDefinition.Destination.NONE), false);
        try (Phone agent = tlsPhone("1013", true, TLS_TONE, PLAIN_TONE).answering();
             Phone caller = Phone.registered(node, "1014", PLAIN_TONE, TLS_TONE)) {
            available("1013");
            PortRange nodePorts = new PortRange(nodeRtp, nodeRtp + NODE_RTP_PORTS - 1);
            PortRange agentPorts = new PortRange(agent.rtpPortMin(), agent.rtpPortMin() + 19);
            PortRange callerPorts = new PortRange(caller.rtpPortMin(), caller.rtpPortMin() + 19);
            LoopbackCapture capture = LoopbackCapture.start(dir, nodePorts);
            try {
                Call call = caller.dial(node, "7001");
                caller.awaitState(call, CallState.CONNECTED);
                Call offer = next(agent.incoming, "the TLS agent is offered the queue call");
                agent.awaitState(offer, CallState.CONNECTED);
                assertThat(offer.srtp()).as("the queue's offer to the TLS agent was SRTP").isTrue();
                Await.until("the agent hears the caller", AUDIO, () -> agent.ear.toneFrames() > 50);
                long before = caller.ear.toneFrames();
                Await.until("the caller hears the agent", AUDIO, () -> caller.ear.toneFrames() > before + 50);
                awaitCaptured(capture, agentPorts, callerPorts, nodePorts);
                call.hangup();
                agent.awaitState(offer, CallState.ENDED);
            } finally {
                capture.close();
            }
            assertEncrypted(capture.stop(), agentPorts, callerPorts, nodePorts);
        }
    }

    @Test
    void aTlsPhoneWithoutSrtpRefusesTheNodesSrtpOfferAndIsCalledAgainWithPlainRtp() throws Exception {
        try (Phone secure = tlsPhone("1003", false, TLS_TONE, PLAIN_TONE).answering();
             Phone plain = Phone.registered(node, "1004", PLAIN_TONE, TLS_TONE)) {
            Call call = plain.dial(node, "1003");
            // The node trusts no phone's certificate: the INVITE can only come over the connection 1003 registered on.
            Call ringing = next(secure.incoming, "1003 rings over TLS");
            plain.awaitState(call, CallState.CONNECTED);
            assertThat(ringing.srtp()).isFalse();
            Await.until("the TLS phone hears the plain phone", AUDIO, () -> secure.ear.toneFrames() > 25);
            Await.until("the plain phone hears the TLS phone", AUDIO, () -> plain.ear.toneFrames() > 25);
            call.hangup();
            secure.awaitState(ringing, CallState.ENDED);
        }
    }

    @Test
    void theNodesByeToATlsPhoneThatCalledInGoesOverThePhonesOwnConnection() throws Exception {
        try (Phone secure = tlsPhone("1006", false, TLS_TONE, PLAIN_TONE);
             Phone plain = Phone.registered(node, "1007", PLAIN_TONE, TLS_TONE).answering()) {
            Call call = secure.dial("sip:1007@127.0.0.1:" + tlsPort + ";transport=tls");
            secure.awaitState(call, CallState.CONNECTED);
            Call answered = next(plain.incoming, "1007 rings");
            plain.awaitState(answered, CallState.CONNECTED);
            answered.hangup();
            plain.awaitState(answered, CallState.ENDED);
            // The node's BYE to 1006: a new connection to its Contact would fail, the node not trusting its certificate.
            secure.awaitState(call, CallState.ENDED);
        }
    }

    @Test
    void aPhoneThatDoesNotTrustTheNodesCertificateFallsBackToItsPlainRegistrar() throws Exception {
        Path stranger = TestCertificates.selfSigned(dir, "stranger");
        try (Phone wary = Phone.tls("1005", List.of(tlsRegistrar(), "sip:127.0.0.1:" + node.sipPort()), phoneCert,
                stranger, true, TLS_TONE, PLAIN_TONE)) {
            wary.awaitRegistration(RegistrationState.REGISTERED);
            assertThat(wary.ua.currentRegistrar()).as("registered where TLS was not needed")
                    .isEqualTo("sip:127.0.0.1:" + node.sipPort());
        }
    }

    @Test
    void aTlsSrtpCallerOfAQueueIsAnsweredWithSrtpAndTalksWithAPlainAgent() throws Exception {
        node.bean(Queues.class).save("demo", new QueueDefinition("7000", "q7000", Strategy.LONGEST_IDLE, 0, 0, true,
                false, 15, 1, 0, 3, 20, 30, List.of(QueueDefinition.Member.of("1007")),
                QueueDefinition.Announcements.DEFAULT, "default", "", QueueDefinition.Destination.NONE,
                QueueDefinition.Destination.NONE), false);
        try (Phone agent = Phone.registered(node, "1007", PLAIN_TONE, TLS_TONE).answering();
             Phone secure = tlsPhone("1006", true, TLS_TONE, PLAIN_TONE)) {
            available("1007");
            PortRange nodePorts = new PortRange(nodeRtp, nodeRtp + NODE_RTP_PORTS - 1);
            LoopbackCapture capture = LoopbackCapture.start(dir, nodePorts);
            try {
                Call call = secure.dial("sip:7000@127.0.0.1:" + tlsPort + ";transport=tls");
                secure.awaitState(call, CallState.CONNECTED);
                assertThat(call.srtp()).as("the queue answered the SRTP offer with the node's key").isTrue();
                Await.until("the agent hears the queue caller", AUDIO, () -> agent.ear.toneFrames() > 50);
                long before = secure.ear.toneFrames();
                Await.until("the queue caller hears the agent", AUDIO, () -> secure.ear.toneFrames() > before + 50);
                awaitCaptured(capture, new PortRange(secure.rtpPortMin(), secure.rtpPortMin() + 19),
                        new PortRange(agent.rtpPortMin(), agent.rtpPortMin() + 19), nodePorts);
                call.hangup();
                secure.awaitState(call, CallState.ENDED);
            } finally {
                capture.close();
            }
            List<Datagram> wire = capture.stop();
            PortRange securePorts = new PortRange(secure.rtpPortMin(), secure.rtpPortMin() + 19);
            PortRange agentPorts = new PortRange(agent.rtpPortMin(), agent.rtpPortMin() + 19);
            List<Datagram> callerLeg = wire.stream().filter(d -> d.between(securePorts, nodePorts)).toList();
            List<Datagram> agentLeg = wire.stream().filter(d -> d.between(agentPorts, nodePorts)).toList();
            assertThat(callerLeg).as("RTP between the queue caller and the node").hasSizeGreaterThan(100);
            // The control: the agent's leg is plain RTP, where both tones are plainly there.
            assertThat(agentLeg.stream().filter(carries(TLS_TONE)).count()).isGreaterThan(50);
            assertThat(agentLeg.stream().filter(carries(PLAIN_TONE)).count()).isGreaterThan(50);
            assertThat(callerLeg.stream().filter(carries(TLS_TONE).or(carries(PLAIN_TONE))).count())
                    .as("packets between the queue caller and the node whose payload is a tone (not encrypted)")
                    .isZero();
        }
    }

    @Test
    void anSrtpQueueCallerPuttingTheAgentOnHoldAndBackIsAnsweredWithSrtpAndTalksOn() throws Exception {
        node.bean(Queues.class).save("demo", new QueueDefinition("7002", "q7002", Strategy.LONGEST_IDLE, 0, 0, true,
                false, 15, 1, 0, 3, 20, 30, List.of(QueueDefinition.Member.of("1015")),
                QueueDefinition.Announcements.DEFAULT, "default", "", QueueDefinition.Destination.NONE,
                QueueDefinition.Destination.NONE), false);
        try (Phone agent = Phone.registered(node, "1015", PLAIN_TONE, TLS_TONE).answering();
             Phone secure = tlsPhone("1016", true, TLS_TONE, PLAIN_TONE)) {
            available("1015");
            PortRange nodePorts = new PortRange(nodeRtp, nodeRtp + NODE_RTP_PORTS - 1);
            PortRange securePorts = new PortRange(secure.rtpPortMin(), secure.rtpPortMin() + 19);
            PortRange agentPorts = new PortRange(agent.rtpPortMin(), agent.rtpPortMin() + 19);
            LoopbackCapture capture = LoopbackCapture.start(dir, nodePorts);
            try {
                Call call = secure.dial("sip:7002@127.0.0.1:" + tlsPort + ";transport=tls");
                secure.awaitState(call, CallState.CONNECTED);
                Await.until("the agent hears the queue caller", AUDIO, () -> agent.ear.toneFrames() > 50);

                // RFC 3264 §8.4 hold and resume by re-INVITE, each an SRTP re-offer (RFC 4568 §7.1.4).
                call.hold();
                Await.until("the node answered the hold re-offer", AUDIO,
                        () -> call.mediaDirection() != MediaDirection.SENDRECV);
                assertThat(call.srtp()).as("the hold re-offer was answered with SRTP").isTrue();
                call.unhold();
                Await.until("the node answered the resume re-offer", AUDIO,
                        () -> call.mediaDirection() == MediaDirection.SENDRECV);
                assertThat(call.srtp()).as("the resume re-offer was answered with SRTP").isTrue();
                assertThat(call.state()).isEqualTo(CallState.CONNECTED);

                long heard = agent.ear.toneFrames();
                Await.until("the agent hears the caller after the re-INVITEs", AUDIO,
                        () -> agent.ear.toneFrames() > heard + 50);
                long before = secure.ear.toneFrames();
                Await.until("the caller hears the agent after the re-INVITEs", AUDIO,
                        () -> secure.ear.toneFrames() > before + 50);
                awaitCaptured(capture, securePorts, agentPorts, nodePorts);
                call.hangup();
                secure.awaitState(call, CallState.ENDED);
            } finally {
                capture.close();
            }
            assertEncrypted(capture.stop(), securePorts, agentPorts, nodePorts);
        }
    }

    @Test
    void aTlsSrtpSupervisorListeningToAQueueCallIsCalledWithSrtpAndHearsTheCall() throws Exception {
        node.bean(Queues.class).save("demo", new QueueDefinition("7003", "q7003", Strategy.LONGEST_IDLE, 0, 0, true,
                false, 15, 1, 0, 3, 20, 30, List.of(QueueDefinition.Member.of("1017")),
                QueueDefinition.Announcements.DEFAULT, "default", "", QueueDefinition.Destination.NONE,
                QueueDefinition.Destination.NONE), false);
        // Caller and agent speak the same tone, so what the supervisor hears of their mix is that tone.
        try (Phone agent = Phone.registered(node, "1017", PLAIN_TONE, PLAIN_TONE).answering();
             Phone caller = Phone.registered(node, "1018", PLAIN_TONE, PLAIN_TONE);
             Phone supervisor = tlsPhone("1020", true, TLS_TONE, PLAIN_TONE).answering()) {
            available("1017");
            PortRange nodePorts = new PortRange(nodeRtp, nodeRtp + NODE_RTP_PORTS - 1);
            PortRange supervisorPorts = new PortRange(supervisor.rtpPortMin(), supervisor.rtpPortMin() + 19);
            PortRange callerPorts = new PortRange(caller.rtpPortMin(), caller.rtpPortMin() + 19);
            LoopbackCapture capture = LoopbackCapture.start(dir, nodePorts);
            try {
                Call call = caller.dial(node, "7003");
                caller.awaitState(call, CallState.CONNECTED);
                Await.until("the agent hears the caller", AUDIO, () -> agent.ear.toneFrames() > 25);
                Await.until("the call is listed live", AUDIO, () -> node.api().get("/api/v1/tenants/demo/calls",
                        TestNode.ADMIN + "@demo", TestNode.PASSWORD).body().contains(call.id()));
                HttpResponse<String> started = node.api().post("/api/v1/tenants/demo/calls/" + call.id()
                        + "/monitor", TestNode.ADMIN + "@demo", TestNode.PASSWORD,
                        "{\"mode\":\"listen\",\"extension\":\"1020\"}");
                assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
                Call listening = next(supervisor.incoming, "the supervisor's TLS phone is called");
                supervisor.awaitState(listening, CallState.CONNECTED);
                assertThat(listening.srtp()).as("the monitor leg to the TLS supervisor is SRTP").isTrue();
                Await.until("the supervisor hears the call", AUDIO, () -> supervisor.ear.toneFrames() > 50);
                Await.until("the capture holds the supervisor's leg and the caller's tone", AUDIO, () -> {
                    List<Datagram> wire = soFar(capture);
                    return wire.stream().filter(d -> d.between(supervisorPorts, nodePorts)).count() > 100
                            && wire.stream().filter(d -> d.between(callerPorts, nodePorts))
                            .filter(carries(PLAIN_TONE)).count() > 50;
                });
                call.hangup();
                supervisor.awaitState(listening, CallState.ENDED);
            } finally {
                capture.close();
            }
            List<Datagram> wire = capture.stop();
            List<Datagram> supervisorLeg = wire.stream().filter(d -> d.between(supervisorPorts, nodePorts)).toList();
            assertThat(supervisorLeg).hasSizeGreaterThan(100);
            assertThat(supervisorLeg.stream().filter(carries(TLS_TONE).or(carries(PLAIN_TONE))).count())
                    .as("packets between the supervisor and the node whose payload is a tone (not encrypted)")
                    .isZero();
        }
    }

    @Test
    void aTlsSrtpPhoneJoiningAParkedCallersRoomIsAnsweredWithSrtpAndTalksWithTheCaller() throws Exception {
        node.bean(Queues.class).save("demo", new QueueDefinition("7004", "q7004", Strategy.LONGEST_IDLE, 0, 0, true,
                false, 15, 1, 0, 0, 20, 30, List.of(QueueDefinition.Member.of("1001")),
                QueueDefinition.Announcements.DEFAULT, "default", "", QueueDefinition.Destination.NONE,
                QueueDefinition.Destination.NONE).withPark(new QueueDefinition.Park(true, true, false, 0, 120)),
                false);
        try (Phone caller = Phone.registered(node, "1009", PLAIN_TONE, TLS_TONE);
             Phone joiner = tlsPhone("1010", true, TLS_TONE, PLAIN_TONE)) {
            PortRange nodePorts = new PortRange(nodeRtp, nodeRtp + NODE_RTP_PORTS - 1);
            PortRange joinerPorts = new PortRange(joiner.rtpPortMin(), joiner.rtpPortMin() + 19);
            PortRange callerPorts = new PortRange(caller.rtpPortMin(), caller.rtpPortMin() + 19);
            Call call = caller.dial(node, "7004");
            caller.awaitState(call, CallState.CONNECTED);
            Await.until("the caller is parked in a room", AUDIO, () -> parkedRoom(call.id()) != null);
            String token = JoinToken.create("demo", parkedRoom(call.id()), "1010", System.currentTimeMillis() + 60_000)
                    .sign(Cluster.SECRET.getBytes(StandardCharsets.UTF_8));
            LoopbackCapture capture = LoopbackCapture.start(dir, nodePorts);
            try {
                Call joined = joiner.dial("sip:join*" + token + "@127.0.0.1:" + tlsPort + ";transport=tls");
                joiner.awaitState(joined, CallState.CONNECTED);
                assertThat(joined.srtp()).as("the room's join answered the SRTP offer with the node's key").isTrue();
                long before = caller.ear.toneFrames();
                Await.until("the caller hears the joiner", AUDIO, () -> caller.ear.toneFrames() > before + 50);
                Await.until("the joiner hears the caller", AUDIO, () -> joiner.ear.toneFrames() > 50);
                awaitCaptured(capture, joinerPorts, callerPorts, nodePorts);
                joined.hangup();
                caller.awaitState(call, CallState.ENDED);
            } finally {
                capture.close();
            }
            assertEncrypted(capture.stop(), joinerPorts, callerPorts, nodePorts);
        }
    }

    @Test
    void aBlindTransferToATlsSrtpPhoneOffersItSrtpAndItsLegIsEncryptedOnTheWire() throws Exception {
        try (Phone alice = Phone.registered(node, "1021", PLAIN_TONE, TLS_TONE);
             Phone bob = Phone.registered(node, "1022", TRANSFEROR_TONE, PLAIN_TONE).answering();
             Phone carol = tlsPhone("1023", true, TLS_TONE, PLAIN_TONE).answering()) {
            PortRange nodePorts = new PortRange(nodeRtp, nodeRtp + NODE_RTP_PORTS - 1);
            PortRange carolPorts = new PortRange(carol.rtpPortMin(), carol.rtpPortMin() + 19);
            PortRange alicePorts = new PortRange(alice.rtpPortMin(), alice.rtpPortMin() + 19);
            LoopbackCapture capture = LoopbackCapture.start(dir, nodePorts);
            try {
                Call call = alice.dial(node, "1022");
                Call bobCall = next(bob.incoming, "1022 rings");
                alice.awaitState(call, CallState.CONNECTED);
                bob.awaitState(bobCall, CallState.CONNECTED);

                bobCall.transfer("sip:1023@127.0.0.1:" + node.sipPort());
                Call carolCall = next(carol.incoming, "the transfer target rings over TLS");
                carol.awaitState(carolCall, CallState.CONNECTED);
                awaitTransferred(bob);
                bob.awaitState(bobCall, CallState.ENDED);
                assertThat(carolCall.srtp()).as("the transfer's INVITE to the TLS phone offered SRTP").isTrue();
                Await.until("the target hears the transferred caller", AUDIO, () -> carol.ear.toneFrames() > 50);
                Await.until("the transferred caller hears the target", AUDIO, () -> alice.ear.toneFrames() > 50);
                awaitCaptured(capture, carolPorts, alicePorts, nodePorts);
                call.hangup();
                carol.awaitState(carolCall, CallState.ENDED);
            } finally {
                capture.close();
            }
            assertEncrypted(capture.stop(), carolPorts, alicePorts, nodePorts);
        }
    }

    @Test
    void aBlindTransferToATlsPhoneWithoutSrtpIsOfferedPlainRtpAfterItsRefusal() throws Exception {
        try (Phone alice = Phone.registered(node, "1027", PLAIN_TONE, TLS_TONE);
             Phone bob = Phone.registered(node, "1028", TRANSFEROR_TONE, PLAIN_TONE).answering();
             Phone carol = tlsPhone("1029", false, TLS_TONE, PLAIN_TONE).answering()) {
            Call call = alice.dial(node, "1028");
            Call bobCall = next(bob.incoming, "1028 rings");
            alice.awaitState(call, CallState.CONNECTED);
            bob.awaitState(bobCall, CallState.CONNECTED);

            bobCall.transfer("sip:1029@127.0.0.1:" + node.sipPort());
            // The phone refuses the SRTP offer with 488; the node's plain offer is the one it rings for.
            Call carolCall = next(carol.incoming, "the transfer target rings over TLS, offered plain RTP");
            carol.awaitState(carolCall, CallState.CONNECTED);
            awaitTransferred(bob);
            assertThat(carolCall.srtp()).isFalse();
            Await.until("the target hears the transferred caller", AUDIO, () -> carol.ear.toneFrames() > 25);
            Await.until("the transferred caller hears the target", AUDIO, () -> alice.ear.toneFrames() > 25);
            call.hangup();
            carol.awaitState(carolCall, CallState.ENDED);
        }
    }

    @Test
    void anAttendedTransferToATlsSrtpPhoneKeepsItsLegSrtpAndEncryptedOnTheWire() throws Exception {
        try (Phone alice = Phone.registered(node, "1024", PLAIN_TONE, TLS_TONE);
             Phone bob = Phone.registered(node, "1025", TRANSFEROR_TONE, PLAIN_TONE).answering();
             Phone carol = tlsPhone("1026", true, TLS_TONE, PLAIN_TONE).answering()) {
            PortRange nodePorts = new PortRange(nodeRtp, nodeRtp + NODE_RTP_PORTS - 1);
            PortRange carolPorts = new PortRange(carol.rtpPortMin(), carol.rtpPortMin() + 19);
            PortRange alicePorts = new PortRange(alice.rtpPortMin(), alice.rtpPortMin() + 19);
            LoopbackCapture capture = LoopbackCapture.start(dir, nodePorts);
            try {
                Call call = alice.dial(node, "1025");
                Call bobCall = next(bob.incoming, "1025 rings");
                alice.awaitState(call, CallState.CONNECTED);
                bob.awaitState(bobCall, CallState.CONNECTED);
                bobCall.hold();
                Await.until("1024 is held", AUDIO, bobCall::isOnHold);
                Call consultation = bob.dial(node, "1026");
                Call carolCall = next(carol.incoming, "the consulted TLS phone rings");
                bob.awaitState(consultation, CallState.CONNECTED);
                carol.awaitState(carolCall, CallState.CONNECTED);
                assertThat(carolCall.srtp()).as("the consultation call to the TLS phone is SRTP").isTrue();

                // The node joins 1024 and 1026 itself: 1026 is re-INVITEd onto the relay port that faced 1025.
                bobCall.transfer(consultation);
                awaitTransferred(bob);
                bob.awaitState(consultation, CallState.ENDED);
                bob.awaitState(bobCall, CallState.ENDED);
                Await.until("the target hears the transferred caller", AUDIO, () -> carol.ear.toneFrames() > 50);
                Await.until("the transferred caller hears the target", AUDIO, () -> alice.ear.toneFrames() > 50);
                assertThat(carolCall.srtp()).as("the re-INVITE that joined the target offered SRTP").isTrue();
                awaitCaptured(capture, carolPorts, alicePorts, nodePorts);
                call.hangup();
                carol.awaitState(carolCall, CallState.ENDED);
            } finally {
                capture.close();
            }
            assertEncrypted(capture.stop(), carolPorts, alicePorts, nodePorts);
        }
    }

    /** The transferor's phone is told by NOTIFY that its transfer succeeded (RFC 3515 §2.4.5: 100, then 200). */
    private static void awaitTransferred(Phone transferor) throws InterruptedException {
        int status;
        do {
            status = next(transferor.transferProgress, "final NOTIFY");
        } while (status < 200);
        assertThat(status).as("the transfer's final NOTIFY").isEqualTo(200);
    }

    /** The room the queue call {@code callId} was parked in; null until its PARKED event. */
    private static String parkedRoom(String callId) {
        return node.bean(Redis.class).commands().xrange(Keys.roomEvents("demo"), Range.create("-", "+")).stream()
                .map(StreamMessage::getBody).map(RoomEvent::of)
                .filter(e -> e.callId().equals(callId) && e.kind() == RoomEvent.Kind.PARKED)
                .map(RoomEvent::room).findFirst().orElse(null);
    }

    /**
     * The wire between {@code securePorts} and the node carried RTP and none of it a tone in clear, while the plain
     * leg (the control) plainly carried both tones.
     */
    private static void assertEncrypted(List<Datagram> wire, PortRange securePorts, PortRange plainPorts,
            PortRange nodePorts) {
        List<Datagram> secureLeg = wire.stream().filter(d -> d.between(securePorts, nodePorts)).toList();
        List<Datagram> plainLeg = wire.stream().filter(d -> d.between(plainPorts, nodePorts)).toList();
        assertThat(secureLeg).as("RTP between the TLS phone and the node").hasSizeGreaterThan(100);
        assertThat(plainLeg.stream().filter(carries(TLS_TONE)).count()).isGreaterThan(50);
        assertThat(plainLeg.stream().filter(carries(PLAIN_TONE)).count()).isGreaterThan(50);
        assertThat(secureLeg.stream().filter(carries(TLS_TONE).or(carries(PLAIN_TONE))).count())
                .as("packets between the TLS phone and the node whose payload is a tone (not encrypted)")
                .isZero();
    }

    /** Logs {@code agent} in through the agent API and makes it available for queue offers. */
    private static void available(String agent) {
        HttpResponse<String> login = node.api().post(ApiPaths.AGENT_LOGIN, agent + "@demo", TestNode.PASSWORD, "");
        assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
        HttpResponse<String> state = node.api().put(ApiPaths.AGENT_STATE, agent + "@demo", TestNode.PASSWORD,
                "{\"state\":\"available\"}");
        assertThat(state.statusCode()).as(state.body()).isEqualTo(200);
    }

    private static double refused() {
        return node.bean(MeterRegistry.class).counter("tandem.srtp.refused").count();
    }

    private static List<Datagram> soFar(LoopbackCapture capture) {
        try {
            return capture.soFar();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Optional<Datagram> firstFrom(List<Datagram> wire, PortRange from, PortRange to) {
        return wire.stream().filter(d -> from.contains(d.sourcePort()) && to.contains(d.destinationPort())
                && d.payload().length > 12 + 160).findFirst();
    }

    /** True for an RTP packet whose payload, read as PCMU (RFC 3551), is mostly the tone {@code hz}. */
    /**
     * Waits until the capture holds enough of the call to judge the wire by: tcpdump's first packets may come after
     * the call's (a quiet machine connects the call before the capture is under way), and the ears count what the
     * phones heard, not what the capture saw.
     */
    private static void awaitCaptured(LoopbackCapture capture, PortRange secureLeg, PortRange plainLeg,
            PortRange nodePorts) {
        Await.until("the capture holds the encrypted leg and both tones on the plain leg", AUDIO, () -> {
            List<Datagram> wire = soFar(capture);
            List<Datagram> plain = wire.stream().filter(d -> d.between(plainLeg, nodePorts)).toList();
            return wire.stream().filter(d -> d.between(secureLeg, nodePorts)).count() > 100
                    && plain.stream().filter(carries(TLS_TONE)).count() > 50
                    && plain.stream().filter(carries(PLAIN_TONE)).count() > 50;
        });
    }

    private static Predicate<Datagram> carries(int hz) {
        return datagram -> {
            byte[] rtp = datagram.payload();
            if (rtp.length < 12 + 160 || (rtp[0] & 0xc0) != 0x80 || (rtp[1] & 0x7f) != 0) {
                return false;
            }
            short[] samples = new short[160];
            for (int i = 0; i < samples.length; i++) {
                samples[i] = G711.ulawToLinear(rtp[12 + i]);
            }
            return Goertzel.toneRatio(samples, 0, samples.length, hz, 8000) > 0.5;
        };
    }
}
