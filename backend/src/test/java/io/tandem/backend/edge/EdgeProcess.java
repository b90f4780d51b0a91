package io.tandem.backend.edge;

import io.tandem.telephony.peers.FreePorts;
import io.tandem.telephony.testing.Await;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A real Kamailio started from the template we ship ({@code edge/kamailio.cfg}), filled the way {@code ./tandem edge}
 * fills it: the listen address and port, the dispatcher list naming the nodes, no aliases, a run directory of its
 * own. Ready once it answers an OPTIONS keep-alive; stopped with its worker processes on {@link #close()}.
 */
final class EdgeProcess implements AutoCloseable {

    static final String ADDRESS = "127.0.0.1";
    private static final Duration READY = Duration.ofSeconds(60);

    private final Process process;
    private final Path runDir;
    private final int port;

    private EdgeProcess(Process process, Path runDir, int port) {
        this.process = process;
        this.runDir = runDir;
        this.port = port;
    }

    /** Starts an edge in front of the nodes at {@code nodeSipPorts} on 127.0.0.1, and waits until it answers. */
    static EdgeProcess start(List<Integer> nodeSipPorts) throws IOException {
        int port = FreePorts.udpAndTcp();
        Path runDir = Files.createTempDirectory("tandem-edge-");
        Path list = runDir.resolve("dispatcher.list");
        Files.writeString(list, nodeSipPorts.stream().map(p -> "1 sip:" + ADDRESS + ":" + p + "\n")
                .collect(Collectors.joining()));
        Path config = runDir.resolve("kamailio.cfg");
        Files.writeString(config, Files.readString(template(), StandardCharsets.UTF_8)
                .replace("@LISTEN_ADDRESS@", ADDRESS).replace("@SIP_PORT@", Integer.toString(port))
                .replace("@DISPATCHER_LIST@", list.toString()).replace("@RUN_DIR@", runDir.toString())
                .replace("@ALIASES@", ""));
        Path log = runDir.resolve("kamailio.log");
        // As the launcher runs it: in the foreground (-DD) with its log on stderr (-E); little shared memory.
        Process process = new ProcessBuilder("kamailio", "-f", config.toString(), "-DD", "-E", "-Y",
                runDir.toString(), "-m", "64", "-M", "8").directory(runDir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        EdgeProcess edge = new EdgeProcess(process, runDir, port);
        try (RawSip probe = new RawSip()) {
            Await.until("kamailio answers on " + port, READY, () -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException("kamailio exited with " + process.exitValue() + "\n"
                            + edge.logTail());
                }
                try {
                    return probe.ask(port, probe.options(edge.uri(), "tandem-test", "ready-" + UUID.randomUUID()),
                            Duration.ofSeconds(1)).map(reply -> reply.startsWith("SIP/2.0 200")).orElse(false);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, edge::logTail);
        } catch (RuntimeException | IOException e) {
            edge.close();
            throw e;
        }
        return edge;
    }

    /** The shipped template: {@code edge/kamailio.cfg} at the top of the checkout. */
    static Path template() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("edge").resolve("kamailio.cfg");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("edge/kamailio.cfg not found above " + Path.of("").toAbsolutePath());
    }

    int port() {
        return port;
    }

    /** {@code sip:127.0.0.1:port}: what a phone configures as its registrar and dials through. */
    String uri() {
        return "sip:" + ADDRESS + ":" + port;
    }

    /** The last lines Kamailio logged, for failure messages. */
    String logTail() {
        try {
            List<String> lines = Files.readAllLines(runDir.resolve("kamailio.log"), StandardCharsets.ISO_8859_1);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        // Kamailio's main process stops its workers on SIGTERM; any left after the grace are killed.
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        FreePorts.release(port, 1);
    }
}
