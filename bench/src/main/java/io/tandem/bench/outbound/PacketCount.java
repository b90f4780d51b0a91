package io.tandem.bench.outbound;

import io.tandem.bench.node.ChildProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Packets on loopback matching a BPF filter, counted by tcpdump (headers only, written nowhere) from start to close:
 * how many RTP packets went each way between the node and a carrier, outside both of them.
 */
final class PacketCount implements AutoCloseable {

    private static final Pattern CAPTURED = Pattern.compile("(\\d+) packets? captured");
    private static final Pattern DROPPED = Pattern.compile("(\\d+) packets? dropped by kernel");

    private final ChildProcess tcpdump;
    private long captured = -1;
    private long dropped = -1;

    private PacketCount(ChildProcess tcpdump) {
        this.tcpdump = tcpdump;
    }

    static PacketCount start(Path dir, String name, String filter) throws IOException, InterruptedException {
        ChildProcess tcpdump = ChildProcess.start("tcpdump-" + name, dir, List.of("tcpdump", "-i", "lo", "-nn",
                "-s", "64", "-B", "16384", "-w", "/dev/null", filter), Map.of());
        Path log = dir.resolve("tcpdump-" + name + ".log");
        for (int i = 0; i < 100; i++) {
            if (!tcpdump.isAlive()) {
                throw new IOException("tcpdump exited (it needs root or CAP_NET_RAW):\n" + tcpdump.tail(10));
            }
            if (Files.exists(log) && Files.readString(log).contains("listening on")) {
                return new PacketCount(tcpdump);
            }
            Thread.sleep(100); // polling a process start: there is nothing to wait on
        }
        tcpdump.close();
        throw new IOException("tcpdump did not start listening:\n" + tcpdump.tail(10));
    }

    /** Stops the capture (tcpdump prints its counts as it ends) and reads its counts. */
    @Override
    public void close() throws IOException {
        if (captured >= 0) {
            return;
        }
        tcpdump.close();
        String log = tcpdump.tail(10);
        Matcher c = CAPTURED.matcher(log);
        Matcher d = DROPPED.matcher(log);
        if (!c.find() || !d.find()) {
            throw new IOException("tcpdump printed no counts:\n" + log);
        }
        captured = Long.parseLong(c.group(1));
        dropped = Long.parseLong(d.group(1));
    }

    long captured() {
        return captured;
    }

    /** Packets the capture itself missed (its buffer was full): the count is then too low by as many. */
    long dropped() {
        return dropped;
    }
}
