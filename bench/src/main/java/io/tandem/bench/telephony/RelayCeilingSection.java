package io.tandem.bench.telephony;

import io.tandem.bench.BenchSection;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the kernel's UDP path lets one core relay at all, next to {@link RelayThroughputSection}'s figure for our
 * relay: a small C relay of the same shape (8 relays, a flood of 172-byte RTP on loopback, generator on core 1,
 * relay on core 0) built with gcc on the spot, once per system-call lever: plain recvfrom + sendto (the Java relay's
 * one receive and one send per packet), a connected sending socket (no route lookup per send), recvmmsg + sendmmsg
 * batches of 32, and both. It tells how far a lever can move our figure before anyone builds it in Java (issue 21).
 * Skipped, with a line saying so, where gcc is missing.
 */
public final class RelayCeilingSection implements BenchSection {
    private static final List<String> MODES = List.of("plain", "connected", "batched", "batched-connected");
    /** Each mode runs this many times, interleaved, and the best run counts: a shared machine only ever slows it. */
    private static final int ROUNDS = 2;

    @Override
    public String title() {
        return "RTP relay ceiling (C relay on the kernel's UDP path, packets per relay CPU second)";
    }

    @Override
    public String run(boolean quick) throws Exception {
        Path dir = Files.createTempDirectory("relay-ceiling");
        try {
            Path binary = build(dir);
            if (binary == null) {
                return "Skipped: gcc is not installed (apt-get install gcc), so the C relay could not be built.\n";
            }
            double seconds = quick ? 3 : 6;
            Map<String, Double> best = new LinkedHashMap<>();
            Map<String, Double> wall = new LinkedHashMap<>();
            for (int round = 0; round < ROUNDS; round++) {
                for (String mode : MODES) {
                    long[] r = runMode(binary, mode, seconds); // forwarded, relay CPU ns, wall ns
                    double perCpuSecond = r[0] / (r[1] / 1e9);
                    if (perCpuSecond > best.getOrDefault(mode, 0.0)) {
                        best.put(mode, perCpuSecond);
                        wall.put(mode, r[0] / (r[2] / 1e9));
                    }
                }
            }
            double plain = best.get("plain");
            StringBuilder md = new StringBuilder();
            md.append("| relay (C, 8 relays, PCMU 172 B) | system calls per packet | forwarded (pps, wall clock) "
                    + "| forwarded per relay CPU second | vs plain |\n");
            md.append("|---|---|---:|---:|---:|\n");
            Map<String, String> calls = Map.of(
                    "plain", "recvfrom + sendto (as the Java relay)",
                    "connected", "recvfrom + send on a connected socket",
                    "batched", "recvmmsg + sendmmsg, up to 32 datagrams a call",
                    "batched-connected", "the same on a connected socket");
            for (String mode : MODES) {
                md.append(String.format(Locale.ROOT, "| %s | %s | %,.0f | **%,.0f** | %+.0f %% |%n", mode,
                        calls.get(mode), wall.get(mode), best.get(mode), 100 * (best.get(mode) / plain - 1)));
            }
            md.append('\n').append(String.format(Locale.ROOT,
                    "Best of %d interleaved runs of %.0f s per mode (1.5 s warm-up excluded); relay on core 0, "
                            + "generator (sendmmsg, so that it outruns the relay) on core 1; 1-min load average at "
                            + "the end: %s on %d cores. Against the goal of %,.0f: the best lever reaches %.0f %% of "
                            + "it. Batching gains only where a socket holds several datagrams when it is read — a "
                            + "flood like this one; a real call's port receives one packet per 20 ms.%n",
                    ROUNDS, seconds, RelayBenchProcess.loadAverage(), Runtime.getRuntime().availableProcessors(),
                    RelayThroughputSection.GOAL_PPS,
                    100 * best.values().stream().mapToDouble(Double::doubleValue).max().orElse(0)
                            / RelayThroughputSection.GOAL_PPS));
            return md.toString();
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    /** Compiles the C relay from this module's resources into {@code dir}; null when gcc is missing or fails. */
    private static Path build(Path dir) throws IOException, InterruptedException {
        Path source = dir.resolve("relay_ceiling.c");
        try (InputStream in = RelayCeilingSection.class.getResourceAsStream("/relay-ceiling/relay_ceiling.c")) {
            if (in == null) {
                throw new IOException("relay-ceiling/relay_ceiling.c is missing from the bench's resources");
            }
            Files.copy(in, source);
        }
        Path binary = dir.resolve("relay_ceiling");
        Process gcc;
        try {
            gcc = new ProcessBuilder("gcc", "-O2", "-o", binary.toString(), source.toString())
                    .redirectErrorStream(true).start();
        } catch (IOException notInstalled) {
            return null;
        }
        String output = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (gcc.waitFor() != 0) {
            throw new IOException("gcc failed on relay_ceiling.c:\n" + output);
        }
        return binary;
    }

    private static long[] runMode(Path binary, String mode, double seconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(binary.toString(), mode, Double.toString(seconds))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            if (!p.waitFor((long) seconds + 10, TimeUnit.SECONDS) || !out.startsWith("RESULT " + mode + " ")) {
                throw new IOException("relay_ceiling " + mode + " failed: " + out);
            }
            String[] f = out.split(" ");
            return new long[]{Long.parseLong(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4])};
        } finally {
            p.destroyForcibly();
        }
    }
}
