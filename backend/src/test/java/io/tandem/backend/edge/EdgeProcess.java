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
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A real Kamailio started from the template we ship ({@code edge/kamailio.cfg}), filled the way {@code ./tandem edge}
 * fills it: the listen address and port, the dispatcher list naming the nodes, no aliases, a run directory of its
 * own, and a real rtpengine for the media ({@link RtpengineProcess}). Ready once it answers an OPTIONS keep-alive;
 * stopped with its worker processes and rtpengine on {@link #close()}.
 */
final class EdgeProcess implements AutoCloseable {

    static final String ADDRESS = "127.0.0.1";
    /** The template's switch for SIP over secure WebSocket (RFC 7118). */
    static final String WSS = "WITH_WSS";
    private static final Duration READY = Duration.ofSeconds(60);

    private final Process process;
    private final RtpengineProcess rtpengine;
    private final Path runDir;
    private final int port;
    private final int tlsPort;
    private final int wssPort;

    private EdgeProcess(Process process, RtpengineProcess rtpengine, Path runDir, int port, int tlsPort,
                        int wssPort) {
        this.process = process;
        this.rtpengine = rtpengine;
        this.runDir = runDir;
        this.port = port;
        this.tlsPort = tlsPort;
        this.wssPort = wssPort;
    }

    /** Starts an edge in front of the nodes at {@code nodeSipPorts} on 127.0.0.1, and waits until it answers. */
    static EdgeProcess start(List<Integer> nodeSipPorts) throws IOException {
        return start(nodeSipPorts, false);
    }

    /**
     * As {@link #start(List)}; with {@code tls} also SIP over TLS on a port of its own, with a self-signed
     * certificate made by openssl as {@code ./tandem edge --tls-port} makes one, and {@code edge/tls.cfg} filled.
     */
    static EdgeProcess start(List<Integer> nodeSipPorts, boolean tls) throws IOException {
        return start(nodeSipPorts, tls, List.of());
    }

    /**
     * As {@link #start(List, boolean)}, with the template's optional parts switched on by name ({@code -A}), as
     * the launcher's options do: e.g. {@code REFUSE_PLAIN_RTP}, or {@code WITH_WSS} (with {@code tls}) for SIP over
     * secure WebSocket on a port of its own.
     */
    static EdgeProcess start(List<Integer> nodeSipPorts, boolean tls, List<String> defines) throws IOException {
        return start(nodeSipPorts, tls, defines, defines.contains(WSS) ? FreePorts.udpAndTcp() : 0);
    }

    /**
     * As {@link #start(List, boolean, List)}, with SIP over WSS on {@code wssPort} (taken from {@link FreePorts}
     * by the caller, who had to tell a node where the edge's WSS is before the edge could know the node).
     */
    static EdgeProcess start(List<Integer> nodeSipPorts, boolean tls, List<String> defines, int wssPort)
            throws IOException {
        int port = FreePorts.udpAndTcp();
        int tlsPort = tls ? FreePorts.udpAndTcp() : 0;
        if (wssPort != 0 && !tls) {
            throw new IllegalArgumentException(WSS + " needs TLS");
        }
        Path runDir = Files.createTempDirectory("tandem-edge-");
        List<String> command = List.of("kamailio", "-f", runDir.resolve("kamailio.cfg").toString(),
                "-DD", "-E", "-Y", runDir.toString(), "-m", "256", "-M", "8");
        List<String> fill = new ArrayList<>(List.of(template().resolveSibling("fill-config.sh").toString(),
                "--template-dir", template().getParent().toString(), "--run-dir", runDir.toString(),
                "--address", ADDRESS, "--sip-port", Integer.toString(port)));
        if (tls) {
            selfSignedCertificate(runDir);
            fill.addAll(List.of("--tls-port", Integer.toString(tlsPort), "--certificate",
                    runDir.resolve("cert.pem").toString(), "--private-key", runDir.resolve("key.pem").toString()));
        }
        if (wssPort != 0) {
            fill.addAll(List.of("--wss-port", Integer.toString(wssPort)));
        }
        for (String define : defines) {
            fill.addAll(List.of("--define", define));
        }
        Path list = runDir.resolve("dispatcher.list");
        // The scripts ./tandem edge and the tandem-edge package fill the template and write the list with.
        runScript(runDir, List.of(template().resolveSibling("tandem-edge-nodes").toString(), "--list",
                list.toString(), "--no-reload", nodeSipPorts.stream().map(p -> "sip:" + ADDRESS + ":" + p)
                        .collect(Collectors.joining(","))));
        RtpengineProcess rtpengine = RtpengineProcess.start(runDir);
        fill.addAll(List.of("--dispatcher-list", list.toString(), "--rtpengine", rtpengine.controlSocket()));
        try {
            runScript(runDir, fill);
        } catch (IOException e) {
            rtpengine.close();
            throw e;
        }
        Path log = runDir.resolve("kamailio.log");
        // As the launcher runs it: in the foreground (-DD) with its log on stderr (-E); little shared memory.
        Process process;
        try {
            process = new ProcessBuilder(command).directory(runDir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            rtpengine.close();
            throw e;
        }
        EdgeProcess edge = new EdgeProcess(process, rtpengine, runDir, port, tlsPort, wssPort);
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

    private static void selfSignedCertificate(Path runDir) throws IOException {
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                "-subj", "/CN=" + ADDRESS, "-addext", "subjectAltName=IP:" + ADDRESS,
                "-keyout", runDir.resolve("key.pem").toString(), "-out", runDir.resolve("cert.pem").toString())
                .redirectErrorStream(true).redirectOutput(runDir.resolve("openssl.log").toFile()).start();
        try {
            if (!openssl.waitFor(60, TimeUnit.SECONDS) || openssl.exitValue() != 0) {
                throw new IllegalStateException("openssl could not make a certificate: "
                        + Files.readString(runDir.resolve("openssl.log")));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while openssl made a certificate", e);
        }
    }

    /** Runs one of the edge's scripts to its end; its output goes into the failure message when it fails. */
    private static void runScript(Path runDir, List<String> command) throws IOException {
        Path out = runDir.resolve("script.log");
        Process script = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            if (!script.waitFor(30, TimeUnit.SECONDS) || script.exitValue() != 0) {
                script.destroyForcibly();
                throw new IOException(command.get(0) + " failed: " + Files.readString(out, StandardCharsets.UTF_8));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted running " + command.get(0), e);
        }
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

    /** The edge's self-signed TLS certificate (PEM), when started with TLS. */
    Path certificate() {
        return runDir.resolve("cert.pem");
    }

    /** The SIP over TLS port; 0 when started without TLS. */
    int tlsPort() {
        return tlsPort;
    }

    /** The SIP over secure WebSocket port; 0 when started without {@link #WSS}. */
    int wssPort() {
        return wssPort;
    }

    /** {@code sip:127.0.0.1:port}: what a phone configures as its registrar and dials through. */
    String uri() {
        return "sip:" + ADDRESS + ":" + port;
    }

    /** The edge's media relay. */
    RtpengineProcess rtpengine() {
        return rtpengine;
    }

    /** The last lines Kamailio and rtpengine logged, for failure messages. */
    String logTail() {
        try {
            List<String> lines = Files.readAllLines(runDir.resolve("kamailio.log"), StandardCharsets.ISO_8859_1);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()))
                    + "\n--- rtpengine:\n" + rtpengine.logTail();
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
        rtpengine.close();
        FreePorts.release(port, 1);
        if (tlsPort != 0) {
            FreePorts.release(tlsPort, 1);
        }
        if (wssPort != 0) {
            FreePorts.release(wssPort, 1);
        }
    }
}
