package io.tandem.backend.call;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.backend.TestNode;
import io.tandem.backend.cdr.CallRecords;
import io.tandem.telephony.peers.FreePorts;
import io.tandem.telephony.peers.SippProcess;
import io.tandem.telephony.peers.SippResult;
import io.tandem.telephony.testing.Await;
import io.tandem.telephony.testing.RedisServer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A caller that never ACKs the node's 200 (RFC 3261 §13.3.1.4): after 64×T1 the node gives up on that dialog, hangs
 * up both parties and records the call, instead of keeping the callee's leg and the relay up for good.
 */
class NoAckCallIT {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    @Test
    void aCallWhose200IsNeverAckedIsHungUpOnBothSidesAndRecorded() throws Exception {
        try (TestNode node = Cluster.node(redis, "no-ack")) {
            InetSocketAddress nodeSip = new InetSocketAddress("127.0.0.1", node.sipPort());
            int uacPort = FreePorts.udpAndTcp();
            int uasPort = FreePorts.udpAndTcp();
            SippCallIT.register(nodeSip, "1001", uacPort);
            SippCallIT.register(nodeSip, "1002", uasPort);
            Instant started = Instant.now();
            try (SippProcess callee = SippProcess.scenario("uas-answer-tolerant.xml").localPort(uasPort)
                    .calls(1).timeout(Duration.ofSeconds(90)).start();
                 SippProcess caller = SippProcess.scenario("uac-call-no-ack.xml").remote(nodeSip)
                         .localPort(uacPort).serviceUser("1002").injection("SEQUENTIAL\n1001;[authentication "
                                 + "username=1001 password=" + TestNode.PASSWORD + "]\n")
                         .calls(1).timeout(Duration.ofSeconds(90)).start()) {
                // Each scenario succeeds only once the node's BYE reached it: the caller's after 32 s of
                // unacknowledged 200s, the callee's because the node hung it up too.
                SippResult unacked = caller.awaitExit(Duration.ofSeconds(100));
                assertThat(unacked.allCallsSucceeded()).as(unacked.describe()).isTrue();
                SippResult hungUp = callee.awaitExit(Duration.ofSeconds(30));
                assertThat(hungUp.allCallsSucceeded()).as(hungUp.describe()).isTrue();
            }
            Await.until("the call is released and recorded", Duration.ofSeconds(30),
                    () -> node.bean(B2bua.class).activeCalls() == 0 && !node.bean(CallRecords.class)
                            .ended("demo", started, Instant.now().plusSeconds(5)).isEmpty());
            assertThat(node.bean(CallRecords.class).ended("demo", started, Instant.now().plusSeconds(5)))
                    .singleElement().satisfies(r -> {
                        assertThat(r.endCause()).isEqualTo("no-ack");
                        assertThat(r.hungUpBy()).isEqualTo("system");
                        assertThat(r.answeredAt()).isNotNull();
                    });
        }
    }
}
