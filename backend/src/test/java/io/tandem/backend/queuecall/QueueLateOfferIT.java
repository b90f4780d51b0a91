package io.tandem.backend.queuecall;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.tandem.backend.TestNode;
import io.tandem.backend.acd.queues.Queues;
import io.tandem.backend.acd.queues.Strategy;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.Redis;
import io.tandem.telephony.testing.Await;
import io.tandem.telephony.testing.RedisServer;
import io.tandem.telephony.ua.Call;
import io.tandem.telephony.ua.CallState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A caller to queue 7000 with a late offer (RFC 3261 §13.2.1: an INVITE without SDP): the node's 200 offers G.711,
 * the caller's ACK answers, and the caller reaches the agent with tones heard both ways.
 */
class QueueLateOfferIT {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    private static final Duration AUDIO = Duration.ofSeconds(30);

    @Test
    void aLateOfferCallerReachesTheAgentAndTheyHearEachOther() throws Exception {
        try (TestNode node = QueueNodes.node(redis, "q-late")) {
            node.bean(Queues.class).save("demo", QueueNodes.queue("7000", Strategy.LONGEST_IDLE, 15, 1, 0, 3,
                    List.of("1002")), false);
            try (QueuePhone agent = QueuePhone.agent(node, "1002", 440, 1000);
                 AgentDesk desk = AgentDesk.available(node, "1002").listen();
                 RawCaller caller = new RawCaller(node.sipPort(), "1001", TestNode.PASSWORD).listening(440)) {
                caller.callWithLateOffer("7000");
                caller.speak(1000);
                Call ringing = agent.nextIncoming();
                ringing.answer();
                agent.awaitState(ringing, CallState.CONNECTED);
                Await.until("the agent hears the late-offer caller's 1 kHz", AUDIO,
                        () -> agent.ear(ringing).toneFrames() > 25);
                Await.until("the late-offer caller hears the agent's 440 Hz", AUDIO,
                        () -> caller.ear().toneFrames() > 25);

                ringing.hangup();
                assertThat(caller.nextRequest(AUDIO, 200)).as("the caller's BYE").contains("BYE");
                Redis redisClient = node.bean(Redis.class);
                Await.until("the call's record", Duration.ofSeconds(30),
                        () -> !cdr(redisClient, caller.callId).isEmpty());
                assertThat(cdr(redisClient, caller.callId)).containsEntry("queue", "7000")
                        .containsEntry("agent", "1002").containsEntry("endCause", "normal")
                        .containsEntry("hungUpBy", "callee");
                desk.state("not-ready");
            }
        }
    }

    private static Map<String, String> cdr(Redis redis, String callId) {
        return redis.commands().xrange(Keys.cdr("demo"), Range.create("-", "+")).stream()
                .map(StreamMessage::getBody).filter(b -> callId.equals(b.get("callId"))).findFirst()
                .orElse(Map.of());
    }
}
