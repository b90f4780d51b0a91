package io.tandem.agent.engine.pjsua2;

import java.util.Locale;

/** Reads a header from a whole SIP message as pjsua2 hands it over ({@code SipRxData.getWholeMsg()}). */
final class SipHeaders {

    private SipHeaders() {
    }

    /** The first value of header {@code name} (case-insensitive, RFC 3261 §7.3.1), or empty when absent. */
    static String value(String message, String name) {
        if (message == null) {
            return "";
        }
        String wanted = name.toLowerCase(Locale.ROOT) + ":";
        for (String line : message.split("\r?\n")) {
            if (line.isEmpty()) {
                break; // end of the headers; the body follows
            }
            if (line.toLowerCase(Locale.ROOT).startsWith(wanted)) {
                return line.substring(wanted.length()).strip();
            }
        }
        return "";
    }
}
