package io.tandem.bench.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Datagrams the kernel dropped at the node's RTP relay sockets (the ports of its {@code tandem.sip.rtp-port-*}
 * range) because the relay did not read them in time: the {@code drops} column of {@code /proc/net/udp6}. Sampled
 * while calls are up (a socket's count goes with it when the call ends), keeping each socket's highest count.
 */
public final class RelaySocketDrops implements AutoCloseable {

    private final int firstPort;
    private final int lastPort;
    private final Map<String, Long> dropsBySocket = new HashMap<>();
    private final Set<String> before;
    private final Thread sampler;
    private volatile boolean running = true;
    private int maxSockets;
    private final long[] udpBefore;
    private long[] udpAfter;

    public RelaySocketDrops(int firstPort, int lastPort) {
        this.firstPort = firstPort;
        this.lastPort = lastPort;
        this.udpBefore = udpCounters();
        // Sockets already open before the step are not its calls' relay legs (the previous step's calls have ended):
        // the range overlaps Linux's ephemeral ports (32768-60999), where another socket of the node or of any process
        // may sit, and its drops are no part of the relay's loss. One such socket, open through every step with
        // the same 1,175 drops, made the first step's "loss at the relay" 0.235 % and the later steps' smaller.
        Set<String> open;
        try {
            open = socketsInRange().keySet();
        } catch (IOException e) {
            open = Set.of();
        }
        this.before = open;
        this.sampler = new Thread(this::sampleLoop, "relay-drops");
        sampler.setDaemon(true);
        sampler.start();
    }

    private void sampleLoop() {
        while (running) {
            try {
                sample();
                Thread.sleep(500); // a sampling period: nothing to wait on, the kernel table is polled
            } catch (InterruptedException e) {
                return;
            } catch (IOException e) {
                // /proc unreadable for a moment: the next sample counts
            }
        }
    }

    private synchronized void sample() throws IOException {
        Map<String, Long> now = socketsInRange();
        int sockets = 0;
        for (Map.Entry<String, Long> socket : now.entrySet()) {
            if (!before.contains(socket.getKey())) {
                sockets++;
                dropsBySocket.merge(socket.getKey(), socket.getValue(), Math::max);
            }
        }
        maxSockets = Math.max(maxSockets, sockets);
    }

    /**
     * The udp6 sockets whose port is in the range, by port and inode (a port reused by a later call counts as another
     * socket), with their drop counts.
     */
    private Map<String, Long> socketsInRange() throws IOException {
        // The relay's channels are dual-stack (DatagramChannel.open()), so they are listed in udp6 only; SIPp's
        // IPv4 sockets, which may fall in the same range, are not.
        List<String> lines = Files.readAllLines(Path.of("/proc/net/udp6"));
        Map<String, Long> sockets = new HashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.trim().split("\\s+");
            int port = Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1), 16);
            if (port < firstPort || port > lastPort || f.length < 13) {
                continue;
            }
            sockets.put(port + ":" + f[9], Long.parseLong(f[12]));
        }
        return sockets;
    }

    public synchronized long drops() {
        return dropsBySocket.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The most relay sockets open at one sample: 4 per call (RTP and RTCP on each leg). */
    public synchronized int maxSockets() {
        return maxSockets;
    }

    /**
     * IPv4 UDP datagrams delivered to sockets on this host while sampling, and receive-buffer overflows, from
     * {@code /proc/net/snmp} (every process: other builds add a little): shows the RTP flowed, both ways.
     */
    public synchronized long[] udpDelta() {
        long[] after = udpAfter != null ? udpAfter : udpCounters();
        return new long[] {after[0] - udpBefore[0], after[1] - udpBefore[1]};
    }

    private static long[] udpCounters() {
        try {
            List<String> udp = Files.readAllLines(Path.of("/proc/net/snmp")).stream()
                    .filter(l -> l.startsWith("Udp: ")).toList();
            List<String> names = List.of(udp.get(0).split("\\s+"));
            String[] values = udp.get(1).split("\\s+");
            return new long[] {Long.parseLong(values[names.indexOf("InDatagrams")]),
                Long.parseLong(values[names.indexOf("RcvbufErrors")])};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
    }

    @Override
    public void close() throws InterruptedException {
        synchronized (this) {
            if (udpAfter == null) {
                udpAfter = udpCounters();
            }
        }
        running = false;
        sampler.interrupt();
        sampler.join(2000);
    }
}
