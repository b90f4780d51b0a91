package io.tandem.backend.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.backend.TestNode;
import io.tandem.telephony.testing.LoopbackCapture;
import io.tandem.telephony.testing.LoopbackCapture.Datagram;
import io.tandem.telephony.testing.LoopbackCapture.PortRange;
import io.tandem.telephony.peers.BaresipEvent;
import io.tandem.telephony.peers.BaresipProcess;
import io.tandem.telephony.peers.FreePorts;
import io.tandem.telephony.peers.Recording;
import io.tandem.telephony.testing.Await;
import io.tandem.telephony.testing.RedisServer;
import io.tandem.telephony.ua.Call;
import io.tandem.telephony.ua.CallState;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SRTP at the edge (SDES, RFC 4568): baresip registered over TLS with SRTP mandatory calls our plain RTP phone
 * through the edge. rtpengine turns the SRTP leg into plain RTP towards the node and back: tones both ways, and on
 * the wire the phone's side is encrypted (no tone in its payloads) while the node's side of rtpengine is plain (the
 * same tone is there) — the control that shows the capture would have seen a tone. With {@code REFUSE_PLAIN_RTP} a
 * plain RTP offer from the internet side is refused.
 */
class EdgeSrtpIT {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    private static final String SECRET = "edge-srtp-cluster-secret-0123456789";
    private static final int SRTP_TONE = 700;
    private static final int PLAIN_TONE = 440;
    private static final int NODE_RTP_PORTS = 40;
    /** Packets (20 ms each) of tone that prove audio crosses: a second of it. */
    private static final long HEARD = 50;

    private final List<AutoCloseable> open = new ArrayList<>();

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

    private TestNode node(String id, int rtp) {
        open.add(() -> FreePorts.release(rtp, NODE_RTP_PORTS));
        return opened(TestNode.start("tandem.redis.uri=" + redis.uri(), "tandem.node.id=" + id,
                "tandem.node.cluster-secret=" + SECRET, "tandem.sip.rtp-port-min=" + rtp,
                "tandem.sip.rtp-port-max=" + (rtp + NODE_RTP_PORTS - 1),
                "tandem.registrar.flood-threshold=100000"));
    }

    /** baresip over TLS to the edge, SRTP mandatory (it offers RTP/SAVP with a=crypto and accepts nothing else). */
    private BaresipProcess srtpPhone(EdgeProcess edge, String extension) {
        String edgeTls = "127.0.0.1:" + edge.tlsPort();
        BaresipProcess phone = opened(BaresipProcess.builder().user(extension).sineSource(SRTP_TONE).codecs("pcmu")
                .configLine("module srtp.so").configLine("sip_cafile " + edge.certificate())
                .accountParams("mediaenc=srtp-mand;outbound=\"sip:" + edgeTls + ";transport=tls\"")
                .registerTo(new InetSocketAddress("127.0.0.1", edge.tlsPort()), extension,
                        TestNode.PASSWORD, Duration.ofSeconds(600))
                .start());
        phone.awaitEvent(BaresipEvent.REGISTER_OK, EdgePhone.WAIT);
        return phone;
    }

    @Test
    void anSrtpPhoneOverTlsTalksToAPlainPhoneAndItsSideOfTheWireIsEncrypted() throws Exception {
        int nodeRtp = FreePorts.alignedBlock(NODE_RTP_PORTS);
        TestNode node = node("edge-srtp", nodeRtp);
        EdgeProcess edge = opened(EdgeProcess.start(List.of(node.sipPort()), true));
        RtpengineProcess rtpengine = edge.rtpengine();
        Path dir = Files.createTempDirectory("tandem-edge-capture-");
        LoopbackCapture capture = opened(LoopbackCapture.start(dir,
                new PortRange(rtpengine.mediaPortMin(), rtpengine.mediaPortMax())));
        EdgePhone plain = opened(EdgePhone.register(edge, "1002", PLAIN_TONE, SRTP_TONE));
        BaresipProcess srtp = srtpPhone(edge, "1001");

        srtp.dial("sip:1002@127.0.0.1:" + edge.tlsPort());
        Call in = plain.nextIncoming();
        in.answer();
        srtp.awaitEvent(BaresipEvent.CALL_ESTABLISHED, EdgePhone.WAIT);
        Await.until("1002 hears the SRTP phone's tone through rtpengine and the node", EdgePhone.WAIT,
                () -> plain.toneFrames() >= HEARD, edge::logTail);
        Await.until("baresip records 2 s of audio", EdgePhone.WAIT,
                () -> srtp.recordedWav().toFile().length() > 2 * 8000 * 2);
        srtp.hangup();
        plain.awaitState(in, CallState.ENDED);
        srtp.awaitEvent(BaresipEvent.CALL_CLOSED, EdgePhone.WAIT);
        Recording heard = srtp.recording().skip(Duration.ofMillis(500));
        assertThat(heard.toneRatio(PLAIN_TONE)).as("the SRTP phone hears 1002's tone: %s", heard)
                .isGreaterThan(0.5);

        List<Datagram> wire = capture.stop();
        PortRange phoneSide = new PortRange(srtp.rtpPortMin(), srtp.rtpPortMin() + BaresipProcess.RTP_PORTS - 1);
        PortRange nodeSide = new PortRange(nodeRtp, nodeRtp + NODE_RTP_PORTS - 1);
        PortRange relay = new PortRange(rtpengine.mediaPortMin(), rtpengine.mediaPortMax());
        List<Datagram> internet = wire.stream().filter(d -> d.between(phoneSide, relay)).toList();
        List<Datagram> inside = wire.stream().filter(d -> d.between(nodeSide, relay)).toList();
        assertThat(internet).as("RTP between the SRTP phone and rtpengine").hasSizeGreaterThan((int) (2 * HEARD));
        // The control: between rtpengine and the node the phone's tone is plainly there.
        assertThat(inside.stream().filter(d -> d.carriesTone(SRTP_TONE)).count())
                .as("plain RTP packets carrying the SRTP phone's tone between rtpengine and the node")
                .isGreaterThanOrEqualTo(HEARD);
        assertThat(internet.stream().filter(d -> d.carriesTone(SRTP_TONE) || d.carriesTone(PLAIN_TONE)).count())
                .as("packets between the SRTP phone and rtpengine whose payload is a tone (not encrypted)")
                .isZero();
    }

    @Test
    void plainRtpFromTheInternetSideIsRefusedWhenConfiguredSo() throws Exception {
        TestNode node = node("edge-srtp-only", FreePorts.alignedBlock(NODE_RTP_PORTS));
        EdgeProcess edge = opened(EdgeProcess.start(List.of(node.sipPort()), true, List.of("REFUSE_PLAIN_RTP")));
        EdgePhone plain = opened(EdgePhone.register(edge, "1003", PLAIN_TONE, SRTP_TONE));
        Call out = plain.dial(edge, "1004");
        plain.awaitState(out, CallState.ENDED);
        assertThat(out.endStatus()).as("the answer to a plain RTP offer").isEqualTo(488);
    }
}
