package io.tandem.bench.node;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a node's JVM spent besides serving, from its {@code /actuator/prometheus}: JIT compilation time and GC pauses
 * (Micrometer's {@code jvm.compilation.time} and {@code jvm.gc.pause}, all collectors and causes added up). Read
 * before and after a phase, the difference tells whether the JIT was still warming up and how often the node stopped.
 */
record JvmActivity(double compileSeconds, long gcPauses, double gcPauseSeconds) {

    private static final Pattern LINE = Pattern.compile(
            "^(jvm_compilation_time_ms_total|jvm_gc_pause_seconds_count|jvm_gc_pause_seconds_sum)(\\{[^}]*\\})?\\s+(\\S+)");

    static JvmActivity parse(String exposition) {
        double compileMs = 0;
        long pauses = 0;
        double pauseSeconds = 0;
        for (String line : exposition.split("\n")) {
            Matcher m = LINE.matcher(line);
            if (!m.find()) {
                continue;
            }
            double value = Double.parseDouble(m.group(3));
            switch (m.group(1)) {
                case "jvm_compilation_time_ms_total" -> compileMs += value;
                case "jvm_gc_pause_seconds_count" -> pauses += (long) value;
                default -> pauseSeconds += value;
            }
        }
        return new JvmActivity(compileMs / 1000, pauses, pauseSeconds);
    }

    /** What happened between {@code earlier} and this reading. */
    JvmActivity minus(JvmActivity earlier) {
        return new JvmActivity(compileSeconds - earlier.compileSeconds(), gcPauses - earlier.gcPauses(),
                gcPauseSeconds - earlier.gcPauseSeconds());
    }

    JvmActivity plus(JvmActivity other) {
        return new JvmActivity(compileSeconds + other.compileSeconds(), gcPauses + other.gcPauses(),
                gcPauseSeconds + other.gcPauseSeconds());
    }
}
