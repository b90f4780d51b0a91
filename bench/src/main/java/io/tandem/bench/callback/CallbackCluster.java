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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What {@code ./tandem bench callback} runs against, every part real but Apple's server: a {@code redis-server}, a
 * Tandem node (its jar, own JVM) with the bench users and the bench queues seeded, one callback service instance
 * (its jar, own JVM) sharing the node's cluster secret, and Pushy's {@code MockApnsServer} (HTTP/2 over TLS with
 * certificates and a .p8 key made here, in this JVM) as the APNs the service pushes to.
 */
final class CallbackCluster implements AutoCloseable {

    static final String TENANT = TandemRegistrar.TENANT;
    /** The node's RTP ports: two a parked caller (RTP, RTCP), and two per agent called into a room. */
    private static final int RTP_FIRST = 40_000;
    private static final int RTP_LAST = 49_999;

    private final ChildProcess redis;
    private final ChildProcess node;
    private final ChildProcess service;
    private final MockApns apns;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final int redisPort;
    private final int sipPort;

    private CallbackCluster(ChildProcess redis, ChildProcess node, ChildProcess service, MockApns apns,
            int redisPort, int sipPort) {
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
            return new CallbackCluster(redis, node, service, apns, redisPort, sipPort);
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
