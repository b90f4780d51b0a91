package io.tandem.bench.node;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A Tandem node as the bench runs it: the node jar in its own JVM, against a real {@code redis-server} on a free
 * port, with the bench users created from a directory seed file at start.
 */
public final class TandemRegistrar implements RegistrarUnderTest {

    public static final String TENANT = "bench";
    private static final int START_SECONDS = 600; // a 2-core machine shared with other builds took over 300 s

    private final String name;
    private final String jar;
    private final ChildProcess redis;
    private final ChildProcess node;
    private final int redisPort;
    private final int sipPort;

    private TandemRegistrar(String name, String jar, ChildProcess redis, ChildProcess node, int redisPort,
            int sipPort) {
        this.name = name;
        this.jar = jar;
        this.redis = redis;
        this.node = node;
        this.redisPort = redisPort;
        this.sipPort = sipPort;
    }

    /** Starts {@code nodeJar}; {@code name} labels it in the report (the current build, or a baseline). */
    public static TandemRegistrar start(String name, Path dir, Path nodeJar, BenchUsers users)
            throws IOException, InterruptedException {
        return start(name, dir, nodeJar, users, List.of());
    }

    /** As {@link #start(String, Path, Path, BenchUsers)}, with more {@code --property=value} arguments. */
    public static TandemRegistrar start(String name, Path dir, Path nodeJar, BenchUsers users,
            List<String> properties)
            throws IOException, InterruptedException {
        if (!Files.isRegularFile(nodeJar)) {
            throw new IOException("no node jar at " + nodeJar + " (build the backend module first)");
        }
        Files.createDirectories(dir);
        int redisPort = LoopbackPorts.tcp();
        ChildProcess redis = startRedis(dir, redisPort);
        try {
            byte[] secret = new byte[24];
            ThreadLocalRandom.current().nextBytes(secret);
            return start(name, dir, nodeJar, users, properties, redis, redisPort, "redis://127.0.0.1:" + redisPort,
                    "bench", HexFormat.of().formatHex(secret), LoopbackPorts.udpAndTcp());
        } catch (IOException | InterruptedException | RuntimeException e) {
            redis.close();
            throw e;
        }
    }

    /** A redis-server on loopback, no persistence, answering PING. */
    public static ChildProcess startRedis(Path dir, int redisPort) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        ChildProcess redis = ChildProcess.start("redis-server", dir, List.of("redis-server", "--port",
                Integer.toString(redisPort), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                "--dir", dir.toAbsolutePath().toString()), Map.of());
        try {
            awaitRedis(redisPort, redis);
            return redis;
        } catch (IOException | InterruptedException | RuntimeException e) {
            redis.close();
            throw e;
        }
    }

    /**
     * A node of a cluster on a Redis the caller owns ({@code redisPort}; closing the node leaves it running), with
     * its own node id and the cluster's shared secret (hex).
     */
    public static TandemRegistrar startOnRedis(String name, Path dir, Path nodeJar, BenchUsers users,
            List<String> properties, int redisPort, String nodeId, String secretHex)
            throws IOException, InterruptedException {
        return startOnRedis(name, dir, nodeJar, users, properties, redisPort, nodeId, secretHex,
                LoopbackPorts.udpAndTcp());
    }

    /**
     * As {@link #startOnRedis(String, Path, Path, BenchUsers, List, int, String, String)} on a given SIP port: a node
     * restarted where the edge's dispatcher list still names it.
     */
    public static TandemRegistrar startOnRedis(String name, Path dir, Path nodeJar, BenchUsers users,
            List<String> properties, int redisPort, String nodeId, String secretHex, int sipPort)
            throws IOException, InterruptedException {
        if (!Files.isRegularFile(nodeJar)) {
            throw new IOException("no node jar at " + nodeJar + " (build the backend module first)");
        }
        Files.createDirectories(dir);
        return start(name, dir, nodeJar, users, properties, null, redisPort, "redis://127.0.0.1:" + redisPort, nodeId,
                secretHex, sipPort);
    }

    /**
     * A node of a cluster on a Redis the caller owns, named by {@code redisUri} (e.g. {@code redis-sentinel://…}),
     * with its own node id and the cluster's shared secret (hex).
     */
    public static TandemRegistrar startOnRedis(String name, Path dir, Path nodeJar, BenchUsers users,
            List<String> properties, String redisUri, String nodeId, String secretHex)
            throws IOException, InterruptedException {
        if (!Files.isRegularFile(nodeJar)) {
            throw new IOException("no node jar at " + nodeJar + " (build the backend module first)");
        }
        Files.createDirectories(dir);
        return start(name, dir, nodeJar, users, properties, null, -1, redisUri, nodeId, secretHex,
                LoopbackPorts.udpAndTcp());
    }

    private static TandemRegistrar start(String name, Path dir, Path nodeJar, BenchUsers users,
            List<String> properties, ChildProcess redis, int redisPort, String redisUri, String nodeId,
            String secretHex, int sipPort) throws IOException, InterruptedException {
        {
            Path seed = users.writeTandemSeed(dir, TENANT);
            int httpPort = LoopbackPorts.tcp();
            // The GC log beside the node's log: a relay drop or a stuck SIP worker is told apart from a GC pause.
            List<String> command = new ArrayList<>(List.of("java", "-Xms2g", "-Xmx2g",
                    "-Xlog:gc:file=" + dir.toAbsolutePath().resolve("gc.log") + ":uptime,level"));
            command.addAll(extraJvmOptions());
            command.addAll(List.of("-jar", nodeJar.toAbsolutePath().toString(),
                    "--tandem.node.id=" + nodeId, "--tandem.redis.uri=" + redisUri,
                    "--tandem.sip.bind-address=127.0.0.1", "--tandem.sip.udp-port=" + sipPort,
                    "--tandem.sip.tcp-port=" + sipPort, "--server.port=" + httpPort,
                    "--tandem.directory.default-tenant=" + TENANT,
                    "--tandem.directory.seed-file=" + seed.toAbsolutePath()));
            command.addAll(properties);
            // The secret goes through the environment, as the launcher passes it.
            ChildProcess node = ChildProcess.start("tandem-node", dir, command,
                    Map.of("TANDEM_NODE_CLUSTERSECRET", secretHex));
            try {
                awaitReady(httpPort, node);
                SipProbe.awaitAnswer(sipPort, node, 30);
            } catch (IOException | InterruptedException e) {
                node.close();
                throw e;
            }
            return new TandemRegistrar(name, nodeJar.toString(), redis, node, redisPort, sipPort);
        }
    }

    /**
     * JVM options for every node the bench starts, from {@code TANDEM_BENCH_NODE_JAVA_OPTS} (space-separated), e.g.
     * {@code -XX:StartFlightRecording=filename=node.jfr,settings=profile} to profile the node under the bench's load
     * (relative paths land in the node's work directory).
     */
    static List<String> extraJvmOptions() {
        String options = System.getenv("TANDEM_BENCH_NODE_JAVA_OPTS");
        return options == null || options.isBlank() ? List.of() : List.of(options.trim().split("\\s+"));
    }

    public static void awaitRedis(int port, ChildProcess redis) throws IOException, InterruptedException {
        for (int i = 0; i < 100; i++) {
            if (!redis.isAlive()) {
                throw new IOException("redis-server exited:\n" + redis.tail(20));
            }
            try {
                if (redisCli(port, "PING").equals("PONG")) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100); // polling a process start: there is nothing to wait on
        }
        throw new IOException("redis-server not answering on port " + port);
    }

    /** Readiness comes after the directory seed ran (Spring publishes it after the application runners). */
    public static void awaitReady(int httpPort, ChildProcess node) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort
                + "/actuator/health/readiness")).timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + START_SECONDS * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!node.isAlive()) {
                throw new IOException("the Tandem node exited:\n" + node.tail(40));
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // HTTP not up yet
            }
            Thread.sleep(500); // polling a process start: there is nothing to wait on
        }
        throw new IOException("the Tandem node is not ready after " + START_SECONDS + " s:\n" + node.tail(40));
    }

    /** Extensions of the bench tenant with a live binding in Redis, and the binding hashes that exist. */
    record BindingCount(long indexed, long keys) {
    }

    BindingCount bindingsInRedis() throws IOException, InterruptedException {
        String index = "tandem:{" + TENANT + "}:regs";
        long indexed = Long.parseLong(redisCli(redisPort, "ZCOUNT", index,
                Long.toString(System.currentTimeMillis()), "+inf"));
        Process scan = new ProcessBuilder("redis-cli", "-p", Integer.toString(redisPort), "--scan", "--pattern",
                "tandem:{" + TENANT + "}:reg:*").redirectErrorStream(true).start();
        long keys = new String(scan.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                .filter(l -> !l.isBlank()).count();
        scan.waitFor();
        return new BindingCount(indexed, keys);
    }

    public static String redisCli(int port, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("redis-cli", "-p", Integer.toString(port)));
        command.addAll(List.of(args));
        Process cli = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (cli.waitFor() != 0 || out.startsWith("Could not connect")) {
            throw new IOException("redis-cli " + String.join(" ", args) + ": " + out);
        }
        return out;
    }

    /** SIGKILL of the node's JVM, as on a crash. */
    public void kill() throws InterruptedException {
        node.kill();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int sipPort() {
        return sipPort;
    }

    @Override
    public long cpuTicks() {
        return node.cpuTicks() + (redis == null ? 0 : redis.cpuTicks());
    }

    /**
     * CPU ticks the node's JIT compiler threads used so far: what a step spent compiling rather than serving (a node
     * fresh from its start compiles for minutes under load).
     */
    public long jitTicks() {
        return node.threadTicks("C1 CompilerThre", "C2 CompilerThre");
    }

    @Override
    public String setup() {
        return "`" + jar + "` in its own JVM (-Xmx2g), redis-server " + redisVersion()
                + " on loopback (no persistence), users created from a directory seed file (HA1 only)";
    }

    public static String redisVersion() {
        try {
            Process v = new ProcessBuilder("redis-server", "--version").redirectErrorStream(true).start();
            String out = new String(v.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            v.waitFor();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("v=(\\S+)").matcher(out);
            return m.find() ? m.group(1) : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    @Override
    public void close() {
        node.close();
        if (redis != null) {
            redis.close();
        }
    }
}
