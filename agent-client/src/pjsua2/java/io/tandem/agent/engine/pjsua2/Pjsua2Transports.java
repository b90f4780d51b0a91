package io.tandem.agent.engine.pjsua2;

import io.tandem.agent.engine.EngineSettings;
import io.tandem.agent.engine.SipSecurity;
import io.tandem.agent.engine.TrustedCertificates;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.pjsip.pjsua2.Endpoint;
import org.pjsip.pjsua2.TlsConfig;
import org.pjsip.pjsua2.TransportConfig;
import org.pjsip.pjsua2.TransportInfo;
import org.pjsip.pjsua2.pjsip_transport_type_e;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's SIP transports: UDP and TCP on one port always (direct calls and a plain node list), and TLS when the
 * settings ask for it. Made on the PJSIP thread between {@code libInit} and {@code libStart}; the ids stay for the
 * accounts ({@code sipConfig.transportId}).
 */
final class Pjsua2Transports {
    private static final Logger LOG = LoggerFactory.getLogger(Pjsua2Transports.class);
    /** Ephemeral SIP ports tried before giving up (UDP free, the same TCP port taken). */
    private static final int BIND_ATTEMPTS = 5;
    /** Where Debian/Ubuntu and Fedora/RHEL keep the system's trusted CAs as one PEM file. */
    private static final List<Path> SYSTEM_CA_BUNDLES = List.of(Path.of("/etc/ssl/certs/ca-certificates.crt"),
            Path.of("/etc/pki/tls/certs/ca-bundle.crt"));

    private final Endpoint endpoint;
    private final EngineSettings settings;
    /** Transport ids, -1 until created (PJSIP thread, then read-only). */
    private volatile int tcpTransport = -1;
    private volatile int tlsTransport = -1;

    Pjsua2Transports(Endpoint endpoint, EngineSettings settings) {
        this.endpoint = endpoint;
        this.settings = settings;
    }

    /** Creates the transports; {@code caList} null: no TLS. Returns the SIP port (UDP and TCP). */
    int bind(InetAddress local, String caList) throws Exception {
        int port = bindSip(local);
        if (caList != null) {
            bindTls(local, caList);
        }
        return port;
    }

    /**
     * The PEM file PJSIP checks the nodes' certificates against: the agent's, read once here so a missing or wrong
     * file is said before anything starts, or the system's CA bundle (PJSIP's OpenSSL loads no default CAs).
     */
    static String caList(SipSecurity security) throws IOException {
        Path file = security.trustedCertificates();
        if (file == null) {
            return SYSTEM_CA_BUNDLES.stream().filter(Files::isReadable).findFirst().map(Path::toString)
                    .orElseThrow(() -> new IOException("TLS: no trusted certificate file is set and this system has "
                            + "no CA bundle (" + SYSTEM_CA_BUNDLES + ")"));
        }
        try {
            TrustedCertificates.read(file);
        } catch (IllegalArgumentException e) {
            throw new IOException("TLS: " + e.getMessage(), e);
        }
        return file.toAbsolutePath().toString();
    }

    /**
     * SIP on UDP and TCP, one port for both (as the Java engine). An ephemeral UDP port may be taken for TCP by
     * another process: then both are tried again on another port, a few times.
     */
    private int bindSip(InetAddress local) throws Exception {
        int attempts = settings.sipPort() == 0 ? BIND_ATTEMPTS : 1;
        TransportConfig transport = new TransportConfig();
        try {
            transport.setBoundAddress(local.getHostAddress());
            for (int attempt = 1; ; attempt++) {
                transport.setPort(settings.sipPort());
                int udp = endpoint.transportCreate(pjsip_transport_type_e.PJSIP_TRANSPORT_UDP, transport);
                TransportInfo info = endpoint.transportGetInfo(udp);
                int port = port(info.getLocalName());
                info.delete();
                transport.setPort(port);
                try {
                    tcpTransport = endpoint.transportCreate(pjsip_transport_type_e.PJSIP_TRANSPORT_TCP, transport);
                    return port;
                } catch (Exception e) {
                    endpoint.transportClose(udp);
                    if (attempt >= attempts) {
                        throw e;
                    }
                    LOG.info("SIP port {} is taken for TCP: trying another", port);
                }
            }
        } finally {
            transport.delete();
        }
    }

    /**
     * SIP over TLS (RFC 3261 §26.2), client side: the nodes' certificates must chain to {@code caList} and name the
     * node's host or address (PJSIP's {@code verify_server}: a certificate that fails either ends the connection).
     * The phone shows no certificate of its own; it authenticates with digest (RFC 3261 §26.3.1). Its own TLS port
     * is ephemeral: the node sends its requests over the connection the phone opened (RFC 5923).
     */
    private void bindTls(InetAddress local, String caList) throws Exception {
        TransportConfig transport = new TransportConfig();
        try {
            transport.setBoundAddress(local.getHostAddress());
            transport.setPort(0);
            TlsConfig tls = transport.getTlsConfig();
            tls.setCaListFile(caList);
            tls.setVerifyServer(true);
            tls.setVerifyClient(false);
            transport.setTlsConfig(tls);
            tlsTransport = endpoint.transportCreate(pjsip_transport_type_e.PJSIP_TRANSPORT_TLS, transport);
        } finally {
            transport.delete();
        }
    }

    /** The transport the account's requests must leave by: -1 (PJSIP chooses, by the URI) for UDP. */
    int signalling() {
        return switch (settings.security().transport()) {
            case UDP -> -1;
            case TCP -> tcpTransport;
            case TLS -> tlsTransport;
        };
    }

    private static int port(String hostPort) {
        return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
    }
}
