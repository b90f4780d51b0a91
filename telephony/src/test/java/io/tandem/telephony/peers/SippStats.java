package io.tandem.telephony.peers;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the call counts out of SIPp's statistics CSV ({@code -trace_stat}), or its final screen. */
final class SippStats {
    private static final Pattern SCREEN_SUCCESS = Pattern.compile("Successful call\\s*\\|\\s*\\d+\\s*\\|\\s*(\\d+)");
    private static final Pattern SCREEN_FAILED = Pattern.compile("Failed call\\s*\\|\\s*\\d+\\s*\\|\\s*(\\d+)");

    private SippStats() {
    }

    /** {successful, failed} cumulative calls; -1 for a count neither source holds. */
    static long[] callCounts(String statsCsv, String screen) {
        long[] fromCsv = fromCsv(statsCsv);
        if (fromCsv[0] >= 0 && fromCsv[1] >= 0) {
            return fromCsv;
        }
        return new long[] {lastMatch(SCREEN_SUCCESS, screen), lastMatch(SCREEN_FAILED, screen)};
    }

    /** The header names the columns; the last line is the final dump, written when SIPp exits. */
    static long[] fromCsv(String csv) {
        String[] lines = csv.strip().split("\r?\n");
        if (lines.length < 2) {
            return new long[] {-1, -1};
        }
        String[] header = lines[0].split(";", -1);
        String[] last = lines[lines.length - 1].split(";", -1);
        return new long[] {column(header, last, "SuccessfulCall(C)"), column(header, last, "FailedCall(C)")};
    }

    private static long column(String[] header, String[] row, String name) {
        for (int i = 0; i < header.length && i < row.length; i++) {
            if (header[i].trim().equals(name)) {
                try {
                    return Long.parseLong(row[i].trim());
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return -1;
    }

    private static long lastMatch(Pattern p, String text) {
        Matcher m = p.matcher(text);
        long v = -1;
        while (m.find()) {
            v = Long.parseLong(m.group(1));
        }
        return v;
    }
}
