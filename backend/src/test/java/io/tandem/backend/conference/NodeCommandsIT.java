package io.tandem.backend.conference;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.Consumer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tandem.backend.TestNode;
import io.tandem.backend.redis.Keys;
import io.tandem.protocol.callback.CallbackKeys;
import io.tandem.protocol.callback.NodeCommand;
import io.tandem.telephony.peers.FreePorts;
import io.tandem.telephony.testing.Await;
import io.tandem.telephony.testing.RedisServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The node's command stream across a restart: entries this node read but never acknowledged (it died while
 * handling them) are read again first and acknowledged; entries written while it was down are read; a malformed
 * entry is acknowledged and counted, not retried forever.
 */
class NodeCommandsIT {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    static double commands(TestNode node, String outcome) {
        Counter counter = node.bean(MeterRegistry.class).find("tandem.conference.commands").tag("outcome", outcome)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void pendingAndWaitingCommandsAreHandledOnStartAndAcknowledged() throws Exception {
        String stream = Keys.nodeCommands("c1");
        RedisClient client = RedisClient.create(redis.uri());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisCommands<String, String> redisCommands = connection.sync();
            // the node's previous life: the group exists, it read one command and died before acknowledging it
            redisCommands.xgroupCreate(XReadArgs.StreamOffset.from(stream, "0"), CallbackKeys.NODE_GROUP,
                    XGroupCreateArgs.Builder.mkstream());
            redisCommands.xadd(stream, new NodeCommand("pending-1", NodeCommand.Kind.CLOSE_ROOM, "demo", "gone-room",
                    "", "timeout", 1L).fields());
            assertThat(redisCommands.xreadgroup(Consumer.from(CallbackKeys.NODE_GROUP, "c1"),
                    XReadArgs.StreamOffset.lastConsumed(stream))).hasSize(1);
            // written while it was down: a command for a room it no longer holds, and an entry that is no command
            redisCommands.xadd(stream, new NodeCommand("waiting-1", NodeCommand.Kind.CALL_INTO_ROOM, "demo",
                    "gone-room", "1011", "", 2L).fields());
            redisCommands.xadd(stream, Map.of("kind", "dance"));

            int rtp = FreePorts.alignedBlock(10);
            try (TestNode node = TestNode.start("tandem.redis.uri=" + redis.uri(), "tandem.node.id=c1",
                    "tandem.node.cluster-secret=node-commands-it-secret-0123456789",
                    "tandem.sip.rtp-port-min=" + rtp, "tandem.sip.rtp-port-max=" + (rtp + 9))) {
                Await.until("both commands read and found no room, the bad entry counted", Duration.ofSeconds(30),
                        () -> commands(node, "no-room") == 2 && commands(node, "malformed") == 1);
                Await.until("nothing left pending", Duration.ofSeconds(30),
                        () -> redisCommands.xpending(stream, CallbackKeys.NODE_GROUP).getCount() == 0);
                assertThat(redisCommands.get(Keys.doneCommand("c1", "pending-1"))).isEqualTo("1");
                assertThat(redisCommands.ttl(Keys.doneCommand("c1", "waiting-1"))).isPositive();
            }
        } finally {
            client.shutdown();
        }
    }
}
