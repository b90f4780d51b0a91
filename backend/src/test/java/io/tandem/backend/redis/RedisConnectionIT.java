package io.tandem.backend.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.tandem.backend.node.InvalidConfigurationException;
import io.tandem.telephony.testing.Await;
import io.tandem.telephony.testing.RedisServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
    void aFirstConnectionThatTimesOutIsTriedAgainAsANodeStartingOnALoadedMachineNeeds() throws Exception {
        // Redis is up, but the first connection gets no answer within the command timeout (on a loaded machine the
        // client's start and the handshake can take longer): the node tries again instead of refusing to start.
        try (SilentFirstConnection proxy = new SilentFirstConnection(server.port());
             Redis redis = Redis.connect(new RedisProperties("redis://127.0.0.1:" + proxy.port(), 0,
                     Duration.ofMillis(500), 100, 10_000))) {
            assertThat(redis.commands().ping()).isEqualTo("PONG");
            assertThat(proxy.accepted()).as("connections the proxy accepted").isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void aRefusedFirstConnectionFailsAtOnceNamingTheProperty() throws Exception {
        int closed = RedisServer.freePort();
        long started = System.nanoTime();
        assertThatThrownBy(() -> Redis.connect(new RedisProperties("redis://127.0.0.1:" + closed, 0,
                Duration.ofSeconds(2), 100, 10_000)))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("tandem.redis.uri");
        assertThat(Duration.ofNanos(System.nanoTime() - started))
                .as("not retried for the patience a timeout gets").isLessThan(Redis.FIRST_CONNECTION_PATIENCE);
    }

    /**
     * A loopback proxy to Redis that holds its first connection open without a byte in either direction and
     * forwards every later one.
     */
    private static final class SilentFirstConnection implements AutoCloseable {
        private final ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final AtomicInteger accepted = new AtomicInteger();
        private final List<Socket> open = new CopyOnWriteArrayList<>();

        SilentFirstConnection(int redisPort) throws IOException {
            Thread acceptor = new Thread(() -> {
                while (!listener.isClosed()) {
                    try {
                        Socket client = listener.accept();
                        open.add(client);
                        if (accepted.incrementAndGet() == 1) {
                            continue; // held silent
                        }
                        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), redisPort);
                        open.add(upstream);
                        pipe(client, upstream);
                        pipe(upstream, client);
                    } catch (IOException closedOrGone) {
                        return;
                    }
                }
            }, "silent-first-connection");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        private static void pipe(Socket from, Socket to) {
            Thread copier = new Thread(() -> {
                try {
                    from.getInputStream().transferTo(to.getOutputStream());
                } catch (IOException closed) {
                    // either side went away
                }
            });
            copier.setDaemon(true);
            copier.start();
        }

        int port() {
            return listener.getLocalPort();
        }

        int accepted() {
            return accepted.get();
        }

        @Override
        public void close() throws IOException {
            listener.close();
            for (Socket socket : open) {
                socket.close();
            }
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
