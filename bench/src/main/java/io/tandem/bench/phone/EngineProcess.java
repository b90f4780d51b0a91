package io.tandem.bench.phone;

import io.tandem.agent.engine.EngineKind;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link EngineHost} JVM the bench started: its protocol lines, its commands, and its CPU time from
 * {@code /proc/<pid>/stat}. Its whole output also goes to a log file in the work directory.
 */
final class EngineProcess implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EngineProcess.class);
    static final List<String> JVM_OPTIONS = List.of("-Xms128m", "-Xmx128m", "-XX:+AlwaysPreTouch");

    private final String name;
    private final Process process;
    private final Writer commands;
    private final Path log;
    /** Guarded by itself: protocol lines not yet taken by {@link #await}. */
    private final LinkedList<String> lines = new LinkedList<>();

    private EngineProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.commands = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
        Thread reader = new Thread(this::read, name + "-out");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts {@link EngineHost} on {@code kind} with {@code args}, on this JVM's class path (which holds pjsua2.jar when
     * the launcher found a pjsua2 build), with {@code env} added (MALLOC_ARENA_MAX for the allocator run).
     */
    static EngineProcess start(String name, Path dir, EngineKind kind, String pjsua2Home, List<String> args,
            Map<String, String> env) throws IOException {
        Files.createDirectories(dir);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        // A fixed heap, touched at start: committed heap is then all resident, so resident − heap − non-heap is
        // what lives outside the Java heap (a 390 MB default heap committed but untouched made it negative).
        command.addAll(JVM_OPTIONS);
        if (kind == EngineKind.PJSUA2) {
            command.add("-Dtandem.pjsua2.home=" + pjsua2Home);
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), EngineHost.class.getName(), "--engine",
                kind.id(), "--dir", dir.toAbsolutePath().toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        return new EngineProcess(name, builder.start(), dir.resolve(name + ".log"));
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8)); Writer out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                out.write(line);
                out.write('\n');
                out.flush();
                if (line.startsWith(EngineHost.PREFIX)) {
                    synchronized (lines) {
                        lines.add(line.substring(EngineHost.PREFIX.length()));
                        lines.notifyAll();
                    }
                }
            }
        } catch (IOException e) {
            LOG.warn("{}: output lost: {}", name, e.getMessage());
        }
        synchronized (lines) {
            lines.notifyAll();
        }
    }

    /** The next protocol line starting with {@code prefix} (taken out of the queue; others stay). */
    String await(String prefix, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lines) {
            while (true) {
                for (var it = lines.iterator(); it.hasNext(); ) {
                    String line = it.next();
                    if (line.startsWith(prefix)) {
                        it.remove();
                        return line;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || !process.isAlive()) {
                    throw new IOException(name + ": no '" + prefix + "' within " + timeout
                            + (process.isAlive() ? "" : " (the process exited)") + "; log: " + log + "\n" + tail());
                }
                TimeUnit.NANOSECONDS.timedWait(lines, left);
            }
        }
    }

    void send(String command) throws IOException {
        commands.write(command);
        commands.write('\n');
        commands.flush();
    }

    /** Memory and threads as the process sees them itself. */
    ProcessMemory memory() throws IOException, InterruptedException {
        send("stats");
        return ProcessMemory.parse(await("stats ", Duration.ofSeconds(30)).substring("stats ".length()));
    }

    /** User + system CPU time so far, in clock ticks (1/100 s), from /proc/<pid>/stat (fields 14 and 15). */
    long cpuTicks() throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    boolean waitFor(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    String tail() {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - 20), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        try {
            if (process.isAlive()) {
                send("quit");
            }
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                LOG.warn("{} did not quit within 30 s: killed", name);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ")";
    }
}
