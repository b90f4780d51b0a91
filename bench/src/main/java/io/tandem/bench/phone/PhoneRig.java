package io.tandem.bench.phone;

import io.tandem.bench.node.ChildProcess;
import io.tandem.bench.node.LoopbackPorts;
import io.tandem.bench.node.TandemRegistrar;
import io.tandem.telephony.testing.Await;
import io.tandem.telephony.testing.TestPhone;
import io.tandem.telephony.ua.RegistrationState;
import io.tandem.telephony.ua.UserAgentConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What the phone is measured against: a {@code redis-server} and one Tandem node (its jar, own JVM) with the demo
 * tenant (extensions 1001–1020), and callers on demo extensions registered there, so every call goes phone → node
 * (B2BUA, RTP relay) → phone as in production.
 */
final class PhoneRig implements AutoCloseable {
    static final String PASSWORD = "bench-phone-secret";

    private final Path dir;
    private final ChildProcess redis;
    private final ChildProcess node;
    private final int sipPort;
    private final List<TestPhone> callers = new ArrayList<>();

    private PhoneRig(Path dir, ChildProcess redis, ChildProcess node, int sipPort) {
        this.dir = dir;
        this.redis = redis;
        this.node = node;
        this.sipPort = sipPort;
    }

    static PhoneRig start(Path dir, Path nodeJar) throws IOException, InterruptedException {
        if (!Files.isRegularFile(nodeJar)) {
            throw new IOException("no node jar at " + nodeJar + " (build the backend module first)");
        }
        int redisPort = LoopbackPorts.tcp();
        ChildProcess redis = TandemRegistrar.startRedis(dir, redisPort);
        ChildProcess node = null;
        try {
            int sipPort = LoopbackPorts.udpAndTcp();
            int httpPort = LoopbackPorts.tcp();
            byte[] secret = new byte[24];
            ThreadLocalRandom.current().nextBytes(secret);
            node = ChildProcess.start("tandem-node", dir, List.of("java", "-Xms256m", "-Xmx512m", "-jar",
                    nodeJar.toAbsolutePath().toString(), "--tandem.node.id=bench-phone",
                    "--tandem.redis.uri=redis://127.0.0.1:" + redisPort, "--tandem.sip.bind-address=127.0.0.1",
                    "--tandem.sip.udp-port=" + sipPort, "--tandem.sip.tcp-port=" + sipPort,
                    "--server.port=" + httpPort, "--server.address=127.0.0.1", "--tandem.demo.enabled=true",
                    "--tandem.demo.password=" + PASSWORD, "--tandem.registrar.flood-threshold=100000"),
                    Map.of("TANDEM_NODE_CLUSTERSECRET", HexFormat.of().formatHex(secret)));
            TandemRegistrar.awaitReady(httpPort, node);
            return new PhoneRig(dir, redis, node, sipPort);
        } catch (IOException | InterruptedException | RuntimeException e) {
            if (node != null) {
                node.close();
            }
            redis.close();
            throw e;
        }
    }

    /** The node's SIP URI, where the engines register. */
    String registrar() {
        return "sip:127.0.0.1:" + sipPort;
    }

    /** A URI that rings {@code extension} through the node. */
    String extensionUri(String extension) {
        return "sip:" + extension + "@127.0.0.1:" + sipPort;
    }

    /** A caller registered on the node as demo extension {@code extension}, rejecting calls to it. */
    TestPhone caller(String extension) throws IOException, InterruptedException {
        TestPhone phone = TestPhone.start(UserAgentConfig.of(extension, "127.0.0.1").withPassword(PASSWORD)
                .withRegistrars(List.of(registrar())).withTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(30)),
                1000, 700);
        callers.add(phone);
        phone.rejecting(486);
        // Longer than a test's wait: the node answers slowly on a machine loaded by other work.
        Await.until(extension + " registered on the node", Duration.ofSeconds(120),
                () -> phone.ua.registrationState() == RegistrationState.REGISTERED);
        return phone;
    }

    long nodeCpuTicks() {
        return node.cpuTicks();
    }

    Path dir() {
        return dir;
    }

    @Override
    public void close() {
        callers.forEach(TestPhone::close);
        node.close();
        redis.close();
    }
}
