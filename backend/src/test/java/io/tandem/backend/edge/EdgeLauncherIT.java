package io.tandem.backend.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.telephony.peers.FreePorts;
import io.tandem.telephony.testing.Await;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code ./tandem edge} as an operator runs it: flags checked and named, the template filled into the run directory
 * and checked, rtpengine started before Kamailio, Kamailio in the foreground answering on the given port, both
 * stopped (with Kamailio's workers) by Ctrl-C.
 */
class EdgeLauncherIT {

    private static final File ROOT = EdgeProcess.template().getParent().getParent().toFile();
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int MEDIA_PORTS = 20;

    private static Process launch(Path output, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("bash", new File(ROOT, "tandem").getPath(), "edge"));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).directory(ROOT).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
    }

    private static String finished(Process process, Path output) throws Exception {
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the launcher exits").isTrue();
        return Files.readString(output, StandardCharsets.UTF_8);
    }

    @Test
    void badFlagsAreNamed() throws Exception {
        Path out = Files.createTempFile("tandem-edge-flags", ".log");
        Process unknown = launch(out, "--colour", "red");
        assertThat(finished(unknown, out)).contains("unknown option '--colour'");
        assertThat(unknown.exitValue()).isEqualTo(2);

        Process missing = launch(out, "--sip-port", "5070");
        assertThat(finished(missing, out)).contains("--nodes is required");
        assertThat(missing.exitValue()).isEqualTo(2);

        Process badNode = launch(out, "--nodes", "sip:127.0.0.1:5060,http://x");
        assertThat(finished(badNode, out)).contains("--nodes: 'http://x' is not sip:HOST:PORT");
        assertThat(badNode.exitValue()).isEqualTo(2);

        Process port = launch(out, "--nodes", "sip:127.0.0.1:5060", "--sip-port", "70000");
        assertThat(finished(port, out)).contains("--sip-port: '70000' is not a port number");
        assertThat(port.exitValue()).isEqualTo(2);

        Process wss = launch(out, "--nodes", "sip:127.0.0.1:5060", "--wss-port", "8443");
        assertThat(finished(wss, out)).contains("--wss-port: only with --tls-port");
        assertThat(wss.exitValue()).isEqualTo(2);

        Process media = launch(out, "--nodes", "sip:127.0.0.1:5060", "--rtp-ports", "30000");
        assertThat(finished(media, out)).contains("--rtp-ports: '30000' is not MIN-MAX");
        assertThat(media.exitValue()).isEqualTo(2);

        // rtpengine binds media ports with SO_REUSEADDR, as Kamailio binds SIP's: one on the SIP port takes the SIP.
        Process overlap = launch(out, "--nodes", "sip:127.0.0.1:5060", "--sip-port", "30500", "--rtp-ports",
                "30000-30999");
        assertThat(finished(overlap, out))
                .contains("--sip-port (30500) and --rtp-ports (30000-30999) overlap on port 30500");
        assertThat(overlap.exitValue()).isEqualTo(2);

        Process twice = launch(out, "--nodes", "sip:127.0.0.1:5060", "--sip-port", "5070", "--tls-port", "5071",
                "--wss-port", "5071", "--certificate", "/dev/null", "--private-key", "/dev/null");
        assertThat(finished(twice, out)).contains("--tls-port (5071) and --wss-port (5071) overlap on port 5071");
        assertThat(twice.exitValue()).isEqualTo(2);
    }

    @Test
    void runsKamailioAndRtpengineFromTheTemplateAndStopsOnCtrlC() throws Exception {
        int port = FreePorts.udpAndTcp();
        int node = FreePorts.udpAndTcp();
        int control = FreePorts.udpAndTcp();
        int media = FreePorts.alignedBlock(MEDIA_PORTS);
        Path runDir = Files.createTempDirectory("tandem-edge-run-");
        Path out = runDir.resolve("launcher.log");
        Process edge = launch(out, "--nodes", "sip:127.0.0.1:" + node, "--sip-port", Integer.toString(port),
                "--ng-port", Integer.toString(control), "--rtp-ports", media + "-" + (media + MEDIA_PORTS - 1),
                "--run-dir", runDir.toString());
        try (RawSip sip = new RawSip()) {
            Await.until("the edge answers on " + port, WAIT, () -> {
                if (!edge.isAlive()) {
                    throw new IllegalStateException("the launcher exited with " + edge.exitValue());
                }
                try {
                    return sip.ask(port, sip.options("sip:127.0.0.1:" + port, "tandem-test", "launch-probe"),
                            Duration.ofSeconds(1)).map(reply -> reply.startsWith("SIP/2.0 200")).orElse(false);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }, () -> readQuietly(out));
            assertThat(readQuietly(out)).contains("SIP   sip:127.0.0.1:" + port);
            assertThat(Files.readString(runDir.resolve("dispatcher.list"))).isEqualTo("1 sip:127.0.0.1:" + node
                    + "\n");
            assertThat(Files.readString(runDir.resolve("kamailio.cfg"))).doesNotContain("@SIP_PORT@")
                    .contains("listen=udp:127.0.0.1:" + port)
                    .contains("modparam(\"rtpengine\", \"rtpengine_sock\", \"udp:127.0.0.1:" + control + "\")");
            assertThat(Files.readString(runDir.resolve("rtpengine.log"))).contains("Startup complete");

            List<ProcessHandle> workers = edge.descendants().toList();
            assertThat(workers).as("the launcher's children").anySatisfy(child -> assertThat(
                    child.info().command().orElse("")).endsWith("rtpengine"));
            // Ctrl-C: SIGINT to the foreground process (the launcher, which passes it on to kamailio and rtpengine).
            new ProcessBuilder("kill", "-INT", Long.toString(edge.pid())).start().waitFor();
            assertThat(edge.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the edge stops on Ctrl-C").isTrue();
            Await.until("every kamailio worker and rtpengine are gone", WAIT,
                    () -> workers.stream().noneMatch(ProcessHandle::isAlive));
        } finally {
            edge.descendants().forEach(ProcessHandle::destroyForcibly);
            edge.destroyForcibly();
            FreePorts.release(port, 1);
            FreePorts.release(node, 1);
            FreePorts.release(control, 1);
            FreePorts.release(media, MEDIA_PORTS);
        }
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }
}
