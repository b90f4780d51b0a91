package io.tandem.backend.call;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.backend.TestNode;
import io.tandem.backend.cdr.CallRecord;
import io.tandem.backend.cdr.CallRecords;
import io.tandem.backend.registrar.Binding;
import io.tandem.backend.registrar.Bindings;
import io.tandem.telephony.peers.FreePorts;
import io.tandem.telephony.peers.SippProcess;
import io.tandem.telephony.peers.SippResult;
import io.tandem.telephony.testing.Await;
import io.tandem.telephony.testing.RedisServer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** SIPp as both registered parties: 100 digest-authenticated calls UAC → node → UAS, every one completes. */
class SippCallIT {

    private static final Logger log = LoggerFactory.getLogger(SippCallIT.class);

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    private static final int CALLS = 100;

    @Test
    void hundredCallsFromARegisteredSippUacReachARegisteredSippUas() throws Exception {
        // 60 concurrent calls need 240 RTP ports: a wide range above FreePorts' (20000-32700), so the phones of
        // tests running alongside never lose their ports to this node; ports other processes hold are skipped.
        try (TestNode node = Cluster.node(redis, "sipp-calls", "tandem.sip.rtp-port-min=33000",
                "tandem.sip.rtp-port-max=39999")) {
            InetSocketAddress nodeSip = new InetSocketAddress("127.0.0.1", node.sipPort());
            int uacPort = FreePorts.udpAndTcp();
            int uasPort = FreePorts.udpAndTcp();
            register(nodeSip, "1001", uacPort);
            register(nodeSip, "1002", uasPort);
            assertThat(node.bean(Bindings.class).lookup("demo", "1002")).extracting(Binding::reachable)
                    .singleElement().asString().startsWith("sip:1002@127.0.0.1:" + uasPort);

            Instant started = Instant.now();
            try (SippProcess uas = SippProcess.scenario("uas-answer-tolerant.xml").localPort(uasPort)
                    .calls(CALLS).traceMessages(false).timeout(Duration.ofSeconds(180)).start();
                 SippProcess uac = SippProcess.scenario("uac-call-digest.xml").remote(nodeSip).localPort(uacPort)
                         .serviceUser("1002").injection("SEQUENTIAL\n1001;[authentication username=1001 password="
                                 + TestNode.PASSWORD + "]\n")
                         .calls(CALLS).rate(20).maxConcurrent(60).traceMessages(false)
                         .timeout(Duration.ofSeconds(180)).start()) {
                SippResult caller = uac.awaitExit(Duration.ofSeconds(200));
                Duration took = Duration.between(started, Instant.now());
                assertThat(caller.allCallsSucceeded()).as(caller.describe()).isTrue();
                assertThat(caller.successfulCalls()).isEqualTo(CALLS);
                SippResult callee = uas.awaitExit(Duration.ofSeconds(30));
                assertThat(callee.successfulCalls()).as(callee.describe()).isEqualTo(CALLS);
                log.info("SIPp: {} calls UAC -> node -> UAS in {} ms ({} calls/s offered at 20/s, 3 s each)",
                        CALLS, took.toMillis(), String.format("%.1f", CALLS * 1000.0 / took.toMillis()));
            }
            Await.until("every call released", Duration.ofSeconds(30),
                    () -> node.bean(B2bua.class).activeCalls() == 0);
            Await.until("every call's record is written", Duration.ofSeconds(30), () -> node.bean(
                    CallRecords.class).ended("demo", started.minusSeconds(1), Instant.now().plusSeconds(5)).size()
                    >= CALLS);
            List<CallRecord> records = node.bean(CallRecords.class).ended("demo", started.minusSeconds(1),
                    Instant.now().plusSeconds(5));
            assertThat(records).hasSize(CALLS).allMatch(r -> r.answeredAt() != null && r.endCause().equals("normal"));
        }
    }

    /** SIPp on {@code port} registers {@code extension} with digest, then exits; the binding stays. */
    static void register(InetSocketAddress node, String extension, int port) {
        try (SippProcess sipp = SippProcess.scenario("register-digest-uac.xml").remote(node).localPort(port)
                .injection("SEQUENTIAL\n" + extension + ";[authentication username=" + extension + " password="
                        + TestNode.PASSWORD + "]\n")
                .calls(1).traceMessages(false).timeout(Duration.ofSeconds(30)).start()) {
            SippResult result = sipp.awaitExit(Duration.ofSeconds(40));
            assertThat(result.allCallsSucceeded()).as(result.describe()).isTrue();
        }
    }
}
