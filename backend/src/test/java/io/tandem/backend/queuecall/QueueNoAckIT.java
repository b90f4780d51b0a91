package io.tandem.backend.queuecall;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.tandem.backend.TestNode;
import io.tandem.backend.acd.queues.Queues;
import io.tandem.backend.acd.queues.Strategy;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.Redis;
import io.tandem.telephony.peers.FreePorts;
import io.tandem.telephony.peers.SippProcess;
import io.tandem.telephony.peers.SippResult;
import io.tandem.telephony.testing.Await;
import io.tandem.telephony.testing.RedisServer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A queue caller that never ACKs the node's 200 (RFC 3261 §13.3.1.4): after 64×T1 the node sends it a BYE and the
 * caller leaves the queue as vanished for want of an ACK — not as abandoned: it never hung up — instead of waiting in
 * the cluster-wide queue for nobody.
 */
class QueueNoAckIT {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    @Test
    void aQueueCallerWhoNeverAcksIsHungUpAndLeavesTheQueue() throws Exception {
        try (TestNode node = QueueNodes.node(redis, "q-noack")) {
            // Nobody logged in, joining allowed: the caller is answered and waits.
            node.bean(Queues.class).save("demo", QueueNodes.queue("7795", Strategy.LONGEST_IDLE, 15, 1, 0, 0,
                    List.of("1079")), false);
            InetSocketAddress nodeSip = new InetSocketAddress("127.0.0.1", node.sipPort());
            try (SippProcess caller = SippProcess.scenario("uac-call-no-ack.xml").remote(nodeSip)
                    .localPort(FreePorts.udpAndTcp()).serviceUser("7795").injection("SEQUENTIAL\n1001;"
                            + "[authentication username=1001 password=" + TestNode.PASSWORD + "]\n")
                    .calls(1).timeout(Duration.ofSeconds(90)).start()) {
                // Succeeds only once the node's BYE reached it, after 32 s of unacknowledged 200s.
                SippResult unacked = caller.awaitExit(Duration.ofSeconds(100));
                assertThat(unacked.allCallsSucceeded()).as(unacked.describe()).isTrue();
            }
            Redis redisClient = node.bean(Redis.class);
            Await.until("the caller left queue 7795", Duration.ofSeconds(30),
                    () -> redisClient.commands().zcard(Keys.queueWait("demo", "7795")) == 0);
            List<Map<String, String>> log = redisClient.commands().xrange(Keys.queueLog("demo"),
                    Range.create("-", "+")).stream().map(StreamMessage::getBody)
                    .filter(b -> "7795".equals(b.get("queue"))).toList();
            assertThat(log).extracting(e -> e.get("event")).containsExactly("ENTERQUEUE", "VANISHED");
            assertThat(log.get(1)).containsEntry("data1", "no-ack");
            String callId = log.get(1).get("callid");
            Await.until("the call's record", Duration.ofSeconds(30), () -> redisClient.commands()
                    .xrange(Keys.cdr("demo"), Range.create("-", "+")).stream()
                    .anyMatch(m -> callId.equals(m.getBody().get("callId"))));
            assertThat(redisClient.commands().xrange(Keys.cdr("demo"), Range.create("-", "+")).stream()
                    .map(StreamMessage::getBody).filter(b -> callId.equals(b.get("callId"))).findFirst().orElseThrow())
                    .containsEntry("endCause", "no-ack").containsEntry("hungUpBy", "system");
        }
    }
}
