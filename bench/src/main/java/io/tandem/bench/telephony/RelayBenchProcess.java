package io.tandem.bench.telephony;

import io.tandem.telephony.codec.CodecSpec;
import io.tandem.telephony.relay.RtpRelay;
import io.tandem.telephony.relay.RtpRelayEngine;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What both relay benchmarks share: pinning the relay thread to core 0 with {@code taskset},
 * starting {@link RelayLoadGenerator} as a child JVM on core 1, and wiring its endpoints to
 * the relays' legs.
 */
final class RelayBenchProcess {
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    /** Below the Linux ephemeral range (32768+): room for 3000 relays of 4 ports. */
    static final int PORT_MIN = 20000;
    static final int PORT_MAX = 31999;

    private RelayBenchProcess() {
    }

    static boolean canPin() {
        return Runtime.getRuntime().availableProcessors() >= 2 && Files.isExecutable(Path.of("/usr/bin/taskset"));
    }

    /**
     * Pins the named thread of this JVM to {@code core} (Linux: /proc/self/task/N/comm, then
     * {@code taskset -pc}). Returns what was done, for the report.
     */
    static String pinThread(String threadName, int core) {
        if (!canPin()) {
            return "not pinned (needs taskset and 2 cores)";
        }
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                String comm = Files.readString(task.resolve("comm")).trim();
                if (comm.equals(threadName)) {
                    Process p = new ProcessBuilder("taskset", "-pc", Integer.toString(core),
                            task.getFileName().toString()).redirectErrorStream(true).start();
                    p.getInputStream().readAllBytes();
                    return p.waitFor() == 0 ? "thread " + threadName + " pinned to core " + core
                            : "taskset failed, not pinned";
                }
            }
        } catch (IOException e) {
            return "not pinned (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "not pinned (thread " + threadName + " not found)";
    }

    /** A running generator with its endpoints wired to {@code relays}. */
    static final class Generator implements AutoCloseable {
        final Process process;
        final BufferedReader out;
        final String pinning;

        Generator(String mode, List<RtpRelay> relays, double seconds) throws IOException {
            List<String> cmd = new ArrayList<>();
            if (canPin()) {
                cmd.addAll(List.of("taskset", "-c", "1"));
                pinning = "child JVM under taskset -c 1";
            } else {
                pinning = "child JVM not pinned";
            }
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.addAll(List.of("-Xmx256m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                    RelayLoadGenerator.class.getName(), mode, Integer.toString(relays.size()),
                    Double.toString(seconds)));
            process = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
            String ports = out.readLine();
            if (ports == null || !ports.startsWith("PORTS")) {
                throw new IOException("load generator did not start: " + ports);
            }
            String[] p = ports.substring(5).trim().split(" ");
            StringBuilder legs = new StringBuilder("LEGS");
            for (int i = 0; i < relays.size(); i++) {
                RtpRelay r = relays.get(i);
                r.legA().configure(new InetSocketAddress(LOOPBACK, Integer.parseInt(p[2 * i])), CodecSpec.PCMU, 101);
                r.legB().configure(new InetSocketAddress(LOOPBACK, Integer.parseInt(p[2 * i + 1])),
                        CodecSpec.PCMU, 101);
                legs.append(' ').append(r.legA().localAddress().getPort())
                        .append(' ').append(r.legB().localAddress().getPort());
            }
            Writer in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.US_ASCII);
            in.write(legs.append('\n').toString());
            in.flush();
        }

        /** Waits for the RESULT line: sentAB recvAB sentBA recvBA sendFailures elapsedNanos. */
        long[] result() throws IOException, InterruptedException {
            String line = out.readLine();
            if (line == null || !line.startsWith("RESULT ")) {
                throw new IOException("load generator failed: " + line);
            }
            String[] f = line.substring(7).trim().split(" ");
            long[] r = new long[f.length];
            for (int i = 0; i < f.length; i++) {
                r[i] = Long.parseLong(f[i]);
            }
            process.waitFor(10, TimeUnit.SECONDS);
            return r;
        }

        @Override
        public void close() {
            process.destroy();
        }
    }

    /** Opens relays until there are {@code n}. */
    static void growTo(RtpRelayEngine engine, List<RtpRelay> relays, int n) throws IOException {
        while (relays.size() < n) {
            relays.add(engine.open(LOOPBACK, LOOPBACK));
        }
    }

    /**
     * CPU time (user + system, so the kernel's UDP work counts too) used so far by the named
     * thread of this JVM; -1 when the JVM cannot tell. Dividing work by it gives a per-core
     * figure that does not depend on how busy the rest of the machine is.
     */
    static long threadCpuNanos(String threadName) {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals(threadName)) {
                return mx.isThreadCpuTimeSupported() ? mx.getThreadCpuTime(t.getId()) : -1;
            }
        }
        return -1;
    }

    /**
     * User and system clock ticks of the named thread from /proc/self/task/N/stat (fields 14
     * and 15), to tell how much of the relay's time is the kernel's UDP work; null if unknown.
     */
    static long[] userSystemTicks(String threadName) {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                if (Files.readString(task.resolve("comm")).trim().equals(threadName)) {
                    String stat = Files.readString(task.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    // after "pid (comm) ", field 3 (state) is index 0, so utime (14) is index 11
                    return new long[]{Long.parseLong(f[11]), Long.parseLong(f[12])};
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }

    /** The 1-minute load average, to put the figures in context. */
    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    static long forwarded(List<RtpRelay> relays) {
        long sum = 0;
        for (RtpRelay r : relays) {
            sum += r.aToB().packetsForwarded() + r.bToA().packetsForwarded();
        }
        return sum;
    }
}
