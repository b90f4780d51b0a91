package io.tandem.agent.engine;

import java.util.regex.Pattern;

/** What an agent types (an extension, a queue number, a SIP URI) turned into a request URI, and back. */
public final class SipTargets {
    /** Digits with an optional leading + and the DTMF symbols, 1 to 32 of them (E.164 has at most 15 digits). */
    private static final Pattern NUMBER = Pattern.compile("\\+?[0-9*#]{1,32}");

    private SipTargets() {
    }

    /** Null when {@code input} is dialable, else why not, in words for the dial pad. */
    public static String problem(String input) {
        String s = input == null ? "" : input.strip();
        if (s.isEmpty()) {
            return "Enter a number to call";
        }
        if (s.startsWith("sip:") || s.startsWith("sips:")) {
            return s.length() > 4 && !s.contains(" ") ? null : "Not a SIP address: " + s;
        }
        String digits = s.replaceAll("[\\s().-]", "");
        if (!NUMBER.matcher(digits).matches()) {
            return "Numbers only (0-9, *, #, a leading +): " + s;
        }
        return null;
    }

    /** The number without spacing a person may have typed: "+44 20 7946-0000" → "+442079460000". */
    public static String normalise(String input) {
        String s = input.strip();
        return s.startsWith("sip") ? s : s.replaceAll("[\\s().-]", "");
    }

    /** A request URI: a SIP URI as given; a number at the registrar's host and port ({@code sip:7000@10.0.0.1:5060}). */
    public static String uri(String input, String registrar) {
        String s = normalise(input);
        if (s.startsWith("sip:") || s.startsWith("sips:")) {
            return s;
        }
        if (registrar == null) {
            throw new IllegalStateException("not registered: cannot reach " + s);
        }
        String hostPort = registrar.substring(registrar.indexOf(':') + 1);
        return "sip:" + s + "@" + hostPort;
    }

    /** The user part of a SIP URI ({@code sip:1001@host;x} → {@code 1001}), or the URI when it has none. */
    public static String userPart(String uri) {
        if (uri == null) {
            return "";
        }
        String s = uri.startsWith("<") ? uri.substring(1) : uri;
        int colon = s.indexOf(':');
        int at = s.indexOf('@');
        if (colon >= 0 && at > colon) {
            return s.substring(colon + 1, at);
        }
        return uri;
    }
}
