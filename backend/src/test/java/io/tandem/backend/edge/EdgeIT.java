package io.tandem.backend.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.backend.TestNode;
import io.tandem.backend.registrar.Binding;
import io.tandem.backend.registrar.Bindings;
import io.tandem.telephony.peers.FreePorts;
import io.tandem.telephony.testing.Await;
import io.tandem.telephony.testing.RedisServer;
import io.tandem.telephony.ua.Call;
import io.tandem.telephony.ua.CallState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The edge we ship (a real Kamailio from {@code edge/kamailio.cfg}) in front of two nodes on one Redis: phones
 * register and call through it, the nodes reach them back through it (Path, RFC 3327; Record-Route), their media
 * crosses the edge's rtpengine on its way to the nodes' relays, a node's death leaves them reachable through the
 * other at once (calls and REGISTERs the edge first sends to the dead node go on to the survivor), and it refuses
 * scanners and requests for foreign domains.
 */
class EdgeIT {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    private static final String SECRET = "edge-it-cluster-secret-0123456789";
    private static final double TONE_A = 440;
    private static final double TONE_B = 1000;
    /** Frames of tone (20 ms each) that prove audio crosses: a second of it. */
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

    private TestNode node(String id) {
        int rtp = FreePorts.alignedBlock(40);
        return opened(TestNode.start("tandem.redis.uri=" + redis.uri(), "tandem.node.id=" + id,
                "tandem.node.cluster-secret=" + SECRET, "tandem.sip.rtp-port-min=" + rtp,
                "tandem.sip.rtp-port-max=" + (rtp + 39),
                // Every phone's REGISTER comes from the edge's address: one source for the flood guard.
                "tandem.registrar.flood-threshold=100000"));
    }

    @Test
    void phonesRegisterAndCallThroughTheEdgeAndStayReachableWhenANodeDies() throws Exception {
        TestNode n1 = node("edge-n1");
        TestNode n2 = node("edge-n2");
        EdgeProcess edge = opened(EdgeProcess.start(List.of(n1.sipPort(), n2.sipPort())));
        EdgePhone a = opened(EdgePhone.register(edge, "1001", TONE_A, TONE_B));
        EdgePhone b = opened(EdgePhone.register(edge, "1002", TONE_B, TONE_A));

        // RFC 3327: the node stored the edge's Path with the binding, whichever node took the REGISTER.
        Binding bBinding = binding(n1, "1002");
        assertThat(bBinding.path()).as("1002's path").singleElement().asString()
                .contains("127.0.0.1:" + edge.port()).contains("lr");

        call(edge, a, b, null);

        // The node that took 1002's REGISTER dies. Its socket closes with it, so the edge learns of the death only
        // from silence: a request it sends there goes unanswered and is sent to the next node (issue 17).
        TestNode holder = bBinding.node().equals("edge-n1") ? n1 : n2;
        TestNode survivor = holder == n1 ? n2 : n1;
        holder.close();
        open.remove(holder);

        // At once, before any probe could have told the edge: a call to the phone whose REGISTER the dead node took
        // is placed by the survivor and rings through the path.
        call(edge, a, b, survivor);
        // New REGISTERs through the edge land on the surviving node ...
        EdgePhone c = opened(EdgePhone.register(edge, "1003", TONE_A, TONE_B));
        assertThat(binding(survivor, "1003").node()).isEqualTo(survivor == n1 ? "edge-n1" : "edge-n2");
        // ... and 1002, whose REGISTER the dead node took, is still reached through its path.
        assertThat(binding(survivor, "1002").node()).as("1002 registered on the dead node")
                .isEqualTo(bBinding.node());
        call(edge, c, b, survivor);
        call(edge, b, a, survivor);
    }

    /**
     * {@code caller} dials {@code callee} through the edge; the callee rings through the edge, from {@code via} when
     * given (the node bridging the call: its Contact, RFC 3261 §8.1.1.8); tones both ways.
     */
    private static void call(EdgeProcess edge, EdgePhone caller, EdgePhone callee, TestNode via) throws Exception {
        Call out = caller.dial(edge, callee.extension);
        Call in = callee.nextIncoming();
        // The INVITE came through the edge: it put itself in the dialog's route (RFC 3261 §16.6 step 4).
        assertThat(in.inviteHeader("Record-Route")).as("Record-Route of the INVITE %s rang", callee.extension)
                .contains("127.0.0.1:" + edge.port());
        if (via != null) {
            assertThat(in.inviteHeader("Contact")).as("Contact of the INVITE %s rang", callee.extension)
                    .contains("127.0.0.1:" + via.sipPort());
        }
        in.answer();
        caller.awaitState(out, CallState.CONNECTED);
        long callerBefore = caller.toneFrames();
        long calleeBefore = callee.toneFrames();
        Await.until(caller.extension + " hears " + callee.extension + " and back", EdgePhone.WAIT,
                () -> caller.toneFrames() - callerBefore >= HEARD && callee.toneFrames() - calleeBefore >= HEARD,
                () -> "caller heard " + (caller.toneFrames() - callerBefore) + ", callee "
                        + (callee.toneFrames() - calleeBefore) + "\n" + edge.logTail());
        // The tones crossed rtpengine (the edge rewrote both legs' SDP), not straight between phone and node.
        assertThat(edge.rtpengine().relayedPackets()).as("RTP packets rtpengine relayed in the call (%s)",
                        edge.rtpengine().calls())
                .isGreaterThanOrEqualTo(2 * HEARD);
        out.hangup();
        callee.awaitState(in, CallState.ENDED);
    }

    private static Binding binding(TestNode node, String extension) {
        Await.until(extension + " has a binding", EdgePhone.WAIT,
                () -> !node.bean(Bindings.class).lookup("demo", extension).isEmpty());
        return node.bean(Bindings.class).lookup("demo", extension).get(0);
    }

    @Test
    void scannersGetNoAnswerAndForeignDomainsAndForgedTrunkRequestsAreRefused() throws Exception {
        TestNode n1 = node("edge-guard");
        EdgeProcess edge = opened(EdgeProcess.start(List.of(n1.sipPort())));
        try (RawSip sip = new RawSip()) {
            // A scanner's probe is dropped; the answer that comes back on this socket is the next request's.
            sip.send(edge.port(), sip.options("sip:1001@127.0.0.1:" + edge.port(), "friendly-scanner", "scan-1"));
            sip.send(edge.port(), sip.options("sip:1001@example.com", "Tandem test", "foreign-1"));
            Optional<String> reply = sip.receive(EdgePhone.WAIT);
            assertThat(reply).as("an answer to the foreign-domain OPTIONS").isPresent();
            assertThat(reply.get()).startsWith("SIP/2.0 403").contains("Call-ID: foreign-1");
            // Nor for an address that is not the edge's.
            sip.send(edge.port(), sip.options("sip:1001@192.0.2.10:5060", "Tandem test", "foreign-2"));
            assertThat(sip.receive(EdgePhone.WAIT)).get().asString().startsWith("SIP/2.0 403")
                    .contains("Call-ID: foreign-2");
            // Trunk-signed requests come from the nodes' addresses only, never through the edge from outside.
            sip.send(edge.port(), sip.options("sip:1001@127.0.0.1:" + edge.port(), "Tandem test", "forged-trunk",
                    "X-Tandem-Node: n1\r\nX-Tandem-Signature: 00\r\n"));
            assertThat(sip.receive(EdgePhone.WAIT)).get().asString().startsWith("SIP/2.0 403 Not a node")
                    .contains("Call-ID: forged-trunk");
        }
    }
}
