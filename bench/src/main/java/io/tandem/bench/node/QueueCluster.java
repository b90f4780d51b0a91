package io.tandem.bench.node;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A Tandem cluster as the queue benches run it: node processes (the node jar) on one redis-server, all on loopback,
 * seeded with a tenant's users and queues; agents registered by SIPp (digest) from the port a SIPp UAS answering
 * every offer (180, 200 with SDP, wait for BYE) then listens on, logged in over REST and available; and SIPp UACs
 * placing callers into a queue on every node. Closing it stops everything it started.
 */
public final class QueueCluster implements AutoCloseable {

    private static final String AUDIO = "audio.pcmu";

    private final Path work;
    private final String tenant;
    private final String password;
    private final List<ChildProcess> children = new ArrayList<>();
    private final List<ChildProcess> nodes = new ArrayList<>();
    private int redisPort;
    private int[] sip;
    private int[] http;

    private QueueCluster(Path work, String tenant, String password) {
        this.work = work;
        this.tenant = tenant;
        this.password = password;
    }

    /**
     * Starts redis-server and {@code count} nodes named {@code prefix1…}, seeded from the users and queues files,
     * each with its own range of 6,000 RTP ports from 40,000, and waits until every node answers SIP.
     */
    public static QueueCluster start(Path work, Path jar, int count, String prefix, String tenant, String password,
            Path users, Path queues, List<String> javaOptions) throws IOException, InterruptedException {
        if (!Files.isRegularFile(jar)) {
            throw new IOException("no node jar at " + jar + " (build the backend module first)");
        }
        QueueCluster cluster = new QueueCluster(work, tenant, password);
        try {
            cluster.redisPort = LoopbackPorts.tcp();
            ChildProcess redis = ChildProcess.start("redis-server", work, List.of("redis-server", "--port",
                    Integer.toString(cluster.redisPort), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                    "--dir", work.toAbsolutePath().toString()), Map.of());
            cluster.children.add(redis);
            TandemRegistrar.awaitRedis(cluster.redisPort, redis);
            byte[] secret = new byte[24];
            ThreadLocalRandom.current().nextBytes(secret);
            cluster.sip = new int[count];
            cluster.http = new int[count];
            for (int i = 0; i < count; i++) {
                cluster.sip[i] = LoopbackPorts.udpAndTcp();
                cluster.http[i] = LoopbackPorts.tcp();
                int rtp = 40_000 + i * 6_000;
                List<String> command = new ArrayList<>(List.of("java"));
                command.addAll(javaOptions);
                command.addAll(List.of("-jar", jar.toAbsolutePath().toString(), "--tandem.node.id=" + prefix + (i + 1),
                        "--tandem.redis.uri=redis://127.0.0.1:" + cluster.redisPort,
                        "--tandem.sip.bind-address=127.0.0.1", "--tandem.sip.udp-port=" + cluster.sip[i],
                        "--tandem.sip.tcp-port=" + cluster.sip[i], "--server.port=" + cluster.http[i],
                        "--tandem.directory.default-tenant=" + tenant,
                        "--tandem.directory.seed-file=" + users.toAbsolutePath(),
                        "--tandem.acd.seed-file=" + queues.toAbsolutePath(), "--tandem.sip.rtp-port-min=" + rtp,
                        "--tandem.sip.rtp-port-max=" + (rtp + 5_998)));
                ChildProcess node = ChildProcess.start("node-" + prefix + (i + 1), work, command,
                        Map.of("TANDEM_NODE_CLUSTERSECRET", HexFormat.of().formatHex(secret)));
                cluster.children.add(node);
                cluster.nodes.add(node);
            }
            for (int i = 0; i < count; i++) {
                TandemRegistrar.awaitReady(cluster.http[i], cluster.nodes.get(i));
                SipProbe.awaitAnswer(cluster.sip[i], cluster.nodes.get(i), 60);
            }
            return cluster;
        } catch (IOException | InterruptedException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    public int redisPort() {
        return redisPort;
    }

    public int[] sipPorts() {
        return sip.clone();
    }

    public int[] httpPorts() {
        return http.clone();
    }

    public int size() {
        return nodes.size();
    }

    /** The operating-system process of node {@code i} (from 0). */
    public long nodePid(int i) {
        return nodes.get(i).pid();
    }

    /** The RTP port range of node {@code i}, as {@link #start} gave it. */
    public int[] rtpRange(int i) {
        int first = 40_000 + i * 6_000;
        return new int[] {first, first + 5_998};
    }

    /**
     * Agent {@code agents[k]} registers on node {@code k mod size} from the port that node's SIPp UAS then answers
     * on, and logs in over that node's REST API and goes available.
     */
    public void agentsAnswering(List<String> agents) throws Exception {
        int[] uasPort = new int[size()];
        for (int i = 0; i < size(); i++) {
            uasPort[i] = LoopbackPorts.udpAndTcp();
            List<String> mine = new ArrayList<>();
            for (int k = i; k < agents.size(); k += size()) {
                mine.add(agents.get(k));
            }
            register("agents-" + (i + 1), i, uasPort[i], mine);
        }
        for (int i = 0; i < size(); i++) {
            children.add(startUas(i, uasPort[i]));
        }
        AgentLogins.loginAvailable(http, tenant, password, agents);
    }

    private void register(String label, int node, int port, List<String> users)
            throws IOException, InterruptedException {
        Path run = Files.createDirectories(work.resolve("register-" + label));
        copy("register-digest-uac.xml", run, Map.of());
        Files.writeString(run.resolve("users.csv"), injection(users));
        try (ChildProcess sipp = ChildProcess.start("sipp", run, List.of("sipp", "127.0.0.1:" + sip[node], "-sf",
                "register-digest-uac.xml", "-inf", "users.csv", "-i", "127.0.0.1", "-p", Integer.toString(port),
                "-t", "u1", "-r", "50", "-m", Integer.toString(users.size()), "-timeout", "120s", "-timeout_error",
                "-nostdin", "-trace_stat", "-stf", "stats.csv"), Map.of())) {
            if (!sipp.waitFor(150) || SippCalls.number(SippCalls.lastStats(run.resolve("stats.csv")),
                    "SuccessfulCall(C)") != users.size()) {
                throw new IOException(label + ": not every user registered on node " + (node + 1) + ":\n"
                        + sipp.tail(20));
            }
        }
    }

    /** The agents' phones of one node: 180, 200 with SDP, wait for the BYE. */
    private ChildProcess startUas(int node, int port) throws IOException, InterruptedException {
        Path run = Files.createDirectories(work.resolve("uas-" + (node + 1)));
        copy("call-uas.xml", run, Map.of());
        ChildProcess uas = ChildProcess.start("sipp-uas", run, List.of("sipp", "-sf", "call-uas.xml", "-i",
                "127.0.0.1", "-p", Integer.toString(port), "-mi", "127.0.0.1", "-mp",
                Integer.toString(LoopbackPorts.sippMedia()), "-t", "u1", "-l", "20000", "-nostdin", "-trace_err",
                "-error_file", "errors.log"), Map.of());
        CallSection.awaitBound(port, uas);
        children.add(uas);
        return uas;
    }

    /**
     * {@code total} callers into {@code queue} spread over the nodes (caller user {@code firstCaller + i} on node
     * i), each node's SIPp starting a share of a call interval after the one before ({@link CallerPhase#STAGGERED});
     * each call is held
     * {@code holdMillis} after the answer, then the caller sends BYE (with G.711 streamed to the node all along when
     * {@code media}). Returns {answered, failed}.
     */
    public long[] placeCallers(String label, String queue, int firstCaller, int total, int ratePerNode,
            long holdMillis, boolean media) throws Exception {
        return placeCallers(label, queue, firstCaller, total, ratePerNode, holdMillis, media, CallerPhase.STAGGERED);
    }

    /** As {@link #placeCallers(String, String, int, int, int, long, boolean)}, the nodes' UACs started in {@code phase}. */
    public long[] placeCallers(String label, String queue, int firstCaller, int total, int ratePerNode,
            long holdMillis, boolean media, CallerPhase phase) throws Exception {
        ScheduledExecutorService pool = Executors.newScheduledThreadPool(size());
        try {
            List<Future<long[]>> runs = new ArrayList<>();
            long intervalMicros = 1_000_000L / ratePerNode;
            for (int i = 0; i < size(); i++) {
                int node = i;
                int calls = total / size() + (node < total % size() ? 1 : 0);
                runs.add(pool.schedule(() -> {
                    try (ChildProcess sipp = callers(label, queue, node, firstCaller + node, calls, ratePerNode,
                            holdMillis, media)) {
                        return finish(label, node, sipp, calls / ratePerNode + holdMillis / 1000 + 150);
                    }
                }, phase.startMicros(node, size(), intervalMicros), TimeUnit.MICROSECONDS));
            }
            long[] sum = new long[2];
            for (Future<long[]> run : runs) {
                long[] r = run.get();
                sum[0] += r[0];
                sum[1] += r[1];
            }
            return sum;
        } finally {
            pool.shutdown();
        }
    }

    /**
     * Starts one node's SIPp caller (user {@code caller}) placing {@code calls} calls into {@code queue} at
     * {@code rate} per second, and returns it running: the caller of {@link #placeCallers}, and of a bench that
     * kills it to have calls end without a BYE.
     */
    public ChildProcess callers(String label, String queue, int node, int caller, int calls, int rate,
            long holdMillis, boolean media) throws IOException {
        Path run = Files.createDirectories(work.resolve(label + "-uac-" + (node + 1)));
        copy("call-uac.xml", run, Map.of("HOLD_MS", Long.toString(holdMillis), "<!--RTP-->",
                media ? "<nop><action><exec rtp_stream=\"" + AUDIO + ",-1,0\" /></action></nop>" : ""));
        if (media) {
            Files.write(run.resolve(AUDIO), quietAudio());
        }
        Files.writeString(run.resolve("users.csv"), injection(List.of(Integer.toString(caller))));
        long timeout = calls / Math.max(1, rate) + holdMillis / 1000 + 120;
        return ChildProcess.start("sipp-uac", run, List.of("sipp", "127.0.0.1:" + sip[node], "-sf", "call-uac.xml",
                "-inf", "users.csv", "-s", queue, "-i", "127.0.0.1", "-p", Integer.toString(LoopbackPorts.udpAndTcp()),
                "-mi", "127.0.0.1", "-mp", Integer.toString(LoopbackPorts.sippMedia()), "-t", "u1", "-r",
                Integer.toString(rate), "-rp", "1000", "-m", Integer.toString(calls), "-l", "20000", "-recv_timeout",
                "60000", "-timeout", timeout + "s", "-timeout_error", "-nostdin", "-trace_stat", "-stf", "stats.csv",
                "-fd", "1", "-trace_err", "-error_file", "errors.log"), Map.of());
    }

    /** Waits for a SIPp caller to end by itself and returns {answered, failed} from its statistics. */
    public static long[] finish(String label, int node, ChildProcess sipp, long timeoutSeconds) throws Exception {
        if (!sipp.waitFor(timeoutSeconds)) {
            throw new IOException("SIPp callers " + label + " of node " + (node + 1) + " did not finish");
        }
        Map<String, String> last = SippCalls.lastStats(sipp.workDir().resolve("stats.csv"));
        return new long[] {SippCalls.number(last, "SuccessfulCall(C)"), SippCalls.number(last, "FailedCall(C)")};
    }

    /**
     * Users of a SIPp registration load on node {@code node}: {@code rate} authenticated REGISTERs per second,
     * {@code count} in all, cycling through {@code users}. Returns the running SIPp.
     */
    public ChildProcess registrations(String label, int node, List<String> users, int rate, long count)
            throws IOException {
        Path run = Files.createDirectories(work.resolve("register-" + label));
        copy("register-digest-uac.xml", run, Map.of());
        Files.writeString(run.resolve("users.csv"), injection(users));
        return ChildProcess.start("sipp-register", run, List.of("sipp", "127.0.0.1:" + sip[node], "-sf",
                "register-digest-uac.xml", "-inf", "users.csv", "-i", "127.0.0.1", "-p",
                Integer.toString(LoopbackPorts.udpAndTcp()), "-t", "u1", "-r", Integer.toString(rate), "-m",
                Long.toString(count), "-nostdin", "-trace_stat", "-stf", "stats.csv", "-fd", "10"), Map.of());
    }

    private String injection(List<String> users) {
        StringBuilder csv = new StringBuilder("SEQUENTIAL\n");
        for (String id : users) {
            csv.append(id).append(";[authentication username=").append(id).append(" password=").append(password)
                    .append("]\n");
        }
        return csv.toString();
    }

    /** One second of u-law silence-level samples, looped by {@code rtp_stream} (as {@link SippCalls} streams). */
    private static byte[] quietAudio() {
        byte[] audio = new byte[8000];
        Arrays.fill(audio, (byte) 0xFE);
        return audio;
    }

    static void copy(String scenario, Path run, Map<String, String> replacements) throws IOException {
        try (InputStream in = QueueCluster.class.getResourceAsStream("/node/" + scenario)) {
            if (in == null) {
                throw new IOException("no scenario /node/" + scenario + " on the class path");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            for (Map.Entry<String, String> r : replacements.entrySet()) {
                text = text.replace(r.getKey(), r.getValue());
            }
            Files.writeString(run.resolve(scenario), text, StandardCharsets.ISO_8859_1);
        }
    }

    @Override
    public void close() {
        for (int i = children.size() - 1; i >= 0; i--) {
            children.get(i).close();
        }
    }
}
