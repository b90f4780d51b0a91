package io.tandem.telephony.testing;

import io.tandem.telephony.peers.FreePorts;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A Sentinel-managed Redis, one per test class ({@code @RegisterExtension static final SentinelGroup redis = new
 * SentinelGroup();}): a master and two replicas ({@code redis-server --replicaof}) and three {@code redis-sentinel}
 * processes (Debian package {@code redis-sentinel}) watching it as {@value #MASTER} with a quorum of two, all on free
 * loopback ports, their config files, logs and data in one temp directory. Failure detection is short for tests
 * (down after {@value #DOWN_AFTER_MS} ms). {@link #killMaster()} SIGKILLs the master, as a crash would, and
 * {@link #awaitFailover} waits until all three sentinels name the same new master and it acts as one.
 *
 * <p>Like {@link RedisServer}, it talks to the processes with raw RESP, so the test-jar needs no Redis client.
 */
public final class SentinelGroup implements BeforeAllCallback, AfterAllCallback, AutoCloseable {

    /** The name the sentinels monitor the master under ({@code redis-sentinel://…#tandem}). */
    public static final String MASTER = "tandem";
    /** How long a master must be silent before a sentinel thinks it down; production runs 5000-30000. */
    static final int DOWN_AFTER_MS = 1000;
    /** How long a failover may take before another sentinel retries it. */
    static final int FAILOVER_TIMEOUT_MS = 10_000;

    private static final List<String> DIRECTORIES = List.of("/usr/bin", "/usr/local/bin");

    private final List<Instance> servers = new ArrayList<>();
    private final List<Instance> sentinels = new ArrayList<>();
    private Path dir;
    private int masterPort;

    /** One process of the group: its port, log and (once started) process. */
    private record Instance(int port, Path log, Process process) {
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    /** Starts the master, the replicas and the sentinels, and returns once the sentinels know all of them. */
    public synchronized void start() throws IOException, InterruptedException {
        dir = Files.createTempDirectory("redis-sentinel-");
        String server = binary("redis-server");
        String sentinel = binary("redis-sentinel");
        masterPort = FreePorts.udpAndTcp();
        servers.add(startServer(server, masterPort, List.of()));
        for (int i = 0; i < 2; i++) {
            servers.add(startServer(server, FreePorts.udpAndTcp(),
                    List.of("--replicaof", "127.0.0.1", Integer.toString(masterPort))));
        }
        Await.until("both replicas in sync with the master", Duration.ofSeconds(30),
                () -> onlineReplicas(masterPort) == 2, () -> tail(servers.get(0)));
        for (int i = 0; i < 3; i++) {
            int port = FreePorts.udpAndTcp();
            Path config = dir.resolve("sentinel-" + port + ".conf");
            Files.writeString(config, String.join("\n",
                    "port " + port,
                    "bind 127.0.0.1",
                    "daemonize no",
                    "dir " + dir,
                    "sentinel monitor " + MASTER + " 127.0.0.1 " + masterPort + " 2",
                    "sentinel down-after-milliseconds " + MASTER + " " + DOWN_AFTER_MS,
                    "sentinel failover-timeout " + MASTER + " " + FAILOVER_TIMEOUT_MS,
                    "sentinel parallel-syncs " + MASTER + " 1",
                    ""));
            sentinels.add(startProcess(List.of(sentinel, config.toString()), port));
        }
        // Sentinels find each other and the replicas through the master (hello messages every 2 s, INFO every 10 s):
        // a failover before they do could not reach its quorum or would have no replica to promote.
        for (Instance s : sentinels) {
            Await.until("sentinel " + s.port() + " knows the other sentinels and both replicas", Duration.ofSeconds(60),
                    () -> count(s.port(), "SENTINEL", "SENTINELS", MASTER) == 2
                            && count(s.port(), "SENTINEL", "REPLICAS", MASTER) == 2,
                    () -> tail(s));
        }
    }

    /** The URI a node is given: all three sentinels and the master's name. */
    public String uri() {
        return "redis-sentinel://" + sentinels.stream().map(s -> "127.0.0.1:" + s.port())
                .collect(Collectors.joining(",")) + "#" + MASTER;
    }

    /** The port of the current master as this group last saw it. */
    public synchronized int masterPort() {
        return masterPort;
    }

    /** SIGKILLs the master: no shutdown save, its clients' connections reset, as when its machine dies. */
    public synchronized void killMaster() throws InterruptedException {
        Instance master = servers.stream().filter(s -> s.port() == masterPort).findFirst().orElseThrow();
        master.process().destroyForcibly();
        master.process().waitFor(10, TimeUnit.SECONDS);
    }

    /**
     * Waits until all three sentinels name one new master (not the killed one) and that server reports the master
     * role, then returns its port.
     */
    public synchronized int awaitFailover(Duration timeout) {
        int old = masterPort;
        masterPort = Await.value("the sentinels to agree on a new master", timeout, () -> {
            List<Integer> named = new ArrayList<>();
            for (Instance s : sentinels) {
                Object reply = call(s.port(), "SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER);
                if (!(reply instanceof List<?> address) || address.size() != 2) {
                    return Optional.empty();
                }
                named.add(Integer.parseInt((String) address.get(1)));
            }
            int candidate = named.get(0);
            boolean agreed = candidate != old && named.stream().allMatch(p -> p == candidate)
                    && call(candidate, "ROLE") instanceof List<?> role && "master".equals(role.get(0));
            return agreed ? Optional.of(candidate) : Optional.empty();
        }, () -> sentinels.stream().map(this::tail).collect(Collectors.joining("\n")));
        return masterPort;
    }

    @Override
    public synchronized void close() {
        List<Instance> all = new ArrayList<>(sentinels);
        all.addAll(servers);
        for (Instance instance : all) {
            instance.process().destroy();
        }
        for (Instance instance : all) {
            try {
                if (!instance.process().waitFor(10, TimeUnit.SECONDS)) {
                    instance.process().destroyForcibly();
                }
            } catch (InterruptedException e) {
                instance.process().destroyForcibly();
                Thread.currentThread().interrupt();
            }
            FreePorts.release(instance.port(), 1);
        }
        sentinels.clear();
        servers.clear();
    }

    private Instance startServer(String binary, int port, List<String> extra) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(binary, "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--dir", dir.toString(), "--dbfilename", "dump-" + port + ".rdb",
                "--save", "", "--appendonly", "no"));
        command.addAll(extra);
        return startProcess(command, port);
    }

    private Instance startProcess(List<String> command, int port) throws IOException, InterruptedException {
        Path log = dir.resolve(new File(command.get(0)).getName() + "-" + port + ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Instance instance = new Instance(port, log, process);
        Await.until(command.get(0) + " answering PING on " + port, Duration.ofSeconds(20),
                () -> "PONG".equals(call(port, "PING")), () -> tail(instance));
        return instance;
    }

    private static int onlineReplicas(int port) {
        Object info = call(port, "INFO", "replication");
        if (!(info instanceof String text)) {
            return 0;
        }
        return (int) text.lines().filter(l -> l.startsWith("slave") && l.contains("state=online")).count();
    }

    private static int count(int port, String... command) {
        return call(port, command) instanceof List<?> items ? items.size() : -1;
    }

    private String tail(Instance instance) {
        try {
            List<String> lines = Files.readAllLines(instance.log());
            return instance.log() + ":\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return instance.log() + ": " + e;
        }
    }

    private static String binary(String name) {
        return DIRECTORIES.stream().map(d -> d + "/" + name).filter(p -> new File(p).canExecute()).findFirst()
                .orElseThrow(() -> new IllegalStateException(
                        name + " not found (looked in " + DIRECTORIES + "): apt-get install " + name));
    }

    /**
     * One command over a fresh connection, its RESP reply as a String, Long, List or {@link RespError}; null when
     * nothing answers (not started yet, or killed), which the polling callers treat as "not yet".
     */
    static Object call(int port, String... command) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            StringBuilder request = new StringBuilder("*").append(command.length).append("\r\n");
            for (String part : command) {
                request.append('$').append(part.getBytes(StandardCharsets.UTF_8).length).append("\r\n")
                        .append(part).append("\r\n");
            }
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            return read(new BufferedInputStream(socket.getInputStream()));
        } catch (IOException notAnswering) {
            return null;
        }
    }

    /** An error reply ({@code -ERR …}). */
    record RespError(String message) {
    }

    private static Object read(InputStream in) throws IOException {
        int type = in.read();
        String line = line(in);
        switch (type) {
            case '+':
                return line;
            case '-':
                return new RespError(line);
            case ':':
                return Long.parseLong(line);
            case '$': {
                int length = Integer.parseInt(line);
                if (length < 0) {
                    return null;
                }
                byte[] data = in.readNBytes(length + 2);
                return new String(data, 0, length, StandardCharsets.UTF_8);
            }
            case '*': {
                int count = Integer.parseInt(line);
                List<Object> items = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    items.add(read(in));
                }
                return items;
            }
            default:
                throw new IOException("not a RESP reply: " + (char) type + line);
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\r') {
            if (b < 0) {
                throw new IOException("connection closed mid-reply");
            }
            bytes.write(b);
        }
        in.read(); // the '\n' after '\r'
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
