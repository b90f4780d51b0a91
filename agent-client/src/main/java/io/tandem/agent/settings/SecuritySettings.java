package io.tandem.agent.settings;

import io.tandem.agent.engine.SipSecurity;
import io.tandem.agent.engine.SipTransport;
import io.tandem.agent.engine.SrtpUse;
import java.nio.file.Path;
import java.util.Properties;

/**
 * {@link SipSecurity} as the settings file and the settings sheet spell it: {@code transport=udp|tcp|tls},
 * {@code tls-port}, {@code trusted-certificates} (a PEM file; empty: the system's CAs), {@code srtp=off|optional|
 * mandatory}. Every refusal is a sentence naming the setting.
 */
public final class SecuritySettings {
    static final String TRANSPORT = "transport";
    static final String TLS_PORT = "tls-port";
    static final String TRUST = "trusted-certificates";
    static final String SRTP = "srtp";

    private SecuritySettings() {
    }

    /** Empty values take the defaults (UDP, 5061, the system's CAs, no SRTP). */
    public static SipSecurity parse(String transport, String tlsPort, String trustedCertificates, String srtp) {
        SipTransport t = transport == null || transport.isBlank() ? SipTransport.UDP : SipTransport.parse(transport);
        SrtpUse s = srtp == null || srtp.isBlank() ? SrtpUse.OFF : SrtpUse.parse(srtp);
        int port = tlsPort(tlsPort);
        Path trust = trustedCertificates == null || trustedCertificates.isBlank() ? null
                : Path.of(trustedCertificates.strip());
        return new SipSecurity(t, port, trust, s);
    }

    /** The TLS port as typed; empty is 5061 (RFC 3261 §26.2). */
    public static int tlsPort(String text) {
        if (text == null || text.isBlank()) {
            return SipSecurity.DEFAULT_TLS_PORT;
        }
        try {
            int port = Integer.parseInt(text.strip());
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // answered below, as any other value that is not a port
        }
        throw new IllegalArgumentException("TLS port must be a number from 1 to 65535, not \"" + text.strip() + "\"");
    }

    static void store(SipSecurity security, Properties p) {
        p.setProperty(TRANSPORT, security.transport().id());
        p.setProperty(TLS_PORT, String.valueOf(security.tlsPort()));
        p.setProperty(TRUST, security.trustedCertificates() == null ? "" : security.trustedCertificates().toString());
        p.setProperty(SRTP, security.srtp().id());
    }
}
