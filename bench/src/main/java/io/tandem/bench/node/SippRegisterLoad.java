package io.tandem.bench.node;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * SIPp registering the bench users with digest at a fixed rate against one registrar: one run per step of the
 * ramp, each a fresh SIPp process reading the users from the start of the injection file.
 */
public final class SippRegisterLoad {

    private static final String SCENARIO = "register-digest-uac.xml";
    private final Path dir;
    private final Path users;
    private int runs;

    public SippRegisterLoad(Path dir, Path users) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.users = users;
        try (InputStream in = SippRegisterLoad.class.getResourceAsStream("/node/" + SCENARIO)) {
            Files.write(dir.resolve(SCENARIO), in.readAllBytes());
        }
    }

    /** What one run did. */
    public record Step(int targetRate, long calls, long successful, long failed, long retransmissions, double seconds,
            long cpuTicks) {

        /**
         * CPU milliseconds the registrar spent per completed registration (two REGISTERs, a 401 and a 200): the
         * figure other builds on the machine do not distort much, since it counts only the registrar's own CPU.
         */
        public double cpuMillisPerRegistration() {
            return successful == 0 ? 0 : cpuTicks * 10.0 / successful;
        }

        /** Completed registrations per second of wall clock, start of SIPp to the last answer. */
        public double achievedRate() {
            return seconds <= 0 ? 0 : successful / seconds;
        }

        public double failureRatio() {
            return calls == 0 ? 1 : (double) failed / calls;
        }

        /** Under 0.1 % failures, and the registrar kept up (a backlog shows as a rate well under the target). */
        public boolean sustained() {
            return failed * 1000 < calls && successful == calls && achievedRate() >= 0.9 * targetRate;
        }
    }

    /** Registers {@code calls} users (wrapping round the file) at {@code rate} per second against port {@code port}. */
    public Step run(String label, RegistrarUnderTest registrar, int rate, long calls)
            throws IOException, InterruptedException {
        int port = registrar.sipPort();
        Path runDir = Files.createDirectories(dir.resolve(label + "-" + (++runs) + "-" + rate));
        Files.copy(dir.resolve(SCENARIO), runDir.resolve(SCENARIO));
        long timeoutSeconds = calls / Math.max(1, rate) + 60;
        List<String> command = List.of("sipp", "127.0.0.1:" + port, "-sf", SCENARIO, "-inf", users.toString(),
                "-i", "127.0.0.1", "-p", Integer.toString(LoopbackPorts.udpAndTcp()), "-t", "u1",
                "-r", Integer.toString(rate), "-rp", "1000", "-m", Long.toString(calls),
                "-l", Integer.toString(Math.max(1000, rate * 3)),
                "-recv_timeout", "5000", "-timeout", timeoutSeconds + "s", "-timeout_error", "-nostdin",
                "-trace_stat", "-stf", "stats.csv", "-fd", "1", "-trace_err", "-error_file", "errors.log");
        long cpuBefore = registrar.cpuTicks();
        long start = System.nanoTime();
        try (ChildProcess sipp = ChildProcess.start("sipp", runDir, command, Map.of())) {
            if (!sipp.waitFor(timeoutSeconds + 30)) {
                throw new IOException("SIPp did not finish within " + (timeoutSeconds + 30) + " s");
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long cpu = registrar.cpuTicks() - cpuBefore;
        Map<String, String> last = lastStats(runDir.resolve("stats.csv"));
        long successful = number(last, "SuccessfulCall(C)");
        long failed = number(last, "FailedCall(C)");
        return new Step(rate, successful + failed, successful, failed, number(last, "Retransmissions(C)"), seconds,
                cpu);
    }

    /** The final line of SIPp's statistics file (written at exit), by column name. */
    private static Map<String, String> lastStats(Path csv) throws IOException {
        if (!Files.exists(csv)) {
            throw new IOException("SIPp wrote no statistics (" + csv + ")");
        }
        List<String> lines = Files.readAllLines(csv).stream().filter(l -> !l.isBlank()).toList();
        if (lines.size() < 2) {
            throw new IOException("SIPp statistics hold no counts (" + csv + ")");
        }
        String[] header = lines.get(0).split(";", -1);
        String[] row = lines.get(lines.size() - 1).split(";", -1);
        java.util.Map<String, String> byName = new java.util.HashMap<>();
        for (int i = 0; i < header.length && i < row.length; i++) {
            byName.put(header[i].trim(), row[i].trim());
        }
        return byName;
    }

    private static long number(Map<String, String> stats, String column) throws IOException {
        String value = stats.get(column);
        if (value == null) {
            throw new IOException("SIPp statistics have no column " + column);
        }
        return Long.parseLong(value);
    }
}
