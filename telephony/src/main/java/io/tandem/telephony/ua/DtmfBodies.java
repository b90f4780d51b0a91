package io.tandem.telephony.ua;

import java.util.Locale;

/**
 * DTMF carried in SIP INFO bodies: {@code application/dtmf-relay} ("Signal=5\r\nDuration=160",
 * the de-facto format of Cisco and most PBXes) and {@code application/dtmf} (just the digit).
 */
final class DtmfBodies {
    static final String DTMF_RELAY = "application/dtmf-relay";
    static final String DTMF = "application/dtmf";
    private static final String DIGITS = "0123456789*#ABCD";

    private DtmfBodies() {
    }

    /** The digit in an INFO body, or 0 when there is none. */
    static char parse(String contentType, String body) {
        if (DTMF_RELAY.equals(contentType)) {
            for (String line : body.split("\r?\n")) {
                int eq = line.indexOf('=');
                if (eq > 0 && line.substring(0, eq).trim().equalsIgnoreCase("signal")) {
                    return digit(line.substring(eq + 1).trim());
                }
            }
            return 0;
        }
        if (DTMF.equals(contentType)) {
            return digit(body.trim());
        }
        return 0;
    }

    private static char digit(String value) {
        if (value.length() != 1) {
            // RFC 4733 event codes 10 and 11 are sometimes sent as numbers
            return switch (value) {
                case "10" -> '*';
                case "11" -> '#';
                default -> 0;
            };
        }
        char c = Character.toUpperCase(value.charAt(0));
        return DIGITS.indexOf(c) >= 0 ? c : 0;
    }

    static boolean isDigit(char c) {
        return DIGITS.indexOf(Character.toUpperCase(c)) >= 0;
    }

    static String relayBody(char digit, int durationMillis) {
        return "Signal=" + Character.toUpperCase(digit) + "\r\nDuration=" + durationMillis + "\r\n";
    }

    static String normalize(char c) {
        return String.valueOf(c).toUpperCase(Locale.ROOT);
    }
}
