package io.tandem.telephony.testing;

import io.tandem.telephony.peers.FreePorts;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real {@code redis-server} process (Debian package {@code redis-server}) on a free loopback port, one per test
 * class: {@code @RegisterExtension static final RedisServer redis = new RedisServer();}, or outside JUnit's
 * lifecycle {@code try (RedisServer redis = RedisServer.started())}. By default it keeps nothing on disk;
 * {@link #persistent()} writes an append-only file in a temp directory, so a restart keeps the data as a production
 * Redis with persistence does. Only the binary is started and probed with a raw PING: the test-jar stays free of a
 * Redis client, as telephony is.
 */
public final class RedisServer implements BeforeAllCallback, AfterAllCallback, AutoCloseable {

    private static final List<String> CANDIDATES = List.of("/usr/bin/redis-server", "/usr/local/bin/redis-server");

    private final boolean persistent;
    private Path dataDir;
    private Process process;
    private int port;
    private Path log;

    public RedisServer() {
        this(false);
    }

    private RedisServer(boolean persistent) {
        this.persistent = persistent;
    }

    /**
     * A Redis that survives its restarts: an append-only file fsynced every second, Redis's default and what a
     * production Redis with persistence runs. {@link #stop()} sends SIGTERM, on which Redis writes and fsyncs the
     * file before it exits, so a restart loses nothing acknowledged. Not {@code appendfsync always}: that makes every
     * write wait for the disk in Redis's one thread, and on a machine busy with other writes (two test forks, logs,
     * recordings) a stalled fsync can hold heartbeats back past their TTL, and live nodes look dead.
     */
    public static RedisServer persistent() {
        return new RedisServer(true);
    }

    /** A Redis already answering PING, for tests that manage its lifetime themselves. */
    public static RedisServer started() throws IOException, InterruptedException {
        RedisServer redis = new RedisServer();
        redis.start();
        return redis;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }

    public synchronized void start() throws IOException, InterruptedException {
        start(0);
    }

    /** Starts again on the port it had, as a restarted Redis would come back (for reconnection tests). */
    public synchronized void restart() throws IOException, InterruptedException {
        stop();
        start(port);
    }

    /** Starts again on the port it had after {@link #stop()}: the second half of a restart with an outage between. */
    public synchronized void startAgain() throws IOException, InterruptedException {
        start(port);
    }

    private void start(int fixedPort) throws IOException, InterruptedException {
        String binary = CANDIDATES.stream().filter(p -> new File(p).canExecute()).findFirst()
                .orElseThrow(() -> new IllegalStateException(
                        "redis-server not found (looked in " + CANDIDATES + "): apt-get install redis-server"));
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            port = fixedPort != 0 ? fixedPort : freePort();
            log = Files.createTempFile("redis-" + port + "-", ".log");
            List<String> command = new ArrayList<>(List.of(binary, "--port", Integer.toString(port),
                    "--bind", "127.0.0.1", "--save", "", "--protected-mode", "yes"));
            if (persistent) {
                if (dataDir == null) {
                    dataDir = Files.createTempDirectory("redis-data-");
                }
                command.addAll(List.of("--dir", dataDir.toString(), "--appendonly", "yes",
                        "--appendfsync", "everysec"));
            } else {
                command.addAll(List.of("--appendonly", "no"));
            }
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (awaitPong(Duration.ofSeconds(20))) {
                return;
            }
            process.destroyForcibly();
            last = new IOException("redis-server did not answer PING on port " + port + ": "
                    + Files.readString(log));
        }
        throw last;
    }

    public synchronized void stop() {
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    public int port() {
        return port;
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    private boolean awaitPong(Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline) && process.isAlive()) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
                socket.setSoTimeout(2000);
                OutputStream out = socket.getOutputStream();
                out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = socket.getInputStream();
                byte[] reply = new byte[7];
                int n = in.read(reply);
                if (n > 0 && new String(reply, 0, n, StandardCharsets.US_ASCII).startsWith("+PONG")) {
                    return true;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            TimeUnit.MILLISECONDS.sleep(50); // polling interval of a readiness probe, not a synchronisation stand-in
        }
        return false;
    }

    /** A TCP (and UDP) port free on loopback, for Redis or anything else a test starts next to it. */
    public static int freePort() {
        return FreePorts.udpAndTcp();
    }
}
