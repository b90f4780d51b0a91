package io.tandem.backend.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;

/**
 * The real Redis binary shipped in {@code com.github.codemonstur:embedded-redis}, bound to loopback only
 * (it has no password), without persistence: the single-node demo's cluster state.
 */
final class EmbeddedRedis {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedRedis.class);

    private final RedisServer server;
    private final int port;

    private EmbeddedRedis(RedisServer server, int port) {
        this.server = server;
        this.port = port;
    }

    /** Starts on {@code port}, or on a free port when 0. */
    static EmbeddedRedis start(int port) {
        int chosen = port == 0 ? freePort() : port;
        try {
            RedisServer server = RedisServer.newRedisServer()
                    .port(chosen)
                    .bind("127.0.0.1")
                    .setting("save \"\"")
                    .setting("appendonly no")
                    // Stopped by the Spring context (Redis.close), after the heartbeat has left the cluster;
                    // the library's own JVM hook would race with that and kill Redis first.
                    .onShutdownForceStop(false)
                    .build();
            server.start();
            log.info("started embedded Redis on 127.0.0.1:{} (no persistence; set tandem.redis.uri for a real one)",
                    chosen);
            return new EmbeddedRedis(server, chosen);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("could not start the embedded Redis on 127.0.0.1:" + chosen
                    + " (is the port in use? set tandem.redis.embedded-port or tandem.redis.uri): " + e.getMessage(), e);
        }
    }

    int port() {
        return port;
    }

    void stop() {
        try {
            server.stop();
            log.info("stopped embedded Redis on 127.0.0.1:{}", port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port for the embedded Redis", e);
        }
    }
}
