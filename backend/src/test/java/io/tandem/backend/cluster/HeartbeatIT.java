package io.tandem.backend.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.Redis;
import io.tandem.backend.redis.RedisProperties;
import io.tandem.telephony.testing.Await;
import io.tandem.telephony.testing.RedisServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Membership against a real Redis: the key TTL is the failure detector. */
class HeartbeatIT {

    @RegisterExtension
    static final RedisServer server = new RedisServer();

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T12:00:00Z"), ZoneOffset.UTC);

    private Redis redis;
    private NodeRegistry registry;
    private ScheduledExecutorService executor;

    @BeforeEach
    void connect() {
        redis = Redis.connect(new RedisProperties(server.uri(), 0, Duration.ofSeconds(5), 1000, 10_000));
        redis.commands().flushall();
        registry = new NodeRegistry(redis);
        executor = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterEach
    void disconnect() {
        executor.shutdownNow();
        redis.close();
    }

    private Heartbeat heartbeat(String id, int calls) {
        return new Heartbeat(redis, CLOCK, executor, id, "1.2.3", Duration.ofMillis(250), Duration.ofSeconds(2),
                () -> calls, () -> calls * 10);
    }

    @Test
    void aBeatingNodeIsAliveAndDescribed() {
        Heartbeat beat = heartbeat("n1", 7);
        beat.start("sip:127.0.0.1:5060", "http://127.0.0.1:8080");
        assertThat(registry.isAlive("n1")).isTrue();
        assertThat(registry.aliveNodes()).containsExactly(new NodeInfo("n1", "sip:127.0.0.1:5060",
                "http://127.0.0.1:8080", "1.2.3", CLOCK.instant(), CLOCK.instant(), 7, 70));
        assertThat(redis.commands().pttl(Keys.node("n1"))).isBetween(1L, 2000L);
        beat.close();
        assertThat(registry.isAlive("n1")).isFalse();
        assertThat(redis.commands().smembers(Keys.nodes())).doesNotContain("n1");
    }

    @Test
    void aNodeThatStopsBeatingDisappearsAfterItsTtlAndIsPruned() throws InterruptedException {
        Heartbeat crashed = heartbeat("n2", 0);
        Heartbeat alive = heartbeat("n3", 0);
        crashed.start("sip:127.0.0.1:5062", "http://127.0.0.1:8082");
        alive.start("sip:127.0.0.1:5064", "http://127.0.0.1:8084");
        crashed.stopBeating(); // what a crash looks like: no clean leave

        Await.until("n2's heartbeat key expires", Duration.ofSeconds(30), () -> !registry.isAlive("n2"));
        // n3 kept beating across several TTLs.
        assertThat(registry.isAlive("n3")).isTrue();
        assertThat(redis.commands().smembers(Keys.nodes())).contains("n2");
        assertThat(registry.aliveNodes()).extracting(NodeInfo::id).containsExactly("n3");
        assertThat(redis.commands().smembers(Keys.nodes())).containsExactly("n3");
        alive.close();
    }

    @Test
    void aSecondProcessWithTheSameIdIsRefused() {
        Heartbeat first = heartbeat("n1", 0);
        first.start("sip:127.0.0.1:5060", "http://127.0.0.1:8080");
        Heartbeat impostor = heartbeat("n1", 0);
        assertThatThrownBy(() -> impostor.start("sip:127.0.0.1:5070", "http://127.0.0.1:8090"))
                .hasMessageContaining("tandem.node.id: 'n1' is already used");
        assertThat(registry.find("n1")).get().extracting(NodeInfo::http).isEqualTo("http://127.0.0.1:8080");
        // The impostor's clean-up must not remove the real node.
        impostor.close();
        assertThat(registry.isAlive("n1")).isTrue();
        first.close();
    }
}
