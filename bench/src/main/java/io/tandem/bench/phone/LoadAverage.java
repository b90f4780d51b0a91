package io.tandem.bench.phone;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The machine's load average (1/5/15 min) for the report: the bench shares 2 cores with other work. */
final class LoadAverage {
    private LoadAverage() {
    }

    static String now() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " / " + f[1] + " / " + f[2];
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }
}
