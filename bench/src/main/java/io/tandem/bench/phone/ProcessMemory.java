package io.tandem.bench.phone;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * One process's memory and threads: resident set (VmRSS of /proc/self/status), the Java heap (used and committed),
 * the JVM's committed non-heap (metaspace, code cache), and native = resident − heap committed − non-heap committed,
 * what PJSIP, JNI, thread stacks and malloc hold. Threads are /proc/self/task (native ones included).
 */
record ProcessMemory(long rssKb, long heapUsedKb, long heapCommittedKb, long nonHeapCommittedKb, long threads) {

    static ProcessMemory ofThisJvm() throws IOException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long threads;
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            threads = tasks.count();
        }
        return new ProcessMemory(statusKb("VmRSS:"), memory.getHeapMemoryUsage().getUsed() / 1024,
                memory.getHeapMemoryUsage().getCommitted() / 1024, memory.getNonHeapMemoryUsage().getCommitted() / 1024,
                threads);
    }

    private static long statusKb(String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(field)) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        throw new IOException("no " + field + " in /proc/self/status");
    }

    long nativeKb() {
        return rssKb - heapCommittedKb - nonHeapCommittedKb;
    }

    String line() {
        return "rss=" + rssKb + " heapUsed=" + heapUsedKb + " heapCommitted=" + heapCommittedKb + " nonHeap="
                + nonHeapCommittedKb + " threads=" + threads;
    }

    static ProcessMemory parse(String line) {
        Map<String, Long> values = new HashMap<>();
        for (String pair : line.trim().split(" ")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                values.put(pair.substring(0, eq), Long.parseLong(pair.substring(eq + 1)));
            }
        }
        return new ProcessMemory(values.get("rss"), values.get("heapUsed"), values.get("heapCommitted"),
                values.get("nonHeap"), values.get("threads"));
    }
}
