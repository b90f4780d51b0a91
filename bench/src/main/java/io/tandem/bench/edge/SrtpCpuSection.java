package io.tandem.bench.edge;

import io.tandem.bench.BenchSection;
import io.tandem.bench.node.BenchUsers;
import io.tandem.bench.node.TandemRegistrar;
import io.tandem.telephony.sip.TlsSettings;
import io.tandem.telephony.testing.Await;
import io.tandem.telephony.testing.TestCertificates;
import io.tandem.telephony.testing.TestPhone;
import io.tandem.telephony.ua.Call;
import io.tandem.telephony.ua.CallState;
import io.tandem.telephony.ua.RegistrationState;
import io.tandem.telephony.ua.UserAgentConfig;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Issue 17's SRTP cost at the edge: CPU per second of call of rtpengine when the phone's leg is SDES SRTP (RFC 4568;
 * our user agent over TLS, rtpengine encrypting and authenticating towards it, RFC 3711) against the same calls with
 * plain RTP, and against the nodes' plain relay, in one run on one edge. Our UA is the phone on both sides of both
 * phases (SIPp 3.6.1 speaks neither TLS nor SRTP), so the two phases differ only in the caller's leg.
 */
public final class SrtpCpuSection implements BenchSection {

    /** Users 0..CALLS-1 call plainly, CALLS..2*CALLS-1 over TLS with SRTP, 2*CALLS.. answer. */
    private static final int CALLS = 20;
    private static final int QUICK_CALLS = 5;
    private static final long SETTLE_MILLIS = 3_000;
    private static final long WINDOW_MILLIS = 30_000;
    private static final long QUICK_WINDOW_MILLIS = 10_000;
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Duration REGISTERED = Duration.ofMinutes(2);
    private static final double CALLER_TONE = 1000;
    private static final double CALLEE_TONE = 440;
    /** /proc's clock ticks per second (USER_HZ). */
    private static final double TICKS_PER_SECOND = 100;

    private final Path nodeJar;

    public SrtpCpuSection(Path nodeJar) {
        this.nodeJar = nodeJar;
    }

    @Override
    public String title() {
        return "SRTP at the edge: rtpengine's CPU per call with an SDES-SRTP leg against plain RTP and the node's relay";
    }

    /** CPU ticks of rtpengine, Kamailio and the node JVMs at one instant. */
    private record Ticks(long rtpengine, long kamailio, long nodes, long nanos) {

        static Ticks of(EdgeCluster cluster) {
            long rtpengine = cluster.rtpengineCpuTicks();
            return new Ticks(rtpengine, cluster.edgeCpuTicks() - rtpengine,
                    cluster.nodes().stream().mapToLong(TandemRegistrar::cpuTicks).sum(), System.nanoTime());
        }

        /** Per cent of one core each part used from {@code start} to this instant. */
        Usage since(Ticks start) {
            double seconds = (nanos - start.nanos) / 1e9;
            return new Usage(percent(rtpengine - start.rtpengine, seconds),
                    percent(kamailio - start.kamailio, seconds), percent(nodes - start.nodes, seconds));
        }

        private static double percent(long ticks, double seconds) {
            return ticks / TICKS_PER_SECOND / seconds * 100;
        }
    }

    /** Per cent of one core. */
    private record Usage(double rtpengine, double kamailio, double nodes) {
    }

    /** One phase's calls: how many were up through the window, with tone heard both ways, and the CPU used. */
    private record Phase(String name, int up, int heardBothWays, Usage busy) {
    }

    @Override
    public String run(boolean quick) throws Exception {
        Path work = Files.createTempDirectory("tandem-bench-edge-srtp-");
        int calls = quick ? QUICK_CALLS : CALLS;
        long window = quick ? QUICK_WINDOW_MILLIS : WINDOW_MILLIS;
        String loadBefore = EdgeSection.loadAverage();
        List<TestPhone> phones = new ArrayList<>();
        Usage idle;
        Phase plain;
        Phase srtp;
        String loadDuring;
        try (EdgeCluster cluster = EdgeCluster.start(work.resolve("cluster"), nodeJar, new BenchUsers(3 * calls),
                EdgeSection.NODE_PROPERTIES, true)) {
            Path keys = TestCertificates.selfSigned(work, "phone");
            Path trust = trustStore(cluster.certificate(), work.resolve("edge-trust.p12"));
            List<TestPhone> plainCallers = new ArrayList<>();
            List<TestPhone> tlsCallers = new ArrayList<>();
            List<TestPhone> callees = new ArrayList<>();
            try {
                for (int i = 0; i < calls; i++) {
                    plainCallers.add(started(phones, phone(cluster, i, true, null, null)));
                    tlsCallers.add(started(phones, phone(cluster, calls + i, true, keys, trust)));
                    callees.add(started(phones, phone(cluster, 2 * calls + i, false, null, null)));
                    callees.get(i).answering();
                }
                // A loaded machine may leave a REGISTER unanswered at first (a node still warming up): the phone
                // tries again after its probe interval.
                Await.until("every phone registered through the edge", REGISTERED, () -> phones.stream()
                        .allMatch(p -> p.ua.registrationState() == RegistrationState.REGISTERED),
                        () -> phones.stream().filter(p -> p.ua.registrationState() != RegistrationState.REGISTERED)
                                .map(p -> p.ua.config().user() + " " + p.ua.registrationState()).toList() + "\n"
                                + cluster.edgeLog(20));
                Ticks idleStart = Ticks.of(cluster);
                Thread.sleep(window); // the idle window is a length of time, not a condition to wait for
                idle = Ticks.of(cluster).since(idleStart);
                plain = phase("plain RTP (caller over UDP)", cluster, plainCallers, callees, window);
                srtp = phase("SDES SRTP (caller over TLS)", cluster, tlsCallers, callees, window);
                loadDuring = EdgeSection.loadAverage();
            } finally {
                phones.forEach(TestPhone::close);
            }
        }
        System.out.printf(Locale.ROOT, "srtp: rtpengine idle %.1f%%, plain %.1f%%, srtp %.1f%%; nodes %.1f%% / %.1f%%%n",
                idle.rtpengine(), plain.busy().rtpengine(), srtp.busy().rtpengine(), plain.busy().nodes(),
                srtp.busy().nodes());
        System.out.println("work files in " + work);
        return render(calls, window, idle, plain, srtp, loadBefore, loadDuring);
    }

    private static TestPhone started(List<TestPhone> phones, TestPhone phone) {
        phones.add(phone);
        return phone;
    }

    /** Bench user {@code i} registered through the edge: over TLS with SRTP when {@code keys} is given, else UDP. */
    private static TestPhone phone(EdgeCluster cluster, int i, boolean caller, Path keys, Path trust)
            throws Exception {
        boolean tls = keys != null;
        String registrar = tls ? "sip:127.0.0.1:" + cluster.tlsPort() + ";transport=tls"
                : "sip:127.0.0.1:" + cluster.sipPort();
        UserAgentConfig config = UserAgentConfig.of(BenchUsers.extension(i), "127.0.0.1")
                .withPassword(BenchUsers.password(i)).withRegistrars(List.of(registrar))
                .withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(5));
        if (tls) {
            config = config.withTls(TlsSettings.client(trust, TestCertificates.PASSWORD, keys,
                    TestCertificates.PASSWORD)).withSrtp(true);
        }
        return caller ? TestPhone.start(config, CALLER_TONE, CALLEE_TONE)
                : TestPhone.start(config, CALLEE_TONE, CALLER_TONE);
    }

    /**
     * {@code callers[i]} calls {@code callees[i]} through the edge, all at once; once every call is up and media has
     * settled, the CPU over {@code window}; then every call is hung up.
     */
    private static Phase phase(String name, EdgeCluster cluster, List<TestPhone> callers, List<TestPhone> callees,
            long window) throws Exception {
        List<Call> placed = new ArrayList<>();
        for (int i = 0; i < callers.size(); i++) {
            String target = callers.get(i).ua.config().tls() != null
                    ? "sip:" + callees.get(i).ua.config().user() + "@127.0.0.1:" + cluster.tlsPort() + ";transport=tls"
                    : "sip:" + callees.get(i).ua.config().user() + "@127.0.0.1:" + cluster.sipPort();
            placed.add(callers.get(i).dial(target));
        }
        int up = 0;
        List<Call> answered = new ArrayList<>();
        for (int i = 0; i < placed.size(); i++) {
            try {
                callers.get(i).awaitState(placed.get(i), CallState.CONNECTED);
                Call in = callees.get(i).incoming.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
                if (in == null) {
                    throw new AssertionError("callee " + i + " never rang");
                }
                answered.add(in);
                up++;
            } catch (AssertionError notUp) {
                answered.add(null);
                System.out.println("srtp bench: " + name + " call " + i + " not up: " + notUp.getMessage());
            }
        }
        Thread.sleep(SETTLE_MILLIS); // media under way on every call before the window opens
        long[] callerEars = callers.stream().mapToLong(p -> p.ear.toneFrames()).toArray();
        long[] calleeEars = callees.stream().mapToLong(p -> p.ear.toneFrames()).toArray();
        Ticks start = Ticks.of(cluster);
        Thread.sleep(window); // the measured window
        Usage busy = Ticks.of(cluster).since(start);
        int heard = 0;
        // A second of tone each way in the window: the media really crossed, as the phones heard it.
        for (int i = 0; i < callers.size(); i++) {
            if (callers.get(i).ear.toneFrames() - callerEars[i] >= 50
                    && callees.get(i).ear.toneFrames() - calleeEars[i] >= 50) {
                heard++;
            }
        }
        for (Call call : placed) {
            call.hangup();
        }
        for (int i = 0; i < callees.size(); i++) {
            if (answered.get(i) != null) {
                callees.get(i).awaitState(answered.get(i), CallState.ENDED);
            }
        }
        return new Phase(name, up, heard, busy);
    }

    /** A PKCS12 trust store holding the edge's certificate (PEM): what a phone is given to trust the edge. */
    private static Path trustStore(Path pem, Path file) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        try (InputStream in = Files.newInputStream(pem)) {
            store.setCertificateEntry("edge", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, TestCertificates.PASSWORD.toCharArray());
        }
        return file;
    }

    private static String render(int calls, long window, Usage idle, Phase plain, Phase srtp, String before,
            String during) {
        StringBuilder md = new StringBuilder();
        md.append("Method: `./tandem edge --tls-port` (its self-signed certificate, trusted by the phones) in front of "
                + "two nodes; our own user agent (`TestPhone`, telephony's test-jar) on every side, since the SIPp "
                + "here speaks neither TLS nor SRTP. Two phases of ").append(calls)
                .append(" calls each, held through a ").append(window / 1000)
                .append(" s window once every call was up and its media had run ").append(SETTLE_MILLIS / 1000)
                .append(" s: first callers registered over UDP with plain RTP, then callers registered over TLS "
                        + "offering SDES SRTP (RFC 4568, AES_CM_128_HMAC_SHA1_80: AES counter mode and HMAC-SHA1, "
                        + "RFC 3711); the callees are the same plain UDP phones in both. G.711 at 50 packets/s each "
                        + "way. A call crosses rtpengine twice (caller ↔ node, node ↔ callee) and the nodes' relay "
                        + "once; only the caller ↔ rtpengine leg differs between the phases, so SRTP's cost is "
                        + "rtpengine's difference. CPU is user + system from /proc/<pid>/stat, less an idle window of "
                        + "the same length with every phone registered and no call. Load average (1/5/15 min) ")
                .append(before).append(" at the start, ").append(during).append(" at the end: **the machine is "
                        + "shared, read the figures as relative, not as capacity**.\n\n");
        md.append(String.format(Locale.ROOT, "Idle: rtpengine %.1f %%, Kamailio %.1f %%, both nodes %.1f %% of a "
                + "core.%n%n", idle.rtpengine(), idle.kamailio(), idle.nodes()));
        md.append("| phase | calls up | tone both ways | rtpengine % of a core | rtpengine per call, CPU ms/s | "
                + "nodes' relay per call, CPU ms/s | Kamailio % |\n|---|---:|---:|---:|---:|---:|---:|\n");
        for (Phase phase : List.of(plain, srtp)) {
            md.append(String.format(Locale.ROOT, "| %s | %d/%d | %d | %.1f | %.3f | %.3f | %.1f |%n", phase.name(),
                    phase.up(), calls, phase.heardBothWays(), phase.busy().rtpengine(),
                    perCall(phase.busy().rtpengine(), idle.rtpengine(), phase.up()),
                    perCall(phase.busy().nodes(), idle.nodes(), phase.up()), phase.busy().kamailio()));
        }
        double plainEngine = perCall(plain.busy().rtpengine(), idle.rtpengine(), plain.up());
        double srtpEngine = perCall(srtp.busy().rtpengine(), idle.rtpengine(), srtp.up());
        double relay = perCall(plain.busy().nodes(), idle.nodes(), plain.up());
        md.append(String.format(Locale.ROOT, "%nrtpengine per call with the SRTP leg / with plain RTP: **%.2f**; the "
                + "SRTP leg's own cost (the difference) %.3f CPU ms per second of call; rtpengine per SRTP call / "
                + "the nodes' plain relay per call: **%.2f** (CPU ms/s = ms of CPU per second of call).%n",
                srtpEngine / plainEngine, srtpEngine - plainEngine, srtpEngine / relay));
        return md.toString();
    }

    /** CPU ms per second of call: the busy per cent over idle, per call (1 % of a core = 10 ms/s). */
    private static double perCall(double busy, double idle, int calls) {
        return calls == 0 ? Double.NaN : (busy - idle) / calls * 10;
    }
}
