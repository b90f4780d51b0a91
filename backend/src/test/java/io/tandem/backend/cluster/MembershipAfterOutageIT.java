package io.tandem.backend.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.OutageEvents;
import io.tandem.backend.redis.Redis;
import io.tandem.backend.redis.RedisProperties;
import io.tandem.telephony.testing.Await;
import io.tandem.telephony.testing.RedisServer;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Membership across a Redis restart. A restarted Redis has dropped every heartbeat key whose time ran out while it was
 * down; until the nodes have reconnected and beaten again, a node seen alive just before the outage still counts as
 * alive, this node always counts itself alive, and a node nobody saw before stays dead.
 */
class MembershipAfterOutageIT {

    @RegisterExtension
    static final RedisServer server = RedisServer.persistent();

    /**
     * Long enough that only the beat on reconnection, not the next scheduled one, can restore a key in the test:
     * well beyond the whole test with its 30 s await budgets.
     */
    private static final Duration INTERVAL = Duration.ofMinutes(10);
    private static final Duration TTL = Duration.ofSeconds(2);

    private Redis redis;
    private Redis other;
    private ScheduledExecutorService executor;

    @BeforeEach
    void connect() {
        redis = Redis.connect(new RedisProperties(server.uri(), 0, Duration.ofSeconds(1), 1000, 10_000));
        other = Redis.connect(new RedisProperties(server.uri(), 0, Duration.ofSeconds(1), 1000, 10_000));
        redis.commands().flushall();
        executor = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterEach
    void disconnect() {
        executor.shutdownNow();
        redis.close();
        other.close();
    }

    @Test
    void aNodeSeenBeforeARedisRestartCountsAsAliveUntilItBeatsAgainOrTheGracePasses() throws Exception {
        NodeRegistry registry = new NodeRegistry(redis, "self", TTL);
        Heartbeat b = new Heartbeat(other, Clock.systemUTC(), executor, "b", "1", INTERVAL, TTL, () -> 0, () -> 0);
        b.start("sip:127.0.0.1:5062", "http://127.0.0.1:8082");
        assertThat(registry.aliveIds()).containsExactlyInAnyOrder("self", "b");
        b.stopBeating();

        // Without an outage, a missing key is a dead node at once.
        redis.commands().hset(Keys.node("c"), "sip", "sip:127.0.0.1:5064");
        assertThat(registry.isAlive("c")).isTrue();
        redis.commands().del(Keys.node("c"));
        assertThat(registry.isAlive("c")).isFalse();

        // Redis goes away and comes back without b's key (as after an outage longer than the TTL).
        redis.commands().del(Keys.node("b"));
        server.stop();
        Await.until("the node notices Redis is gone", Duration.ofSeconds(30),
                () -> redis.outages().last().isPresent());
        server.startAgain();
        Await.until("the node reconnects", Duration.ofSeconds(30),
                () -> redis.outages().last().orElseThrow().restored() != null);

        assertThat(redis.commands().exists(Keys.node("b"))).isZero();
        assertThat(registry.isAlive("b")).as("b was alive before the outage").isTrue();
        assertThat(registry.aliveIds()).containsExactlyInAnyOrder("self", "b");
        NodeRegistry.Probe probe = registry.probe();
        assertThat(probe.alive("b")).isTrue();
        assertThat(probe.sip("b")).as("the trunk reaches b where it last was").contains("sip:127.0.0.1:5062");
        assertThat(probe.alive("c")).isFalse();
        assertThat(registry.isAlive("self")).as("this node, which has no key at all").isTrue();
        assertThat(registry.isAlive("unknown")).as("a node nobody saw alive").isFalse();
        assertThat(registry.isAlive("c")).as("c was already dead before the outage").isFalse();

        // b never beats again: once the grace (two TTLs) has passed it is dead.
        Await.until("b is taken for dead after the grace", Duration.ofSeconds(30), () -> !registry.isAlive("b"));
        assertThat(registry.aliveIds()).containsExactly("self");
        assertThat(registry.probe().sip("b")).isEmpty();
    }

    /**
     * Lettuce reports a reconnection on its event thread, often after the commands that waited for the connection
     * have been answered: a sweep then reads the membership of a restarted Redis while this node still takes Redis for
     * away. That read must already count as after the outage, or it takes b for dead and forgets it for good.
     */
    @Test
    void aReadAnsweredBeforeTheReconnectionIsReportedIsInTheOutageGrace() throws Exception {
        NodeRegistry registry = new NodeRegistry(redis, "self", TTL);
        Heartbeat b = new Heartbeat(other, Clock.systemUTC(), executor, "b", "1", INTERVAL, TTL, () -> 0, () -> 0);
        b.start("sip:127.0.0.1:5062", "http://127.0.0.1:8082");
        assertThat(registry.aliveIds()).containsExactlyInAnyOrder("self", "b");
        b.stopBeating();

        // Redis came back without b's key; the connection answers, but its reconnection is not reported yet.
        redis.commands().del(Keys.node("b"));
        OutageEvents.lost(redis, server.port());
        assertThat(redis.outages().last().orElseThrow().restored()).isNull();

        assertThat(registry.aliveIds()).as("b was alive just before the outage").containsExactlyInAnyOrder("self", "b");
        assertThat(registry.probe().sip("b")).contains("sip:127.0.0.1:5062");
        OutageEvents.restored(redis, server.port());
        assertThat(registry.isAlive("b")).as("b was not forgotten before the reconnection was reported").isTrue();

        Await.until("b is taken for dead after the grace", Duration.ofSeconds(30), () -> !registry.isAlive("b"));
    }

    /** The grace of an outage whose end is never reported runs from the first read answered after it. */
    @Test
    void theGraceOfAnOutageNeverReportedOverStillEnds() throws Exception {
        NodeRegistry registry = new NodeRegistry(redis, "self", TTL);
        redis.commands().hset(Keys.node("b"), "sip", "sip:127.0.0.1:5062");
        assertThat(registry.isAlive("b")).isTrue();

        redis.commands().del(Keys.node("b"));
        OutageEvents.lost(redis, server.port());
        assertThat(registry.isAlive("b")).isTrue();
        Await.until("b is taken for dead after the grace", Duration.ofSeconds(30), () -> !registry.isAlive("b"));
        assertThat(registry.aliveIds()).containsExactly("self");
    }

    @Test
    void aBeatingNodeWritesItsKeyAsSoonAsRedisIsBack() throws Exception {
        NodeRegistry registry = new NodeRegistry(redis);
        Heartbeat b = new Heartbeat(other, Clock.systemUTC(), executor, "b", "1", INTERVAL, TTL, () -> 0, () -> 0);
        b.start("sip:127.0.0.1:5062", "http://127.0.0.1:8082");

        redis.commands().del(Keys.node("b")); // what the restart below would do once the TTL ran out
        server.stop();
        Await.until("the beating node notices Redis is gone", Duration.ofSeconds(30),
                () -> other.outages().last().isPresent());
        server.startAgain();
        // The next scheduled beat is 10 min away: only the beat on reconnection can write the key this soon.
        Await.until("b's key is back", Duration.ofSeconds(30), () -> {
            try {
                return redis.commands().exists(Keys.node("b")) == 1L;
            } catch (RuntimeException reconnecting) {
                return false;
            }
        });
        assertThat(registry.isAlive("b")).isTrue();
        b.close();
    }
}
