package io.tandem.backend.queuecall;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.Range;
import io.tandem.backend.TestNode;
import io.tandem.backend.acd.agents.AgentSessions;
import io.tandem.backend.acd.queues.Queues;
import io.tandem.backend.acd.queues.Strategy;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.Redis;
import io.tandem.protocol.AgentState;
import io.tandem.telephony.testing.Await;
import io.tandem.telephony.testing.RedisServer;
import io.tandem.telephony.ua.Call;
import io.tandem.telephony.ua.CallState;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The node holding a waiting caller dies while an agent on another node rings for it: the caller is removed as lost
 * to node failure (LOSTNODE, not ABANDON) and the agent's reservation lapses, so it is never stuck reserved.
 */
class QueueNodeFailureIT {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    static TestNode survivor;
    static TestNode doomed;

    @BeforeAll
    static void start() {
        survivor = QueueNodes.node(redis, "f1", "tandem.node.heartbeat-ttl=3s");
        doomed = QueueNodes.node(redis, "f2", "tandem.node.heartbeat-ttl=3s");
    }

    @AfterAll
    static void stop() {
        survivor.close();
    }

    @Test
    void aCallerWhoseNodeDiesIsLostToNodeFailureAndTheRingingAgentIsReleased() throws Exception {
        survivor.bean(Queues.class).save("demo", QueueNodes.queue("7400", Strategy.LONGEST_IDLE, 4, 1, 0, 0,
                List.of("1031")), false);
        try (QueuePhone agent = QueuePhone.agent(survivor, "1031", 440, 1000);
             AgentDesk desk = AgentDesk.available(survivor, "1031");
             QueuePhone caller = QueuePhone.caller("1032", 1000, 440)) {
            Call call = caller.dial(doomed, "7400");
            caller.awaitState(call, CallState.CONNECTED);
            agent.nextIncoming();
            AgentSessions sessions = survivor.bean(AgentSessions.class);
            assertThat(sessions.status("demo", "1031").state()).isEqualTo(AgentState.RESERVED);

            doomed.close();

            Await.until("the caller removed as lost to node failure", Duration.ofSeconds(30),
                    () -> survivor.bean(Redis.class).commands().xrange(Keys.queueLog("demo"), Range.create("-", "+"))
                            .stream().anyMatch(m -> call.id().equals(m.getBody().get("callid"))
                                    && "LOSTNODE".equals(m.getBody().get("event"))));
            Await.until("1031 no longer reserved", Duration.ofSeconds(30),
                    () -> sessions.status("demo", "1031").state() != AgentState.RESERVED);
            assertThat(survivor.bean(Redis.class).commands().zrange(Keys.queueWait("demo", "7400"), 0, -1))
                    .doesNotContain(call.id());
            assertThat(survivor.bean(Redis.class).commands().xrange(Keys.queueLog("demo"), Range.create("-", "+"))
                    .stream().filter(m -> call.id().equals(m.getBody().get("callid")))
                    .map(m -> m.getBody().get("event"))).doesNotContain("ABANDON");
            desk.state("not-ready");
        }
    }
}
