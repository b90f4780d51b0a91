package io.tandem.backend.redis;

import io.tandem.backend.node.InvalidConfigurationException;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.core.ExecutableProvider;

/**
 * The real Redis binary shipped in {@code com.github.codemonstur:embedded-redis}, bound to loopback only (it has
 * no password) and without persistence: the single-node demo's cluster state.
 *
 * <p>The library supplies the binary; the process is run here rather than through its {@code RedisServer}
 * because that class installs a JVM shutdown hook which kills Redis concurrently with Spring's shutdown, before
 * the node has left the cluster. Here the Spring context stops Redis last ({@link Redis#close}).
 */
final class EmbeddedRedis {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedRedis.class);
    private static final Duration STARTUP = Duration.ofSeconds(30);

    private final Process process;
    private final int port;
    private final Path output;

    private EmbeddedRedis(Process process, int port, Path output) {
        this.process = process;
        this.port = port;
        this.output = output;
    }

    /** Starts on {@code port}, or on a free port when 0. */
    static EmbeddedRedis start(int port) {
        int chosen = port == 0 ? freePort() : port;
        Process process = null;
        try {
            File binary = ExecutableProvider.newJarResourceProvider().get();
            Path output = Files.createTempFile("tandem-redis-" + chosen + "-", ".log");
            process = new ProcessBuilder(List.of(binary.getAbsolutePath(), "--port", Integer.toString(chosen),
                    "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "yes"))
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            awaitReady(process, output, chosen);
            log.info("started embedded Redis on 127.0.0.1:{} (no persistence; set tandem.redis.uri for a real one)",
                    chosen);
            return new EmbeddedRedis(process, chosen, output);
        } catch (IOException | RuntimeException e) {
            if (process != null) {
                process.destroyForcibly();
            }
            throw new InvalidConfigurationException("tandem.redis.embedded-port", "could not start the embedded"
                    + " Redis on 127.0.0.1:" + chosen + " (port in use? or set tandem.redis.uri): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the embedded Redis", e);
        }
    }

    /** Waits for Redis's own readiness line, or fails with what it printed. */
    private static void awaitReady(Process process, Path output, int port) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(STARTUP);
        while (Instant.now().isBefore(deadline)) {
            String printed = Files.readString(output);
            if (printed.contains("Ready to accept connections")) {
                return;
            }
            if (!process.isAlive()) {
                throw new IOException("redis-server exited: " + lastLine(printed));
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
        throw new IOException("redis-server not ready on port " + port + " after " + STARTUP.toSeconds() + " s");
    }

    private static String lastLine(String text) {
        String trimmed = text.strip();
        int newline = trimmed.lastIndexOf('\n');
        return newline < 0 ? trimmed : trimmed.substring(newline + 1);
    }

    int port() {
        return port;
    }

    void stop() {
        process.destroy(); // SIGTERM: Redis exits cleanly (no persistence configured, nothing to write)
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Files.deleteIfExists(output);
        } catch (IOException e) {
            log.debug("could not delete {}", output, e);
        }
        log.info("stopped embedded Redis on 127.0.0.1:{}", port);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port for the embedded Redis", e);
        }
    }
}
