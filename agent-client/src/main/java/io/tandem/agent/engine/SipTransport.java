package io.tandem.agent.engine;

import java.util.Locale;

/** How the phone carries SIP to the nodes (RFC 3261 §18): UDP, TCP, or TLS (§26.2). */
public enum SipTransport {
    UDP,
    TCP,
    TLS;

    /** The settings-file spelling: {@code udp}, {@code tcp}, {@code tls}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code udp}, {@code tcp} or {@code tls} in any case; anything else is refused with the choices named. */
    public static SipTransport parse(String text) {
        String s = text == null ? "" : text.strip().toUpperCase(Locale.ROOT);
        for (SipTransport t : values()) {
            if (t.name().equals(s)) {
                return t;
            }
        }
        throw new IllegalArgumentException("transport must be udp, tcp or tls, not \"" + text + "\"");
    }
}
