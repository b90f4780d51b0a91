package io.tandem.bench.node;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * SIPp as the two registered parties of the call section: user A's UAC calls user B's UAS through the node. Writes
 * the scenarios (with or without RTP both ways) and a looped G.711 file, runs SIPp, reads its statistics.
 */
public final class SippCalls {

    /** One second of u-law silence-level samples, looped by {@code rtp_stream} (loss is counted, not audio). */
    private static final String AUDIO = "audio.pcmu";
    private final Path dir;
    private final int nodePort;
    private final AtomicInteger runs = new AtomicInteger();

    public SippCalls(Path dir, int nodePort) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.nodePort = nodePort;
        byte[] audio = new byte[8000];
        Arrays.fill(audio, (byte) 0xFE);
        Files.write(dir.resolve(AUDIO), audio);
    }

    static String injection(int user) {
        return "SEQUENTIAL\n" + BenchUsers.extension(user) + ";[authentication username=" + BenchUsers.extension(user)
                + " password=" + BenchUsers.password(user) + "]\n";
    }

    /** Registers {@code user} from SIPp bound to {@code port}; the binding outlives SIPp (default expiry). */
    public void register(int user, int port) throws IOException, InterruptedException {
        if (!attemptRegister("register-" + user, user, port, 30)) {
            throw new IOException("user " + BenchUsers.extension(user) + " did not register (see " + dir + ")");
        }
    }

    /**
     * One REGISTER with digest of {@code user} from SIPp bound to {@code port}, given up after {@code timeoutSeconds}:
     * whether it ended with a 200.
     */
    public boolean attemptRegister(String label, int user, int port, int timeoutSeconds)
            throws IOException, InterruptedException {
        Path run = runDir(label);
        copy("register-digest-uac.xml", run, Map.of());
        Files.writeString(run.resolve("users.csv"), injection(user));
        try (ChildProcess sipp = ChildProcess.start("sipp", run, List.of("sipp", "127.0.0.1:" + nodePort, "-sf",
                "register-digest-uac.xml", "-inf", "users.csv", "-i", "127.0.0.1", "-p", Integer.toString(port),
                "-t", "u1", "-m", "1", "-timeout", timeoutSeconds + "s", "-timeout_error", "-nostdin", "-trace_stat",
                "-stf", "stats.csv"), Map.of())) {
            return sipp.waitFor(timeoutSeconds + 10)
                    && number(lastStats(run.resolve("stats.csv")), "SuccessfulCall(C)") == 1;
        }
    }

    /** The callee: answers every call until closed. */
    public ChildProcess startUas(int port, boolean media) throws IOException {
        Path run = runDir(media ? "uas-media" : "uas");
        copy("call-uas.xml", run, media ? Map.of("<!--RTP-->",
                "<nop><action><exec rtp_stream=\"" + AUDIO + ",-1,0\" /></action></nop>", "<!--RTP-STOP-->",
                "<nop><action><exec rtp_stream=\"pause\" /></action></nop>") : Map.of());
        Files.copy(dir.resolve(AUDIO), run.resolve(AUDIO));
        // A retransmitted 200 OK is ACKed again (RFC 3261 §13.3.1.4); a second ACK reaching the UAS once it has gone
        // past its ACK would abort the call by default ("unexpected message"), as it did through the loaded edge.
        return ChildProcess.start("sipp-uas", run, List.of("sipp", "-sf", "call-uas.xml", "-i", "127.0.0.1", "-p",
                Integer.toString(port), "-mi", "127.0.0.1", "-mp", Integer.toString(LoopbackPorts.sippMedia()),
                "-t", "u1", "-l", "20000", "-default_behaviors", "all,-abortunexp", "-nostdin", "-trace_err",
                "-error_file", "errors.log"), Map.of());
    }

    /** What one UAC run did; {@code ringingMillis} are its INVITE→180 samples. */
    public record Run(int rate, long calls, long successful, long failed, long retransmissions, double seconds,
            double[] ringingMillis) {

        public double percentile(double p) {
            if (ringingMillis.length == 0) {
                return Double.NaN;
            }
            double[] sorted = ringingMillis.clone();
            Arrays.sort(sorted);
            return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
        }
    }

    /** User A calls user B {@code calls} times at {@code rate}/s, each call held {@code holdMillis}. */
    public Run call(String label, int port, int rate, long calls, long holdMillis, boolean media, String callee)
            throws IOException, InterruptedException {
        Path run = runDir(label + "-" + rate);
        // SIPp reads a recv timeout of 0 as none: a call "held 0 ms" would wait -recv_timeout (10 s) for a BYE that
        // never comes before it hangs up, which is how the edge bench once measured a 14 s failover. 1 ms it is.
        copy("call-uac.xml", run, Map.of("HOLD_MS", Long.toString(Math.max(1, holdMillis)), "<!--RTP-->",
                media ? "<nop><action><exec rtp_stream=\"" + AUDIO + ",-1,0\" /></action></nop>" : ""));
        Files.copy(dir.resolve(AUDIO), run.resolve(AUDIO));
        Files.writeString(run.resolve("users.csv"), injection(0));
        long timeoutSeconds = calls / Math.max(1, rate) + holdMillis / 1000 + 60;
        long start = System.nanoTime();
        try (ChildProcess sipp = ChildProcess.start("sipp-uac", run, List.of("sipp", "127.0.0.1:" + nodePort,
                "-sf", "call-uac.xml", "-inf", "users.csv", "-s", callee, "-i", "127.0.0.1", "-p",
                Integer.toString(port), "-mi", "127.0.0.1", "-mp", Integer.toString(LoopbackPorts.sippMedia()),
                "-t", "u1", "-r", Integer.toString(rate), "-rp", "1000", "-m", Long.toString(calls), "-l", "20000",
                "-recv_timeout", "10000", "-timeout", timeoutSeconds + "s", "-timeout_error", "-nostdin",
                "-trace_stat", "-stf", "stats.csv", "-fd", "1", "-trace_rtt", "-rtt_freq", "1", "-trace_err",
                "-error_file", "errors.log"), Map.of())) {
            if (!sipp.waitFor(timeoutSeconds + 30)) {
                throw new IOException("SIPp did not finish within " + (timeoutSeconds + 30) + " s");
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, String> last = lastStats(run.resolve("stats.csv"));
        long successful = number(last, "SuccessfulCall(C)");
        long failed = number(last, "FailedCall(C)");
        return new Run(rate, successful + failed, successful, failed, number(last, "Retransmissions(C)"), seconds,
                ringing(run));
    }

    /** SIPp's {@code -trace_rtt} file: "date_ms;response_time_ms;rtd_name" per measured call. */
    private static double[] ringing(Path run) throws IOException {
        try (Stream<Path> files = Files.list(run)) {
            Path rtt = files.filter(f -> f.getFileName().toString().endsWith("_rtt.csv")).findFirst().orElse(null);
            if (rtt == null) {
                return new double[0];
            }
            return Files.readAllLines(rtt).stream().map(l -> l.split(";")).filter(f -> f.length >= 3)
                    .filter(f -> f[2].trim().equals("ringing")).mapToDouble(f -> {
                        try {
                            return Double.parseDouble(f[1].trim());
                        } catch (NumberFormatException header) {
                            return Double.NaN;
                        }
                    }).filter(v -> !Double.isNaN(v)).toArray();
        }
    }

    private Path runDir(String label) throws IOException {
        return Files.createDirectories(dir.resolve(String.format("%02d-%s", runs.incrementAndGet(), label)));
    }

    private static void copy(String scenario, Path run, Map<String, String> replacements) throws IOException {
        try (InputStream in = SippCalls.class.getResourceAsStream("/node/" + scenario)) {
            String text = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            for (Map.Entry<String, String> r : replacements.entrySet()) {
                text = text.replace(r.getKey(), r.getValue());
            }
            Files.writeString(run.resolve(scenario), text, StandardCharsets.ISO_8859_1);
        }
    }

    static Map<String, String> lastStats(Path csv) throws IOException {
        if (!Files.exists(csv)) {
            throw new IOException("SIPp wrote no statistics (" + csv + ")");
        }
        List<String> lines = Files.readAllLines(csv).stream().filter(l -> !l.isBlank()).toList();
        if (lines.size() < 2) {
            throw new IOException("SIPp statistics hold no counts (" + csv + ")");
        }
        String[] header = lines.get(0).split(";", -1);
        String[] row = lines.get(lines.size() - 1).split(";", -1);
        Map<String, String> byName = new HashMap<>();
        for (int i = 0; i < header.length && i < row.length; i++) {
            byName.put(header[i].trim(), row[i].trim());
        }
        return byName;
    }

    static long number(Map<String, String> stats, String column) throws IOException {
        String value = stats.get(column);
        if (value == null) {
            throw new IOException("SIPp statistics have no column " + column);
        }
        return Long.parseLong(value);
    }
}
