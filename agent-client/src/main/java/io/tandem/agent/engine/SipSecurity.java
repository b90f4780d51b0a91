package io.tandem.agent.engine;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * How the phone protects its signalling and media: the SIP transport to the nodes, the certificates it trusts for
 * TLS, and SRTP. The node list the backend gives names each node's plain SIP address ({@code sip:host:port}); this
 * turns it into the address for the chosen transport.
 *
 * @param transport     SIP over UDP, TCP (the node's SIP port) or TLS (the node's TLS port)
 * @param tlsPort       the nodes' SIP-over-TLS port ({@code tandem.sip.tls-port}; 5061 is RFC 3261 §26.2's default):
 *                      the node list carries only their plain port
 * @param trustedCertificates PEM file of the certificate(s) or CA(s) the nodes' TLS certificates must chain to; null:
 *                      the system's CAs. The node's name (host or IP address) must be in its certificate (RFC 5922 §7)
 * @param srtp          SDES-keyed SRTP for the media (RFC 4568); only over TLS, since over UDP or TCP the keys in the
 *                      SDP are readable on the wire (RFC 4568 §8.3)
 */
public record SipSecurity(SipTransport transport, int tlsPort, Path trustedCertificates, SrtpUse srtp) {
    /** RFC 3261 §26.2: SIP over TLS listens on 5061 unless told otherwise. */
    public static final int DEFAULT_TLS_PORT = 5061;

    public SipSecurity {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(srtp, "srtp");
        if (tlsPort < 1 || tlsPort > 65535) {
            throw new IllegalArgumentException("TLS port must be 1 to 65535, not " + tlsPort);
        }
        if (srtp != SrtpUse.OFF && transport != SipTransport.TLS) {
            throw new IllegalArgumentException("SRTP needs the TLS transport: over " + transport.id()
                    + " its keys would cross the network in clear (RFC 4568 §8.3)");
        }
    }

    /** Plain UDP, no SRTP: what the phone did before these settings. */
    public static SipSecurity plain() {
        return new SipSecurity(SipTransport.UDP, DEFAULT_TLS_PORT, null, SrtpUse.OFF);
    }

    public boolean tls() {
        return transport == SipTransport.TLS;
    }

    /** Each node's address for this transport, in the same order. */
    public List<String> registrars(List<String> nodeUris) {
        return nodeUris.stream().map(this::registrar).toList();
    }

    /**
     * A node's plain SIP address for this transport: UDP as given, {@code sip:h:p;transport=tcp}, or
     * {@code sip:h:<tls-port>;transport=tls} (a {@code sip:} URI with a TLS hop, not {@code sips:}, which would ask
     * for TLS end to end, RFC 3261 §26.2.2 — the node's answer to a phone over TLS is enough here).
     */
    public String registrar(String nodeUri) {
        String bare = nodeUri.strip().replaceFirst(";.*$", "");
        return switch (transport) {
            case UDP -> bare;
            case TCP -> bare + ";transport=tcp";
            case TLS -> "sip:" + host(bare) + ":" + tlsPort + ";transport=tls";
        };
    }

    private static String host(String bareUri) {
        URI uri = URI.create(bareUri.replaceFirst("^sips?:", "sip://").replaceFirst("^sip://[^@]*@", "sip://"));
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("not a node SIP address: " + bareUri);
        }
        return uri.getHost();
    }

    @Override
    public String toString() {
        return transport.id() + (tls() ? " (port " + tlsPort + ", trusting "
                + (trustedCertificates == null ? "the system's CAs" : trustedCertificates.toString()) + ")" : "")
                + ", SRTP " + srtp.id();
    }
}
