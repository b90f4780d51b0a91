package io.tandem.backend.queuecall;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.tandem.backend.TestNode;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.Redis;
import io.tandem.telephony.testing.Await;
import io.tandem.telephony.testing.RedisServer;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A caller whose phone vanishes without a BYE while it waits in queue 7000: no RTP from it, so the node asks with an
 * in-dialog OPTIONS; an answer keeps it waiting (asked again after the next silence), no answer takes it out of the
 * queue — BYE, VANISHED in the queue log (not ABANDON), CDR cause {@code vanished} — before any agent is offered it.
 */
class VanishedCallerIT {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void aRawCallerThatStopsAnsweringIsTakenOutOfTheQueueAndRecordedAsVanished() throws Exception {
        try (TestNode node = QueueNodes.node(redis, "q-vanish", "tandem.queuecall.caller-silence=2s",
                "tandem.queuecall.probe-timeout=2s");
             RawCaller caller = new RawCaller(node.sipPort(), "1001", TestNode.PASSWORD)) {
            Redis redisClient = node.bean(Redis.class);
            caller.call("7000");
            Await.until("the caller waits in 7000", WAIT, () -> redisClient.commands()
                    .zscore(Keys.queueWait("demo", "7000"), caller.callId) != null);

            // Silent but there: the first probe is answered and the caller keeps its place.
            assertThat(caller.nextRequest(WAIT, 200)).as("the first probe").contains("OPTIONS");
            // Asked again after the next silence; now the phone is gone and answers nothing.
            assertThat(caller.nextRequest(WAIT, 0)).as("the second probe").contains("OPTIONS");
            assertThat(awaitBye(caller)).as("the node hangs up the vanished caller").isTrue();

            Await.until("the caller is out of 7000", WAIT, () -> redisClient.commands()
                    .zscore(Keys.queueWait("demo", "7000"), caller.callId) == null);
            Await.until("the call's record", WAIT, () -> !cdr(redisClient, caller.callId).isEmpty());
            List<Map<String, String>> log = queueLog(redisClient, caller.callId);
            assertThat(log).extracting(e -> e.get("event")).containsExactly("ENTERQUEUE", "VANISHED");
            assertThat(log.get(1)).containsEntry("queue", "7000").containsEntry("data1", "silent")
                    .containsEntry("agent", "NONE");
            assertThat(cdr(redisClient, caller.callId)).containsEntry("endCause", "vanished")
                    .containsEntry("hungUpBy", "system").containsEntry("answeredAt", "");
        }
    }

    /** Reads the node's requests (the unanswered OPTIONS retransmitted) until its BYE, which is answered. */
    private static boolean awaitBye(RawCaller caller) throws IOException {
        Instant until = Instant.now().plus(WAIT);
        while (Instant.now().isBefore(until)) {
            Optional<String> request = caller.nextRequest(Duration.between(Instant.now(), until), 0);
            if (request.isEmpty()) {
                return false;
            }
            if ("BYE".equals(request.get())) {
                return true;
            }
        }
        return false;
    }

    private static List<Map<String, String>> queueLog(Redis redis, String callId) {
        return redis.commands().xrange(Keys.queueLog("demo"), Range.create("-", "+")).stream()
                .map(StreamMessage::getBody).filter(b -> callId.equals(b.get("callid"))).toList();
    }

    private static Map<String, String> cdr(Redis redis, String callId) {
        return redis.commands().xrange(Keys.cdr("demo"), Range.create("-", "+")).stream()
                .map(StreamMessage::getBody).filter(b -> callId.equals(b.get("callId"))).findFirst()
                .orElse(Map.of());
    }
}
