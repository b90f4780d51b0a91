package io.tandem.telephony.peers;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One external peer program run as a child process: stdin closed (neither SIPp nor baresip may
 * wait for a terminal), stdout and stderr into files in the peer's work dir (so a chatty program
 * never blocks on a full pipe, and the files are there to read after a failure), killed with
 * its descendants on {@link #close()} and by a JVM shutdown hook, so no test leaves a process
 * behind even when it crashes.
 */
final class PeerProcess implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PeerProcess.class);
    private static final Set<PeerProcess> LIVE = ConcurrentHashMap.newKeySet();
    private static final Duration GRACE = Duration.ofSeconds(3);
    /** How much of a log file goes into a failure message. */
    static final int TAIL_CHARS = 3_000;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(PeerProcess::kill), "peer-process-reaper"));
    }

    private final String name;
    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private PeerProcess(String name, Process process, Path stdout, Path stderr) {
        this.name = name;
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** Starts {@code command} in {@code workDir}; output goes to {@code <workDir>/stdout.log} and {@code stderr.log}. */
    static PeerProcess start(String name, List<String> command, Path workDir) {
        Path out = workDir.resolve("stdout.log");
        Path err = workDir.resolve("stderr.log");
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        try {
            Process p = pb.start();
            PeerProcess peer = new PeerProcess(name, p, out, err);
            LIVE.add(peer);
            LOG.info("started {} (pid {}): {}", name, p.pid(), String.join(" ", command));
            return peer;
        } catch (IOException e) {
            throw new IllegalStateException("could not start " + name + ": " + String.join(" ", command) + ": " + e, e);
        }
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The exit code once the process has ended, empty while it runs. */
    OptionalInt exitCode() {
        return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
    }

    /** Waits up to {@code timeout} for the process to end; empty when it is still running. */
    OptionalInt waitFor(Duration timeout) {
        try {
            if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                LIVE.remove(this);
                return OptionalInt.of(process.exitValue());
            }
            return OptionalInt.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + name + " to exit", e);
        }
    }

    /**
     * Fails loudly when the program died: its exit code and the tails of its stderr and stdout,
     * so the assertion message says why (bad option, port in use, missing module...).
     */
    void requireAlive(String activity) {
        if (!process.isAlive()) {
            throw new IllegalStateException(name + " exited with code " + process.exitValue() + " while " + activity
                    + "\n" + outputTails());
        }
    }

    /** The last lines of stderr and stdout, labelled, for failure messages. */
    String outputTails() {
        return "--- " + name + " stderr (tail) ---\n" + tail(stderr, TAIL_CHARS)
                + "\n--- " + name + " stdout (tail) ---\n" + tail(stdout, TAIL_CHARS);
    }

    Path stdoutFile() {
        return stdout;
    }

    /** The last {@code maxChars} of a text file, with carriage-return progress lines turned into lines. */
    static String tail(Path file, int maxChars) {
        try {
            if (!Files.exists(file)) {
                return "(no " + file.getFileName() + ")";
            }
            String text = Files.readString(file, StandardCharsets.ISO_8859_1).replace('\r', '\n')
                    .replaceAll("\u001B\\[[0-9;]*[A-Za-z]", "").replaceAll("\n{2,}", "\n");
            return text.length() <= maxChars ? text : "..." + text.substring(text.length() - maxChars);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the program: SIGTERM to it and its descendants, SIGKILL after a short grace period. */
    @Override
    public void close() {
        kill();
    }

    private void kill() {
        if (process.isAlive()) {
            List<ProcessHandle> children = process.descendants().toList();
            process.destroy();
            children.forEach(ProcessHandle::destroy);
            try {
                if (!process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                    LOG.warn("{} (pid {}) ignored SIGTERM for {} ms; killing it", name, process.pid(), GRACE.toMillis());
                    process.destroyForcibly();
                    process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
            children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        }
        LIVE.remove(this);
    }
}
