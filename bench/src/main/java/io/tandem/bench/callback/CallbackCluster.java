package io.tandem.bench.callback;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.tandem.bench.node.BenchUsers;
import io.tandem.bench.node.ChildProcess;
import io.tandem.bench.node.LoopbackPorts;
import io.tandem.bench.node.TandemRegistrar;
import io.tandem.callback.MockApns;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code ./tandem bench callback} runs against, every part real but Apple's server: a {@code redis-server}, a
 * Tandem node (its jar, own JVM) with the bench users and the bench queues seeded, one callback service instance
 * (its jar, own JVM) sharing the node's cluster secret, and Pushy's {@code MockApnsServer} (HTTP/2 over TLS with
 * certificates and a .p8 key made here, in this JVM) as the APNs the service pushes to.
 */
final class CallbackCluster implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CallbackCluster.class);

    static final String TENANT = TandemRegistrar.TENANT;
    /** The node's RTP ports: two a parked caller (RTP, RTCP), and two per agent called into a room. */
    private static final int RTP_FIRST = 40_000;
    private static final String SUPERVISOR = "299999";
    private static final String SUPERVISOR_PASSWORD = "pw-bench-supervisor";
    private static final int RTP_LAST = 49_999;

    private final ChildProcess redis;
    private final ChildProcess node;
    private final ChildProcess service;
    private final MockApns apns;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final int redisPort;
    private final int sipPort;
    private final int nodeHttp;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private CallbackCluster(ChildProcess redis, ChildProcess node, ChildProcess service, MockApns apns,
            int redisPort, int sipPort, int nodeHttp) {
        this.nodeHttp = nodeHttp;
        this.redis = redis;
        this.node = node;
        this.service = service;
        this.apns = apns;
        this.redisPort = redisPort;
        this.sipPort = sipPort;
        this.client = RedisClient.create("redis://127.0.0.1:" + redisPort);
        this.connection = client.connect();
    }

    /**
     * Starts it all in {@code dir}: {@code users} bench users (all agents), the queues of {@code queuesYaml} (the
     * node's queue seed file), APNs accepting the {@code tokens}.
     */
    static CallbackCluster start(Path dir, Path nodeJar, Path serviceJar, BenchUsers users, String queuesYaml,
            Set<String> tokens) throws Exception {
        for (Path jar : List.of(nodeJar, serviceJar)) {
            if (!Files.isRegularFile(jar)) {
                throw new IOException("no jar at " + jar + " (build backend and callback-service first)");
            }
        }
        Files.createDirectories(dir);
        List<AutoCloseable> started = new ArrayList<>();
        try {
            int redisPort = LoopbackPorts.tcp();
            ChildProcess redis = ChildProcess.start("redis-server", dir, List.of("redis-server", "--port",
                    Integer.toString(redisPort), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                    "--dir", dir.toAbsolutePath().toString()), Map.of());
            started.add(redis);
            TandemRegistrar.awaitRedis(redisPort, redis);
            Path userSeed = users.writeTandemSeed(dir, TENANT);
            // a supervisor, for the node's /actuator/prometheus (its announcement count)
            Files.writeString(userSeed, "      - {extension: \"" + SUPERVISOR + "\", displayName: \"Bench "
                    + "supervisor\", password: \"" + SUPERVISOR_PASSWORD + "\", roles: [supervisor]}\n",
                    StandardOpenOption.APPEND);
            Path queueSeed = Files.writeString(dir.resolve("queues.yaml"), queuesYaml, StandardCharsets.UTF_8);
            byte[] random = new byte[24];
            ThreadLocalRandom.current().nextBytes(random);
            String secret = HexFormat.of().formatHex(random);
            int sipPort = LoopbackPorts.udpAndTcp();
            int nodeHttp = LoopbackPorts.tcp();
            String redisUri = "redis://127.0.0.1:" + redisPort;
            // The secret goes through the environment, as the launcher passes it.
            ChildProcess node = ChildProcess.start("tandem-node", dir, List.of("java", "-Xms1g", "-Xmx1g", "-jar",
                    nodeJar.toAbsolutePath().toString(), "--tandem.node.id=bench", "--tandem.redis.uri=" + redisUri,
                    "--tandem.sip.bind-address=127.0.0.1", "--tandem.sip.udp-port=" + sipPort,
                    "--tandem.sip.tcp-port=" + sipPort, "--server.port=" + nodeHttp,
                    "--tandem.sip.rtp-port-min=" + RTP_FIRST, "--tandem.sip.rtp-port-max=" + RTP_LAST,
                    "--tandem.directory.default-tenant=" + TENANT,
                    "--tandem.directory.seed-file=" + userSeed.toAbsolutePath(),
                    "--tandem.acd.seed-file=" + queueSeed.toAbsolutePath()),
                    Map.of("TANDEM_NODE_CLUSTERSECRET", secret));
            started.add(node);
            TandemRegistrar.awaitReady(nodeHttp, node);
            MockApns apns = new MockApns(Files.createDirectories(dir.resolve("apns")), tokens, Set.of());
            started.add(apns);
            int serviceHttp = LoopbackPorts.tcp();
            List<String> command = new ArrayList<>(List.of("java", "-Xms256m", "-Xmx512m", "-jar",
                    serviceJar.toAbsolutePath().toString(), "--tandem.callback.name=bench-cb",
                    "--tandem.callback.redis-uri=" + redisUri, "--server.port=" + serviceHttp,
                    "--tandem.callback.default-tenant=" + TENANT,
                    // a parked caller waits in the room longer than any step of the bench
                    "--tandem.callback.park-timeout=600s"));
            command.addAll(apns.properties());
            ChildProcess service = ChildProcess.start("tandem-callback", dir, command,
                    Map.of("TANDEM_CALLBACK_CLUSTERSECRET", secret));
            started.add(service);
            TandemRegistrar.awaitReady(serviceHttp, service);
            return new CallbackCluster(redis, node, service, apns, redisPort, sipPort, nodeHttp);
        } catch (Exception e) {
            for (int i = started.size() - 1; i >= 0; i--) {
                started.get(i).close();
            }
            throw e;
        }
    }

    int sipPort() {
        return sipPort;
    }

    MockApns apns() {
        return apns;
    }

    /** The cluster's Redis (one connection, used from the bench's main thread only). */
    RedisCommands<String, String> redis() {
        return connection.sync();
    }

    /**
     * The node's count of position / wait announcements played ({@code tandem.queue.announcements} on its Prometheus
     * endpoint); -1 when it cannot be read.
     */
    long announcementsPlayed() {
        try {
            HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + nodeHttp
                    + "/actuator/prometheus")).timeout(Duration.ofSeconds(10)).header("Authorization", "Basic "
                    + Base64.getEncoder().encodeToString((SUPERVISOR + "@" + TENANT + ":" + SUPERVISOR_PASSWORD)
                            .getBytes(StandardCharsets.UTF_8))).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (metrics.statusCode() != 200) {
                log.warn("the node's /actuator/prometheus answered {}", metrics.statusCode());
                return -1;
            }
            return metrics.body().lines().filter(l -> l.startsWith("tandem_queue_announcements_total"))
                    .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst()
                    .orElse(-1);
        } catch (IOException | RuntimeException e) {
            log.warn("the node's announcement count is unreadable: {}", e.getMessage());
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** CPU clock ticks (1/100 s) the node's JVM has used so far. */
    long nodeCpuTicks() {
        return node.cpuTicks();
    }

    /** CPU clock ticks (1/100 s) the callback service's JVM has used so far. */
    long serviceCpuTicks() {
        return service.cpuTicks();
    }

    /** CPU clock ticks (1/100 s) redis-server has used so far. */
    long redisCpuTicks() {
        return redis.cpuTicks();
    }

    String redisVersion() {
        return TandemRegistrar.redisVersion() + " (port " + redisPort + ")";
    }

    @Override
    public void close() throws Exception {
        connection.close();
        client.shutdown();
        service.close();
        apns.close();
        node.close();
        redis.close();
    }
}
