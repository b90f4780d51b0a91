package io.tandem.backend.acd;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.backend.TestNode;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.Redis;
import io.tandem.backend.redis.RedisProperties;
import io.tandem.telephony.testing.Await;
import io.tandem.telephony.testing.RedisServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A node that crashed in the middle of a direct call left the agent counted as on it; started again under the same
 * id, the node carries no call, so it clears its own counts (the agent would otherwise never be offered a queue call
 * again) and leaves the other nodes' alone.
 */
class DirectCallRestartIT {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    @Test
    void aRestartedNodeForgetsTheDirectCallsItCountedBeforeItsCrash() throws InterruptedException {
        try (Redis r = Redis.connect(new RedisProperties(redis.uri(), 0, Duration.ofSeconds(5), 1000, 10_000))) {
            String agent = Keys.agent("demo", "1001");
            // What the crashed process left (acd/direct.lua), and a call another node still carries.
            r.commands().sadd(Keys.tenants(), "demo");
            r.commands().hset(agent, Map.of("direct:dr1", "1", "direct:dr2", "1"));
            r.commands().sadd(Keys.directCalls("demo", "dr1"), "1001");

            try (TestNode node = TestNode.start("tandem.redis.uri=" + redis.uri(), "tandem.node.id=dr1")) {
                Await.until("dr1 clears what it counted before", Duration.ofSeconds(30),
                        () -> r.commands().hget(agent, "direct:dr1") == null);
                assertThat(r.commands().exists(Keys.directCalls("demo", "dr1"))).isZero();
                assertThat(r.commands().hget(agent, "direct:dr2")).as("another node's call").isEqualTo("1");
            }
        }
    }
}
