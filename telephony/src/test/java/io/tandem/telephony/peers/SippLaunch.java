package io.tandem.telephony.peers;

import io.tandem.telephony.testing.Await;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns a {@link SippProcess.Builder} into a running SIPp: work dir with the scenario (hold timer
 * applied) and its media files, the command line, the process, and the wait until its SIP port is
 * bound.
 */
final class SippLaunch {
    private SippLaunch() {
    }

    /**
     * Starts SIPp and returns once its SIP port is bound.
     *
     * @throws IllegalStateException when sipp is not installed, or exits before binding (with its stderr)
     */
    static SippProcess start(SippProcess.Builder b) {
        Path sipp = Programs.require("sipp", "sip-tester");
        Path workDir = createWorkDir();
        int sipPort = b.localPort > 0 ? b.localPort : FreePorts.udpAndTcp();
        int rtpPort = b.mediaPort > 0 ? b.mediaPort : FreePorts.alignedBlock(4);
        List<String> cmd = new ArrayList<>(List.of(sipp.toString()));
        if (b.builtin != null) {
            cmd.addAll(List.of("-sn", b.builtin));
        } else {
            cmd.addAll(List.of("-sf", copyScenario(b, workDir).getFileName().toString()));
        }
        if (b.remote != null) {
            cmd.add(b.remote);
        }
        cmd.addAll(List.of("-i", "127.0.0.1", "-p", Integer.toString(sipPort),
                "-mi", "127.0.0.1", "-mp", Integer.toString(rtpPort),
                // SIPp's UDP remote-control socket: loopback, and a port no parallel SIPp probes for.
                "-ci", "127.0.0.1", "-cp", Integer.toString(FreePorts.udpAndTcp()),
                "-t", "tcp".equals(b.transport) ? "t1" : "u1",
                "-m", Integer.toString(b.calls), "-r", formatRate(b.rate),
                "-nostdin",
                "-timeout", b.timeout.toSeconds() + "s", "-timeout_error",
                "-trace_err", "-error_file", "errors.log",
                "-trace_stat", "-stf", "stats.csv", "-fd", "1",
                "-trace_screen", "-screen_file", "screen.log"));
        if (b.traceMessages) {
            cmd.addAll(List.of("-trace_msg", "-message_file", "messages.log"));
        }
        if (b.maxConcurrent > 0) {
            cmd.addAll(List.of("-l", Integer.toString(b.maxConcurrent)));
        }
        if (b.serviceUser != null) {
            cmd.addAll(List.of("-s", b.serviceUser));
        }
        if (b.authUser != null) {
            cmd.addAll(List.of("-au", b.authUser, "-ap", b.authPassword));
        }
        if (b.recvTimeout != null) {
            cmd.addAll(List.of("-recv_timeout", Long.toString(b.recvTimeout.toMillis())));
        }
        if (b.injectionCsv != null) {
            write(workDir.resolve("injection.csv"), b.injectionCsv.getBytes(StandardCharsets.UTF_8));
            cmd.addAll(List.of("-inf", "injection.csv"));
        }
        b.keys.putIfAbsent("realm", SippProcess.DEFAULT_REALM);
        b.keys.forEach((k, v) -> cmd.addAll(List.of("-key", k, v)));
        b.variables.forEach((k, v) -> cmd.addAll(List.of("-set", k, v)));
        b.files.forEach((name, content) -> write(workDir.resolve(name), content));
        if (b.builtin == null && SippProcess.read(workDir.resolve(scenarioName(b))).contains(SippProcess.AUDIO_FILE)
                && !b.files.containsKey(SippProcess.AUDIO_FILE)) {
            // Scenarios that stream audio.pcmu get a 1 kHz tone unless the test chose its audio.
            b.pcmuTone(1000, Duration.ofSeconds(1));
            write(workDir.resolve(SippProcess.AUDIO_FILE), b.files.get(SippProcess.AUDIO_FILE));
        }
        if (b.builtin == null && SippProcess.read(workDir.resolve(scenarioName(b))).contains(SippProcess.DTMF_FILE)
                && !b.files.containsKey(SippProcess.DTMF_FILE)) {
            b.dtmfDigit('1');
            write(workDir.resolve(SippProcess.DTMF_FILE), b.files.get(SippProcess.DTMF_FILE));
        }
        cmd.addAll(b.extraArgs);

        PeerProcess process = PeerProcess.start("sipp " + (b.builtin != null ? "-sn " + b.builtin : scenarioName(b)),
                cmd, workDir);
        SippProcess sippProcess = new SippProcess(process, workDir, sipPort, rtpPort, b.transport);
        try {
            boolean tcp = "tcp".equals(b.transport);
            Await.value("sipp to bind 127.0.0.1:" + sipPort, SippProcess.READY_TIMEOUT, () -> {
                if (tcp ? BoundPorts.tcpListening(sipPort) || b.remote != null : BoundPorts.udpBound(sipPort)) {
                    return Optional.of(true);
                }
                // Ended already? A UAC may legitimately finish its calls fast (it wrote its
                // statistics then); ending without statistics means SIPp refused to start
                // (bad option, unknown scenario, port taken), which exits 1 or 255.
                if (!process.isAlive()) {
                    if (!Files.exists(workDir.resolve("stats.csv"))) {
                        process.requireAlive("starting");
                    }
                    return Optional.of(true);
                }
                return Optional.empty();
            }, process::outputTails);
        } catch (RuntimeException | AssertionError e) {
            process.close();
            throw e;
        }
        return sippProcess;
    }

    static String scenarioName(SippProcess.Builder b) {
        return b.resource != null ? b.resource : b.file.getFileName().toString();
    }

    private static Path copyScenario(SippProcess.Builder b, Path workDir) {
        if (b.file != null) {
            Path target = workDir.resolve(b.file.getFileName().toString());
            try {
                Files.writeString(target, withHold(b, Files.readString(b.file, StandardCharsets.ISO_8859_1)),
                        StandardCharsets.ISO_8859_1);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot copy scenario " + b.file, e);
            }
            return target;
        }
        try (InputStream in = SippProcess.class.getResourceAsStream(SippProcess.SCENARIO_RESOURCES + b.resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no SIPp scenario " + b.resource + " on the test classpath under "
                        + SippProcess.SCENARIO_RESOURCES);
            }
            Path target = workDir.resolve(b.resource);
            Files.write(target, withHold(b, new String(in.readAllBytes(), StandardCharsets.ISO_8859_1))
                    .getBytes(StandardCharsets.ISO_8859_1));
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String withHold(SippProcess.Builder b, String scenario) {
        if (b.hold == null) {
            return scenario;
        }
        if (!scenario.contains(SippProcess.HOLD_TIMER)) {
            throw new IllegalArgumentException("holdFor: scenario " + scenarioName(b) + " has no hold timer ("
                    + SippProcess.HOLD_TIMER + ")");
        }
        return scenario.replace(SippProcess.HOLD_TIMER, "timeout=\"" + b.hold.toMillis() + "\" ontimeout=\"hangup\"");
    }

    private static Path createWorkDir() {
        return PeerDirs.create("sipp-");
    }

    private static void write(Path path, byte[] content) {
        try {
            Files.write(path, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String formatRate(double rate) {
        return rate == Math.rint(rate) ? Long.toString((long) rate) : Double.toString(rate);
    }
}
