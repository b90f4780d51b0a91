package io.tandem.backend.queuecall;

import io.tandem.telephony.testing.LoopbackCapture;
import io.tandem.telephony.testing.LoopbackCapture.Datagram;
import io.tandem.telephony.testing.LoopbackCapture.PortRange;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The INVITEs that reached a carrier's SIP port over UDP, timed by the kernel's capture timestamps on "lo"
 * ({@link LoopbackCapture}): when each crossed the wire, whatever the carrier's own clock says of when it read it
 * (a SIPp process starved of CPU reads late, and a burst of late reads looks like a burst of INVITEs).
 */
final class CarrierWire implements AutoCloseable {

    /** RFC 3261 §7.1: the Request-Line; §7.3.3 / §20.8: Call-ID or its compact form "i". */
    private static final Pattern INVITE = Pattern.compile("\\AINVITE sip:");
    private static final Pattern CALL_ID = Pattern.compile("(?im)^(?:Call-ID|i)[ \\t]*:[ \\t]*(\\S+)");

    private final LoopbackCapture capture;
    private final int port;
    private Map<String, Long> firstInvite;

    private CarrierWire(LoopbackCapture capture, int port) {
        this.capture = capture;
        this.port = port;
    }

    /** Starts capturing the UDP datagrams to or from the carrier's {@code port}, the pcap kept in {@code dir}. */
    static CarrierWire watch(Path dir, int port) throws IOException {
        Path own = Files.createDirectories(dir.resolve("carrier-" + port));
        return new CarrierWire(LoopbackCapture.start(own, new PortRange(port, port)), port);
    }

    /** The most calls whose first INVITE reached the carrier within any 1000 ms (stops the capture). */
    long mostInAnySecond() throws IOException {
        List<Long> times = List.copyOf(invites().values());
        long most = 0;
        for (long at : times) {
            most = Math.max(most, times.stream().filter(t -> t >= at && t < at + 1_000_000).count());
        }
        return most;
    }

    /**
     * How many times no new call reached the carrier for {@code millis} or more between two that did (stops the
     * capture): the silences of a dialler that leaves the trunk idle.
     */
    long silencesOf(long millis) throws IOException {
        long[] times = invites().values().stream().mapToLong(Long::longValue).sorted().toArray();
        long silences = 0;
        for (int i = 1; i < times.length; i++) {
            if (times[i] - times[i - 1] >= millis * 1000) {
                silences++;
            }
        }
        return silences;
    }

    /** How many calls reached the carrier (stops the capture). */
    int calls() throws IOException {
        return invites().size();
    }

    /**
     * Each call offered (Call-ID) and when its first INVITE was captured, epoch microseconds: a retransmission is the
     * same call. Read once, when the capture is stopped.
     */
    private Map<String, Long> invites() throws IOException {
        if (firstInvite == null) {
            firstInvite = invites(capture.stop());
        }
        return firstInvite;
    }

    /**
     * How many calls tcpdump has written so far, capturing on: the last INVITEs may still be in the kernel's buffer
     * for tcpdump when their answers are already handled.
     */
    int callsSoFar() {
        try {
            return invites(capture.soFar()).size();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Map<String, Long> invites(List<Datagram> datagrams) {
        Map<String, Long> seen = new LinkedHashMap<>();
        for (Datagram datagram : datagrams) {
            if (datagram.destinationPort() != port) {
                continue;
            }
            String message = new String(datagram.payload(), StandardCharsets.ISO_8859_1);
            Matcher callId = CALL_ID.matcher(message);
            if (INVITE.matcher(message).lookingAt() && callId.find()) {
                seen.merge(callId.group(1), datagram.capturedMicros(), Math::min);
            }
        }
        return seen;
    }

    @Override
    public void close() {
        capture.close();
    }
}
