package io.tandem.backend.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.tandem.telephony.testing.Await;
import io.tandem.telephony.testing.RedisServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The facade against real Redis processes: reconnection after a restart, master discovery through Sentinel. */
class RedisConnectionIT {

    @RegisterExtension
    static final RedisServer server = new RedisServer();

    @Test
    void reconnectsByItselfWhenRedisComesBack() throws Exception {
        try (Redis redis = Redis.connect(new RedisProperties(server.uri(), 0, Duration.ofSeconds(2), 100, 10_000))) {
            redis.commands().set("tandem:probe", "before");
            server.restart(); // same port, empty data set (no persistence)
            Await.until("the connection is usable again", Duration.ofSeconds(30), () -> {
                try {
                    return "PONG".equals(redis.commands().ping());
                } catch (RuntimeException stillDown) {
                    return false;
                }
            });
            redis.commands().set("tandem:probe", "after");
            assertThat(redis.commands().get("tandem:probe")).isEqualTo("after");
        }
    }

    @Test
    void findsTheMasterThroughSentinel(@TempDir Path dir) throws Exception {
        int sentinelPort = RedisServer.freePort();
        Path config = dir.resolve("sentinel.conf");
        Files.writeString(config, "port " + sentinelPort + "\nbind 127.0.0.1\n"
                + "sentinel monitor tandem-master 127.0.0.1 " + server.port() + " 1\n");
        Process sentinel = new ProcessBuilder("/usr/bin/redis-server", config.toString(), "--sentinel")
                .redirectErrorStream(true).redirectOutput(dir.resolve("sentinel.log").toFile()).start();
        try {
            Await.until("sentinel answers", Duration.ofSeconds(30), () -> {
                RedisClient probe = RedisClient.create("redis://127.0.0.1:" + sentinelPort);
                try (StatefulRedisConnection<String, String> c = probe.connect()) {
                    return "PONG".equals(c.sync().ping());
                } catch (RuntimeException notYet) {
                    return false;
                } finally {
                    probe.shutdown();
                }
            });
            String uri = "redis-sentinel://127.0.0.1:" + sentinelPort + "#tandem-master";
            try (Redis redis = Redis.connect(new RedisProperties(uri, 0, Duration.ofSeconds(5), 100, 10_000))) {
                assertThat(redis.description()).isEqualTo("redis-sentinel://127.0.0.1:" + sentinelPort
                        + "#tandem-master");
                redis.commands().set("tandem:via-sentinel", "yes");
            }
            // The write landed on the master the sentinel named.
            RedisClient direct = RedisClient.create(server.uri());
            try (StatefulRedisConnection<String, String> c = direct.connect()) {
                assertThat(c.sync().get("tandem:via-sentinel")).isEqualTo("yes");
            } finally {
                direct.shutdown();
            }
        } finally {
            sentinel.destroy();
            if (!sentinel.waitFor(10, TimeUnit.SECONDS)) {
                sentinel.destroyForcibly();
            }
        }
    }

    @Test
    void anUnreachableRedisIsReportedWithTheProperty() throws Exception {
        int closed = RedisServer.freePort();
        RedisProperties properties = new RedisProperties("redis://127.0.0.1:" + closed, 0, Duration.ofSeconds(2), 10, 10_000);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Redis.connect(properties))
                .hasMessageContaining("tandem.redis.uri").hasMessageContaining("redis://127.0.0.1:" + closed);
    }
}
