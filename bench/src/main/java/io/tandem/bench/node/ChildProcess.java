package io.tandem.bench.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A program the bench starts, its output in a log file, stopped (and its children with it) on close. */
public final class ChildProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path log;
    private final Path workDir;

    private ChildProcess(String name, Process process, Path log, Path workDir) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.workDir = workDir;
    }

    public static ChildProcess start(String name, Path workDir, List<String> command, Map<String, String> env)
            throws IOException {
        Files.createDirectories(workDir);
        Path log = workDir.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        return new ChildProcess(name, builder.start(), log, workDir);
    }

    /** The operating-system process id. */
    public long pid() {
        return process.pid();
    }

    /** The directory the program runs in (its log and output files). */
    public Path workDir() {
        return workDir;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits for the program to end by itself; false when it did not within the time. */
    public boolean waitFor(long seconds) throws InterruptedException {
        return process.waitFor(seconds, TimeUnit.SECONDS);
    }

    /**
     * CPU time (user + system, in clock ticks of 1/100 s) used so far by the program and its live descendants
     * (Kamailio's workers are child processes), from /proc.
     */
    public long cpuTicks() {
        long ticks = ticksOf(process.pid());
        for (ProcessHandle child : process.descendants().toList()) {
            ticks += ticksOf(child.pid());
        }
        return ticks;
    }

    /** As {@link #cpuTicks()} for the descendants named {@code command} only (their /proc comm, e.g. rtpengine). */
    public long cpuTicksOf(String command) {
        long ticks = 0;
        for (ProcessHandle child : process.descendants().toList()) {
            try {
                if (Files.readString(Path.of("/proc", Long.toString(child.pid()), "comm")).trim().equals(command)) {
                    ticks += ticksOf(child.pid());
                }
            } catch (IOException ended) {
                // the process ended between listing and reading: it has no CPU left to count
            }
        }
        return ticks;
    }

    /**
     * CPU time (clock ticks) used so far by the program's own threads whose name starts with one of {@code prefixes}
     * (their /proc comm, cut to 15 characters: a JVM's "C2 CompilerThre"), e.g. the JIT compiler's share of a step.
     */
    public long threadTicks(String... prefixes) {
        long ticks = 0;
        try (var tasks = Files.list(Path.of("/proc", Long.toString(process.pid()), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    for (String prefix : prefixes) {
                        if (comm.startsWith(prefix)) {
                            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                            ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                            break;
                        }
                    }
                } catch (IOException | RuntimeException ended) {
                    // the thread ended between listing and reading
                }
            }
        } catch (IOException ended) {
            return 0; // the process ended
        }
        return ticks;
    }

    private static long ticksOf(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // Fields after the parenthesised command name: state is field 3, utime 14, stime 15.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException | RuntimeException e) {
            return 0; // the process ended meanwhile
        }
    }

    /** SIGKILL, no grace: a process dying as on a crash (the edge bench's failover). */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    int exitValue() {
        return process.exitValue();
    }

    Path log() {
        return log;
    }

    /** How many lines of the log contain {@code text}. */
    public long linesContaining(String text) throws IOException {
        try (var lines = Files.lines(log)) {
            return lines.filter(l -> l.contains(text)).count();
        }
    }

    /** The last lines of the log, to say why a program failed. */
    public String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ")";
    }
}
