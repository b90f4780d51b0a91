package io.tandem.backend.edge;

import io.tandem.telephony.peers.FreePorts;
import io.tandem.telephony.testing.Await;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real rtpengine (Debian {@code rtpengine-daemon}) as {@code ./tandem edge} runs it: userspace forwarding only (no
 * kernel table), media on 127.0.0.1 in a port block of its own, its ng control socket on a free UDP port. Ready once
 * it answers the ng protocol's ping; stopped on {@link #close()}.
 */
final class RtpengineProcess implements AutoCloseable {

    private static final Duration READY = Duration.ofSeconds(30);
    /** Media ports: an RTP/RTCP pair per leg, two legs per call, a few calls at a time. */
    private static final int MEDIA_PORTS = 40;

    /** In {@code query}'s totals, the first RTP count: {@code 3:RTPd7:packetsi<n>e...}. */
    private static final Pattern RELAYED = Pattern.compile("3:RTPd7:packetsi(\\d+)e");

    private static final AtomicLong COOKIES = new AtomicLong();

    private final Process process;
    private final Path log;
    private final int controlPort;
    private final int mediaPortMin;

    private RtpengineProcess(Process process, Path log, int controlPort, int mediaPortMin) {
        this.process = process;
        this.log = log;
        this.controlPort = controlPort;
        this.mediaPortMin = mediaPortMin;
    }

    /** Starts rtpengine logging to {@code runDir/rtpengine.log}, and waits until it answers a ping. */
    static RtpengineProcess start(Path runDir) throws IOException {
        int control = FreePorts.udpAndTcp();
        int media = FreePorts.alignedBlock(MEDIA_PORTS);
        Path log = runDir.resolve("rtpengine.log");
        List<String> command = List.of("rtpengine", "--config-file=none", "--foreground", "--log-stderr",
                "--table=-1", "--interface=" + EdgeProcess.ADDRESS,
                "--listen-ng=" + EdgeProcess.ADDRESS + ":" + control,
                "--port-min=" + media, "--port-max=" + (media + MEDIA_PORTS - 1), "--log-level=6", "--delete-delay=0",
                "--pidfile=" + runDir.resolve("rtpengine.pid"));
        Process process = new ProcessBuilder(command).directory(runDir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        RtpengineProcess rtpengine = new RtpengineProcess(process, log, control, media);
        try {
            Await.until("rtpengine answers a ping on " + control, READY, () -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException("rtpengine exited with " + process.exitValue() + "\n"
                            + rtpengine.logTail());
                }
                return rtpengine.pings();
            }, rtpengine::logTail);
        } catch (RuntimeException e) {
            rtpengine.close();
            throw e;
        }
        return rtpengine;
    }

    private boolean pings() {
        return ask("d7:command4:pinge").map(reply -> reply.contains("pong")).orElse(false);
    }

    /**
     * RTP packets rtpengine has relayed in the calls it holds now (ng commands {@code list}, then {@code query} per
     * Call-ID; sessions are deleted at once on BYE, {@code --delete-delay=0}, so only running calls count).
     */
    long relayedPackets() {
        String list = calls();
        long packets = 0;
        for (String callId : bencodedStrings(list.substring(list.indexOf("5:callsl") + "5:callsl".length()))) {
            String query = ask("d7:command5:query7:call-id" + callId.length() + ":" + callId + "e")
                    .orElseThrow(() -> new IllegalStateException("rtpengine: no answer to query " + callId));
            Matcher totals = RELAYED.matcher(query.substring(Math.max(0, query.indexOf("6:totals"))));
            if (totals.find()) {
                packets += Long.parseLong(totals.group(1));
            }
        }
        return packets;
    }

    /** The bencoded strings ({@code <length>:<bytes>}) at the start of {@code list}, up to its end ({@code e}). */
    private static List<String> bencodedStrings(String list) {
        List<String> strings = new ArrayList<>();
        int at = 0;
        while (at < list.length() && Character.isDigit(list.charAt(at))) {
            int colon = list.indexOf(':', at);
            int length = Integer.parseInt(list.substring(at, colon));
            strings.add(list.substring(colon + 1, colon + 1 + length));
            at = colon + 1 + length;
        }
        return strings;
    }

    /** One ng command (a cookie, then a bencoded dictionary); its answer without the cookie, or empty on timeout. */
    private Optional<String> ask(String command) {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            // rtpengine answers a cookie it has seen with its cached answer (a retransmission): one cookie per command.
            String cookie = "tandem-" + COOKIES.incrementAndGet();
            byte[] request = (cookie + " " + command).getBytes(StandardCharsets.ISO_8859_1);
            socket.send(new DatagramPacket(request, request.length, InetAddress.getLoopbackAddress(), controlPort));
            socket.setSoTimeout(1000);
            byte[] buffer = new byte[65_535];
            DatagramPacket reply = new DatagramPacket(buffer, buffer.length);
            socket.receive(reply);
            String text = new String(buffer, 0, reply.getLength(), StandardCharsets.ISO_8859_1);
            return Optional.of(text.substring(text.indexOf(' ') + 1));
        } catch (SocketTimeoutException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** rtpengine's answer to {@code list}: the Call-IDs of the calls it holds (bencoded), for failure messages. */
    String calls() {
        return ask("d7:command4:liste").orElseThrow(() -> new IllegalStateException("rtpengine: no answer to list"));
    }

    /** Kamailio's {@code rtpengine_sock}. */
    String controlSocket() {
        return "udp:" + EdgeProcess.ADDRESS + ":" + controlPort;
    }

    /** True when {@code port} is one of the ports rtpengine relays media on. */
    boolean relaysOn(int port) {
        return port >= mediaPortMin && port < mediaPortMin + MEDIA_PORTS;
    }

    int mediaPortMin() {
        return mediaPortMin;
    }

    int mediaPortMax() {
        return mediaPortMin + MEDIA_PORTS - 1;
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        FreePorts.release(controlPort, 1);
        FreePorts.release(mediaPortMin, MEDIA_PORTS);
    }
}
