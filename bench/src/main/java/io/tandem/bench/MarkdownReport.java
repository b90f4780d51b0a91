package io.tandem.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** Runs benchmark sections one after another and writes one Markdown file. */
public final class MarkdownReport {
    private MarkdownReport() {
    }

    public static void write(Path out, String heading, String intro, List<BenchSection> sections, boolean quick)
            throws Exception {
        StringBuilder md = new StringBuilder();
        md.append("# ").append(heading).append("\n\n");
        md.append(intro).append("\n\n");
        md.append("- date: ").append(Instant.now().truncatedTo(ChronoUnit.SECONDS)).append('\n');
        md.append("- machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores, ")
                .append(machineMemory()).append(", ").append(System.getProperty("java.vm.name")).append(' ')
                .append(System.getProperty("java.version")).append('\n');
        md.append("- mode: ").append(quick ? "quick (smoke run, figures are indicative)" : "full").append("\n\n");
        for (BenchSection section : sections) {
            System.out.println("== " + section.title());
            md.append("## ").append(section.title()).append("\n\n");
            md.append(section.run(quick)).append('\n');
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.writeString(out, md, StandardCharsets.UTF_8);
        }
        System.out.println("written " + out);
    }

    private static String machineMemory() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    long kb = Long.parseLong(line.replaceAll("\\D+", ""));
                    return (kb / 1024 / 1024) + " GiB";
                }
            }
        } catch (IOException | NumberFormatException e) {
            // fall through: memory is informative only
        }
        return "unknown memory";
    }
}
