package io.tandem.bench.outbound;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.Locale;

/** What the sections' campaigns are made of: contact lists, the campaign bodies, the machine's load. */
final class Contacts {

    /**
     * The broadcast prompt: about 72 s of speech (40 × 1.8 s), longer than any call of the bench, so the carrier
     * always hangs up first and the node plays to the end of every call.
     */
    private static final String PROMPT;

    static {
        String[] words = new String[40];
        Arrays.fill(words, "\"all-circuits-busy-now\"");
        PROMPT = "[" + String.join(",", words) + "]";
    }

    private Contacts() {
    }

    /**
     * {@code count} contacts numbered from {@code +49} and the {@code series} (unique per campaign of a run), each in a
     * zone where it is now about noon, so every one is inside the window whatever the hour of the run.
     */
    static String csv(int series, int count) {
        String zone = zoneWhereItIs(12);
        StringBuilder csv = new StringBuilder("number,timezone\n");
        for (int i = 0; i < count; i++) {
            csv.append(String.format(Locale.ROOT, "+49%04d%06d", series, i)).append(',').append(zone).append('\n');
        }
        return csv.toString();
    }

    /** A broadcast campaign, one attempt per contact (a failure is counted, not retried). */
    static String broadcast() {
        return "{\"queue\":\"" + OutboundNode.QUEUE + "\",\"mode\":\"broadcast\",\"window\":{\"start\":\"00:00\","
                + "\"end\":\"23:59\"},\"maxAttempts\":1,\"ringSeconds\":15,\"prompt\":" + PROMPT + "}";
    }

    /** A progressive campaign: its queue's only agent never logs in, so it wants no call in any tick. */
    static String progressive() {
        return "{\"queue\":\"" + OutboundNode.QUEUE + "\",\"mode\":\"progressive\",\"window\":{\"start\":\"00:00\","
                + "\"end\":\"23:59\"},\"maxAttempts\":1,\"ringSeconds\":15}";
    }

    private static String zoneWhereItIs(int hour) {
        int utc = ZonedDateTime.now(ZoneOffset.UTC).getHour();
        int offset = Math.floorMod(hour - utc + 12, 24) - 12; // -12..+11
        // IANA's Etc zones have the sign reversed: Etc/GMT-2 is UTC+2
        return offset == 0 ? "Etc/UTC" : "Etc/GMT" + (offset > 0 ? "-" : "+") + Math.abs(offset);
    }

    /** The machine's load average (1/5/15 min): the machine is shared, the report says how busy it was. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " / " + f[1] + " / " + f[2];
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }
}
