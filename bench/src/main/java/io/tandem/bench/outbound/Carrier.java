package io.tandem.bench.outbound;

import io.tandem.bench.node.CallSection;
import io.tandem.bench.node.ChildProcess;
import io.tandem.bench.node.LoopbackPorts;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A carrier's gateway on loopback: a SIPp UAS process ({@code outbound/carrier-uas.xml}) that logs the wall-clock time
 * of every INVITE it receives, answers, and hangs up {@code holdMillis} after the ACK; with {@code echo}, SIPp's
 * {@code -rtp_echo} sends every RTP packet of the node back to it.
 */
final class Carrier implements AutoCloseable {

    private static final String SCENARIO = "carrier-uas.xml";

    private final String name;
    private final ChildProcess sipp;
    private final int port;
    private final int mediaPort;

    private Carrier(String name, ChildProcess sipp, int port, int mediaPort) {
        this.name = name;
        this.sipp = sipp;
        this.port = port;
        this.mediaPort = mediaPort;
    }

    static Carrier start(Path work, String name, long holdMillis, boolean echo)
            throws IOException, InterruptedException {
        Path run = Files.createDirectories(work.resolve("carrier-" + name));
        try (InputStream in = Carrier.class.getResourceAsStream("/outbound/" + SCENARIO)) {
            if (in == null) {
                throw new IOException("no scenario /outbound/" + SCENARIO + " on the class path");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1)
                    .replace("HOLD_MS", Long.toString(Math.max(1, holdMillis)));
            Files.writeString(run.resolve(SCENARIO), text, StandardCharsets.ISO_8859_1);
        }
        int port = LoopbackPorts.udpAndTcp();
        int media = LoopbackPorts.sippMedia();
        List<String> command = new ArrayList<>(List.of("sipp", "-sf", SCENARIO, "-i", "127.0.0.1", "-p",
                Integer.toString(port), "-mi", "127.0.0.1", "-mp", Integer.toString(media), "-t", "u1", "-l", "5000",
                "-default_behaviors", "all,-abortunexp", "-nostdin", "-trace_logs", "-trace_stat", "-stf",
                "stats.csv", "-fd", "1", "-trace_err", "-error_file", "errors.log"));
        if (echo) {
            command.add("-rtp_echo");
        }
        ChildProcess sipp = ChildProcess.start("sipp-" + name, run, command, Map.of());
        CallSection.awaitBound(port, sipp);
        return new Carrier(name, sipp, port, media);
    }

    String name() {
        return name;
    }

    int port() {
        return port;
    }

    /** The UDP port SIPp receives (and with -rtp_echo returns) the node's RTP on. */
    int mediaPort() {
        return mediaPort;
    }

    /** The wall-clock time, in ms, of every INVITE this carrier received so far, in order. */
    long[] inviteMillis() throws IOException {
        Path dir = sipp.workDir();
        try (Stream<Path> files = Files.list(dir)) {
            Path log = files.filter(f -> f.getFileName().toString().endsWith("_logs.log")).findFirst().orElse(null);
            if (log == null) {
                return new long[0];
            }
            long[] times = Files.readAllLines(log, StandardCharsets.ISO_8859_1).stream()
                    .filter(l -> l.startsWith("INVITE ")).map(l -> l.split("\\s+")).filter(f -> f.length >= 3)
                    .mapToLong(f -> (long) (Double.parseDouble(f[1]) * 1000 + Double.parseDouble(f[2]) / 1000))
                    .toArray();
            Arrays.sort(times);
            return times;
        }
    }

    /**
     * From SIPp's statistics (one row a second): {calls answered and ended well, failed calls, most calls up at once}.
     */
    long[] stats() throws IOException {
        Path csv = sipp.workDir().resolve("stats.csv");
        if (!Files.exists(csv)) {
            throw new IOException("carrier " + name + ": SIPp wrote no statistics (" + csv + ")");
        }
        List<String> lines = Files.readAllLines(csv).stream().filter(l -> !l.isBlank()).toList();
        List<String> header = List.of(lines.get(0).split(";", -1));
        int ok = header.indexOf("SuccessfulCall(C)");
        int failed = header.indexOf("FailedCall(C)");
        int current = header.indexOf("CurrentCall");
        long most = 0;
        String[] last = lines.get(lines.size() - 1).split(";", -1);
        for (String line : lines.subList(1, lines.size())) {
            String[] row = line.split(";", -1);
            if (row.length > current) {
                most = Math.max(most, Long.parseLong(row[current].trim()));
            }
        }
        return new long[] {Long.parseLong(last[ok].trim()), Long.parseLong(last[failed].trim()), most};
    }

    @Override
    public void close() {
        sipp.close();
    }

    @Override
    public String toString() {
        return "carrier " + name + " (" + sipp + ", port " + port + ")";
    }
}
