package io.tandem.callback.e2e;

import io.tandem.callback.ServiceInstance;
import io.tandem.telephony.peers.FreePorts;
import io.tandem.telephony.testing.Await;
import io.tandem.telephony.testing.RedisServer;
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
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real Tandem node: the packaged node jar ({@code backend/target/tandem-node.jar}, path in the system property
 * {@code tandem.node.jar}, which the module's failsafe configuration sets) as its own process, with the demo tenant
 * (extensions 1001-1020, app users 2001-2005, queue 7002 parking for the callback service) on free loopback ports, a
 * shared Redis and the test cluster's secret, which the callback service shares. Killing it is a node crashing.
 */
public final class NodeProcess implements AutoCloseable {
    public static final String PASSWORD = "e2e-demo-secret";
    public static final String ADMIN = "admin";
    public static final String TENANT = "demo";
    /** A 2-core machine shared by several builds has taken over 100 s to start one node. */
    private static final Duration START = Duration.ofSeconds(240);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String id;
    private final Process process;
    private final int httpPort;
    private final int sipPort;
    private final Path log;

    private NodeProcess(String id, Process process, int httpPort, int sipPort, Path log) {
        this.id = id;
        this.process = process;
        this.httpPort = httpPort;
        this.sipPort = sipPort;
        this.log = log;
    }

    /** Starts node {@code id} on {@code redis} and waits until it is ready. Extra Spring arguments may follow. */
    public static NodeProcess start(String id, RedisServer redis, String... extra) throws IOException {
        String jar = System.getProperty("tandem.node.jar", "../backend/target/tandem-node.jar");
        if (!Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("node jar " + jar + " missing: build the backend module first");
        }
        int http = FreePorts.udpAndTcp();
        int sip = FreePorts.udpAndTcp();
        Path dir = Path.of("target", "node-logs");
        Files.createDirectories(dir);
        Path log = dir.resolve(id + "-" + http + ".log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:TieredStopAtLevel=1", "-jar", jar,
                "--server.port=" + http, "--server.address=127.0.0.1", "--spring.main.banner-mode=off",
                "--tandem.node.id=" + id, "--tandem.redis.uri=" + redis.uri(),
                "--tandem.demo.enabled=true", "--tandem.demo.password=" + PASSWORD,
                "--tandem.sip.bind-address=127.0.0.1", "--tandem.sip.udp-port=" + sip, "--tandem.sip.tcp-port=" + sip,
                "--tandem.registrar.flood-threshold=1000"));
        command.addAll(List.of(extra));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        // The node and the callback service share the cluster secret: the node verifies the service's join tokens.
        builder.environment().put("TANDEM_NODE_CLUSTERSECRET", ServiceInstance.SECRET);
        NodeProcess node = new NodeProcess(id, builder.start(), http, sip, log);
        try {
            Await.value("node " + id + " ready", START, () -> {
                if (!node.process.isAlive()) {
                    throw new AssertionError("node " + id + " exited: " + node.logTail());
                }
                return node.ready() ? Optional.of(true) : Optional.empty();
            }, node::logTail);
        } catch (AssertionError e) {
            node.close();
            throw e;
        }
        return node;
    }

    private boolean ready() {
        try {
            HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create(url() + "/actuator/health/readiness"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** GET as the demo admin: status and body. */
    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(admin(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** PUT of a JSON body as the demo admin: status and body. */
    public HttpResponse<String> put(String path, String json) throws IOException, InterruptedException {
        return HTTP.send(admin(path).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder admin(String path) {
        String basic = Base64.getEncoder().encodeToString((ADMIN + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        return HttpRequest.newBuilder(URI.create(url() + path)).header("Authorization", "Basic " + basic)
                .timeout(Duration.ofSeconds(10));
    }

    public String id() {
        return id;
    }

    public String url() {
        return "http://127.0.0.1:" + httpPort;
    }

    /** The node's SIP address as a registrar URI. */
    public String sipUri() {
        return "sip:127.0.0.1:" + sipPort;
    }

    /** A number dialled at this node. */
    public String uriOf(String number) {
        return "sip:" + number + "@127.0.0.1:" + sipPort;
    }

    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Kills the node (SIGKILL): a crash, no BYE, no LOST, its heartbeat simply stops. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
