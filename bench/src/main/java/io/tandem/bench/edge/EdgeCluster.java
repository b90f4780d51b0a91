package io.tandem.bench.edge;

import io.tandem.bench.node.BenchUsers;
import io.tandem.bench.node.ChildProcess;
import io.tandem.bench.node.LoopbackPorts;
import io.tandem.bench.node.RegistrarUnderTest;
import io.tandem.bench.node.SipProbe;
import io.tandem.bench.node.TandemRegistrar;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

/**
 * Two Tandem nodes on one shared redis-server (bindings live in Redis, so a REGISTER may land on either node) behind
 * {@code ./tandem edge} (Kamailio and rtpengine), the flood limit off: SIPp sends everything from one address.
 */
final class EdgeCluster implements RegistrarUnderTest {

    private final ChildProcess redis;
    private final List<TandemRegistrar> nodes;
    private final ChildProcess edge;
    private final int edgePort;

    private EdgeCluster(ChildProcess redis, List<TandemRegistrar> nodes, ChildProcess edge, int edgePort) {
        this.redis = redis;
        this.nodes = nodes;
        this.edge = edge;
        this.edgePort = edgePort;
    }

    static EdgeCluster start(Path dir, Path nodeJar, BenchUsers users, List<String> nodeProperties)
            throws IOException, InterruptedException {
        int redisPort = LoopbackPorts.tcp();
        ChildProcess redis = TandemRegistrar.startRedis(dir.resolve("redis"), redisPort);
        List<TandemRegistrar> nodes = new ArrayList<>();
        try {
            byte[] secret = new byte[24];
            ThreadLocalRandom.current().nextBytes(secret);
            String hex = HexFormat.of().formatHex(secret);
            nodes.add(TandemRegistrar.startOnRedis("node bench-a", dir.resolve("bench-a"), nodeJar, users,
                    nodeProperties, redisPort, "bench-a", hex));
            nodes.add(TandemRegistrar.startOnRedis("node bench-b", dir.resolve("bench-b"), nodeJar, users,
                    EdgeSection.SECOND_NODE_PROPERTIES, redisPort, "bench-b", hex));
            int edgePort = LoopbackPorts.udpAndTcp();
            String list = nodes.stream().map(n -> "sip:127.0.0.1:" + n.sipPort()).collect(Collectors.joining(","));
            Path runDir = Files.createDirectories(dir.resolve("edge"));
            ChildProcess edge = ChildProcess.start("tandem-edge", runDir, List.of(
                    Path.of("tandem").toAbsolutePath().toString(), "edge", "--nodes", list, "--sip-port",
                    Integer.toString(edgePort), "--run-dir", runDir.toString(), "--no-flood-limit",
                    "--rtp-ports", "50000-59999", "--ng-port", Integer.toString(LoopbackPorts.udpAndTcp())),
                    Map.of());
            try {
                SipProbe.awaitAnswer(edgePort, edge, 60);
                // Both nodes probed as up by the dispatcher (OPTIONS every 2 s) before any load.
                Thread.sleep(5000); // the dispatcher's probing interval: nothing to wait on
            } catch (IOException | InterruptedException e) {
                edge.close();
                throw e;
            }
            return new EdgeCluster(redis, nodes, edge, edgePort);
        } catch (IOException | InterruptedException | RuntimeException e) {
            nodes.forEach(TandemRegistrar::close);
            redis.close();
            throw e;
        }
    }

    List<TandemRegistrar> nodes() {
        return nodes;
    }

    /** CPU ticks of the edge alone (Kamailio's processes and rtpengine, children of the launcher). */
    long edgeCpuTicks() {
        return edge.cpuTicks();
    }

    @Override
    public String name() {
        return "edge + 2 nodes";
    }

    @Override
    public int sipPort() {
        return edgePort;
    }

    @Override
    public long cpuTicks() {
        return edge.cpuTicks() + redis.cpuTicks() + nodes.stream().mapToLong(TandemRegistrar::cpuTicks).sum();
    }

    @Override
    public String setup() {
        return "`./tandem edge --no-flood-limit` (Kamailio, rtpengine userspace) in front of two node JVMs (-Xmx2g) "
                + "sharing one redis-server " + TandemRegistrar.redisVersion();
    }

    @Override
    public void close() {
        edge.close();
        nodes.forEach(TandemRegistrar::close);
        redis.close();
    }
}
