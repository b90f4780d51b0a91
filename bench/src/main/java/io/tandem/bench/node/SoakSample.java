package io.tandem.bench.node;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a soak watches on one node at one moment, taken right after a full GC the sample asks for: heap in use, live
 * threads, open sockets, and the UDP sockets in the node's RTP port range (relay legs still held).
 */
record SoakSample(double heapMb, long threads, long sockets, long rtpPorts) {

    private static final Pattern HEAP = Pattern.compile("^jvm_memory_used_bytes\\{[^}]*area=\"heap\"[^}]*\\}\\s+(\\S+)");
    private static final Pattern THREADS = Pattern.compile("^jvm_threads_live_threads(\\{[^}]*\\})?\\s+(\\S+)");

    /**
     * Asks the node's JVM for a full GC ({@code jcmd <pid> GC.run}, which returns once it is done), then reads its
     * metrics and its open files.
     */
    static SoakSample take(long pid, int httpPort, String login, String password, int rtpFirst, int rtpLast)
            throws IOException, InterruptedException {
        Process gc = new ProcessBuilder("jcmd", Long.toString(pid), "GC.run").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!gc.waitFor(60, TimeUnit.SECONDS) || gc.exitValue() != 0) {
            gc.destroyForcibly();
            throw new IOException("jcmd " + pid + " GC.run failed");
        }
        double heap = 0;
        long threads = 0;
        for (String line : DispatchTimer.scrape(httpPort, login, password).split("\n")) {
            Matcher h = HEAP.matcher(line);
            if (h.find()) {
                heap += Double.parseDouble(h.group(1));
            }
            Matcher t = THREADS.matcher(line);
            if (t.find()) {
                threads = (long) Double.parseDouble(t.group(2));
            }
        }
        Set<String> socketInodes = socketInodes(pid);
        return new SoakSample(heap / (1024 * 1024), threads, socketInodes.size(),
                udpInRange(socketInodes, rtpFirst, rtpLast));
    }

    /** The inodes of the process's open sockets ({@code socket:[inode]} links under /proc/PID/fd). */
    private static Set<String> socketInodes(long pid) throws IOException {
        Set<String> inodes = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException e) {
                    // closed between the listing and the read: not open any more, so not counted
                }
            }
        }
        return inodes;
    }

    /** How many of the sockets are UDP sockets bound in [first, last] (/proc/net/udp: local address, inode). */
    private static long udpInRange(Set<String> inodes, int first, int last) throws IOException {
        long count = 0;
        for (String file : List.of("/proc/net/udp", "/proc/net/udp6")) {
            Path path = Path.of(file);
            if (!Files.exists(path)) {
                continue;
            }
            List<String> lines = Files.readAllLines(path);
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 10) {
                    continue;
                }
                int port = Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1), 16);
                if (port >= first && port <= last && inodes.contains(f[9])) {
                    count++;
                }
            }
        }
        return count;
    }
}
