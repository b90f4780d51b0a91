package io.tandem.telephony.testing;

import io.tandem.telephony.codec.G711;
import io.tandem.telephony.media.Goertzel;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * tcpdump on the loopback interface writing the UDP datagrams to or from some port ranges into a pcap file, read
 * back as {@link Datagram}s once stopped: what crossed the wire, not what an endpoint says it sent. Shared by the ITs
 * of the backend (edge, TLS + SRTP, carriers' CAPS on the wire) and of the softphone.
 */
public final class LoopbackCapture implements AutoCloseable {

    private static final Duration READY = Duration.ofSeconds(30);
    /** pcap link types tcpdump may write for "lo", and the length of their link-layer header. */
    private static final int LINKTYPE_NULL = 0;
    private static final int LINKTYPE_ETHERNET = 1;
    private static final int LINKTYPE_LINUX_SLL = 113;
    private static final int LINKTYPE_LINUX_SLL2 = 276;
    private static final int IPPROTO_UDP = 17;
    /** RFC 3550 §5.1: the fixed RTP header; 20 ms of PCMU at 8 kHz. */
    private static final int RTP_HEADER = 12;
    private static final int PCMU_FRAME = 160;

    /**
     * One UDP datagram seen on the wire, with the kernel's capture timestamp (epoch microseconds): when it crossed
     * "lo", not when an endpoint got round to reading it.
     */
    public record Datagram(int sourcePort, int destinationPort, byte[] payload, long capturedMicros) {
        public boolean between(PortRange a, PortRange b) {
            return a.contains(sourcePort) && b.contains(destinationPort)
                    || b.contains(sourcePort) && a.contains(destinationPort);
        }

        /**
         * True for an RTP packet whose payload, read as PCMU (RFC 3551), is mostly the tone {@code hz}. SRTP
         * encrypts the payload (RFC 3711 §3.1), so an encrypted packet never passes.
         */
        public boolean carriesTone(int hz) {
            if (payload.length < RTP_HEADER + PCMU_FRAME || (payload[0] & 0xc0) != 0x80 || (payload[1] & 0x7f) != 0) {
                return false;
            }
            int header = RTP_HEADER + (payload[0] & 0x0f) * 4;
            short[] samples = new short[PCMU_FRAME];
            for (int i = 0; i < samples.length && header + i < payload.length; i++) {
                samples[i] = G711.ulawToLinear(payload[header + i]);
            }
            return Goertzel.toneRatio(samples, 0, samples.length, hz, 8000) > 0.5;
        }
    }

    /** Ports {@code first} to {@code last}, inclusive. */
    public record PortRange(int first, int last) {
        public boolean contains(int port) {
            return port >= first && port <= last;
        }
    }

    private final Process process;
    private final Path pcap;
    private final Path log;

    private LoopbackCapture(Process process, Path pcap, Path log) {
        this.process = process;
        this.pcap = pcap;
        this.log = log;
    }

    /** Starts capturing UDP to or from any of {@code ranges} on "lo" into {@code dir}; waits until tcpdump listens. */
    public static LoopbackCapture start(Path dir, PortRange... ranges) throws IOException {
        Path pcap = dir.resolve("capture.pcap");
        Path log = dir.resolve("tcpdump.log");
        List<String> command = new ArrayList<>(List.of("tcpdump", "-i", "lo", "-n", "-U", "-w", pcap.toString(),
                "udp", "and", "("));
        for (int i = 0; i < ranges.length; i++) {
            if (i > 0) {
                command.add("or");
            }
            command.addAll(List.of("portrange", ranges[i].first() + "-" + ranges[i].last()));
        }
        command.add(")");
        // -U: each packet is written as it comes, so the file is whole as soon as tcpdump exits.
        Process process = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        LoopbackCapture capture = new LoopbackCapture(process, pcap, log);
        try {
            Await.until("tcpdump listens on lo", READY, () -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException("tcpdump exited with " + process.exitValue() + ": "
                            + capture.logText());
                }
                return capture.logText().contains("listening on");
            }, capture::logText);
        } catch (RuntimeException e) {
            capture.close();
            throw e;
        }
        return capture;
    }

    /** The UDP datagrams written so far, while tcpdump goes on ({@code -U}: a packet is written as it comes). */
    public List<Datagram> soFar() throws IOException {
        byte[] file = Files.readAllBytes(pcap);
        return file.length < 24 ? List.of() : read(file);
    }

    /** Stops tcpdump and reads every UDP datagram it wrote. */
    public List<Datagram> stop() throws IOException {
        close();
        return read(Files.readAllBytes(pcap));
    }

    /** The UDP datagrams over IPv4 in a pcap file (format: pcap-savefile(5)). */
    static List<Datagram> read(byte[] file) {
        ByteBuffer in = ByteBuffer.wrap(file);
        int magic = in.order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        if (magic != 0xa1b2c3d4 && magic != 0xa1b23c4d) {
            in.order(ByteOrder.BIG_ENDIAN);
            magic = in.getInt(0);
        }
        boolean nanos = magic == 0xa1b23c4d; // pcap-savefile(5): the nanosecond-resolution magic
        int linkType = in.getInt(20) & 0x0fffffff;
        int linkHeader = switch (linkType) {
            case LINKTYPE_NULL -> 4;
            case LINKTYPE_ETHERNET -> 14;
            case LINKTYPE_LINUX_SLL -> 16;
            case LINKTYPE_LINUX_SLL2 -> 20;
            default -> throw new IllegalStateException("pcap link type " + linkType + " is not one tcpdump uses on lo");
        };
        List<Datagram> datagrams = new ArrayList<>();
        int at = 24;
        while (at + 16 <= file.length) {
            long fraction = in.getInt(at + 4) & 0xffffffffL;
            long capturedMicros = (in.getInt(at) & 0xffffffffL) * 1_000_000 + (nanos ? fraction / 1000 : fraction);
            int captured = in.getInt(at + 8);
            int packet = at + 16;
            at = packet + captured;
            if (at > file.length) {
                break;
            }
            int ip = packet + linkHeader;
            if ((file[ip] >> 4 & 0xf) != 4 || (file[ip + 9] & 0xff) != IPPROTO_UDP) {
                continue;
            }
            int udp = ip + (file[ip] & 0xf) * 4;
            int sourcePort = (file[udp] & 0xff) << 8 | file[udp + 1] & 0xff;
            int destinationPort = (file[udp + 2] & 0xff) << 8 | file[udp + 3] & 0xff;
            datagrams.add(new Datagram(sourcePort, destinationPort, Arrays.copyOfRange(file, udp + 8, at),
                    capturedMicros));
        }
        return datagrams;
    }

    private String logText() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        // SIGTERM: tcpdump closes its file and says how many packets it captured.
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
