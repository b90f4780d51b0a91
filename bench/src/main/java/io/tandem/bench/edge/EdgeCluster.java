package io.tandem.bench.edge;

import io.tandem.bench.node.BenchUsers;
import io.tandem.bench.node.ChildProcess;
import io.tandem.bench.node.LoopbackPorts;
import io.tandem.bench.node.RegistrarUnderTest;
import io.tandem.bench.node.SipProbe;
import io.tandem.bench.node.TandemRegistrar;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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

    private static final String[] NODE_IDS = {"bench-a", "bench-b"};
    /**
     * rtpengine's media ports: below the kernel's ephemeral range (32768-60999), which the edge's SIP and control
     * ports and the nodes' SIP ports come from ({@link LoopbackPorts#udpAndTcp()}), and below SIPp's media
     * (20000-29999). rtpengine binds with SO_REUSEADDR as Kamailio does, so a media port on the edge's SIP port would
     * take the edge's SIP from it (issue 17: the edge went silent mid-ramp with 50000-59999 here).
     */
    private static final String RTPENGINE_PORTS = "10000-19999";

    private final Path dir;
    private final Path nodeJar;
    private final BenchUsers users;
    private final List<List<String>> nodeProperties;
    private final String secretHex;
    private final int redisPort;
    private final ChildProcess redis;
    private final List<TandemRegistrar> nodes;
    private final ChildProcess edge;
    private final int edgePort;
    private final int tlsPort;
    private final Path runDir;

    private EdgeCluster(Path dir, Path nodeJar, BenchUsers users, List<List<String>> nodeProperties,
            String secretHex, int redisPort, ChildProcess redis, List<TandemRegistrar> nodes, ChildProcess edge,
            int edgePort, int tlsPort, Path runDir) {
        this.dir = dir;
        this.nodeJar = nodeJar;
        this.users = users;
        this.nodeProperties = nodeProperties;
        this.secretHex = secretHex;
        this.redisPort = redisPort;
        this.redis = redis;
        this.nodes = nodes;
        this.edge = edge;
        this.edgePort = edgePort;
        this.tlsPort = tlsPort;
        this.runDir = runDir;
    }

    static EdgeCluster start(Path dir, Path nodeJar, BenchUsers users, List<String> nodeProperties)
            throws IOException, InterruptedException {
        return start(dir, nodeJar, users, nodeProperties, false);
    }

    /**
     * As {@link #start(Path, Path, BenchUsers, List)}; with {@code tls} the edge also speaks SIP over TLS
     * ({@code --tls-port}) with the self-signed certificate {@code ./tandem edge} makes ({@link #certificate()}).
     */
    static EdgeCluster start(Path dir, Path nodeJar, BenchUsers users, List<String> nodeProperties, boolean tls)
            throws IOException, InterruptedException {
        int redisPort = LoopbackPorts.tcp();
        ChildProcess redis = TandemRegistrar.startRedis(dir.resolve("redis"), redisPort);
        List<TandemRegistrar> nodes = new ArrayList<>();
        try {
            byte[] secret = new byte[24];
            ThreadLocalRandom.current().nextBytes(secret);
            String hex = HexFormat.of().formatHex(secret);
            List<List<String>> properties = List.of(nodeProperties, EdgeSection.SECOND_NODE_PROPERTIES);
            for (int i = 0; i < NODE_IDS.length; i++) {
                nodes.add(TandemRegistrar.startOnRedis("node " + NODE_IDS[i], dir.resolve(NODE_IDS[i]), nodeJar,
                        users, properties.get(i), redisPort, NODE_IDS[i], hex));
            }
            int edgePort = LoopbackPorts.udpAndTcp();
            String list = nodes.stream().map(n -> "sip:127.0.0.1:" + n.sipPort()).collect(Collectors.joining(","));
            Path runDir = Files.createDirectories(dir.resolve("edge"));
            List<String> command = new ArrayList<>(List.of(
                    Path.of("tandem").toAbsolutePath().toString(), "edge", "--nodes", list, "--sip-port",
                    Integer.toString(edgePort), "--run-dir", runDir.toString(), "--no-flood-limit",
                    "--rtp-ports", RTPENGINE_PORTS, "--ng-port", Integer.toString(LoopbackPorts.udpAndTcp())));
            int tlsPort = tls ? LoopbackPorts.udpAndTcp() : 0;
            if (tls) {
                command.addAll(List.of("--tls-port", Integer.toString(tlsPort)));
            }
            ChildProcess edge = ChildProcess.start("tandem-edge", runDir, command, Map.of());
            try {
                SipProbe.awaitAnswer(edgePort, edge, 60);
                // Both nodes probed as up by the dispatcher (OPTIONS every 2 s) before any load.
                Thread.sleep(5000); // the dispatcher's probing interval: nothing to wait on
            } catch (IOException | InterruptedException e) {
                edge.close();
                throw e;
            }
            return new EdgeCluster(dir, nodeJar, users, properties, hex, redisPort, redis, nodes, edge, edgePort,
                    tlsPort, runDir);
        } catch (IOException | InterruptedException | RuntimeException e) {
            nodes.forEach(TandemRegistrar::close);
            redis.close();
            throw e;
        }
    }

    List<TandemRegistrar> nodes() {
        return nodes;
    }

    int redisPort() {
        return redisPort;
    }

    /** Starts node {@code index} again (after its kill) on the SIP port the edge's dispatcher list names. */
    void restart(int index) throws IOException, InterruptedException {
        TandemRegistrar old = nodes.get(index);
        old.close();
        nodes.set(index, TandemRegistrar.startOnRedis("node " + NODE_IDS[index],
                dir.resolve(NODE_IDS[index] + "-" + System.nanoTime()), nodeJar, users, nodeProperties.get(index),
                redisPort, NODE_IDS[index], secretHex, old.sipPort()));
    }

    /**
     * Whether the edge's dispatcher holds node {@code index} active (its flags start with "A"), from Kamailio's
     * {@code dispatcher.list} over the control socket.
     */
    boolean active(int index) throws IOException, InterruptedException {
        Process kamcmd = new ProcessBuilder("kamcmd", "-s", "unix:" + runDir.resolve("kamailio_ctl"),
                "dispatcher.list").redirectErrorStream(true).start();
        String out = new String(kamcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        kamcmd.waitFor();
        String uri = "URI: sip:127.0.0.1:" + nodes.get(index).sipPort();
        int at = out.indexOf(uri);
        if (at < 0) {
            throw new IOException("the edge's dispatcher does not list " + uri + ":\n" + out);
        }
        int flags = out.indexOf("FLAGS:", at);
        return flags >= 0 && out.substring(flags + "FLAGS:".length()).trim().startsWith("A");
    }

    /**
     * How many times the edge took a node out of the rotation for leaving a request unanswered (its
     * failure_route's log line), and answered 503 for want of a node.
     */
    String nodesTakenOut() throws IOException {
        return edge.linesContaining("marked inactive") + " node time-outs (the node taken out until its next probe "
                + "answer), " + edge.linesContaining("no node available") + " × 503 for want of a node";
    }

    /** How many times so far the edge took a node out of the rotation for leaving a request unanswered. */
    long nodeTimeOuts() throws IOException {
        return edge.linesContaining("marked inactive");
    }

    /** The edge's log (Kamailio and rtpengine), last lines. */
    String edgeLog(int lines) {
        return edge.tail(lines);
    }

    /** CPU ticks of rtpengine alone (a child of the launcher). */
    long rtpengineCpuTicks() {
        return edge.cpuTicksOf("rtpengine");
    }
    /** CPU ticks of the edge alone (Kamailio's processes and rtpengine, children of the launcher). */
    long edgeCpuTicks() {
        return edge.cpuTicks();
    }

    /** The edge's SIP over TLS port; 0 when started without TLS. */
    int tlsPort() {
        return tlsPort;
    }

    /** The self-signed certificate (PEM) {@code ./tandem edge --tls-port} made in the run directory. */
    Path certificate() {
        return runDir.resolve("edge-cert.pem");
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
