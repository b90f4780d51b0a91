package io.tandem.backend.node.sip;

import io.tandem.backend.node.InvalidConfigurationException;
import io.tandem.backend.node.NodeAddresses;
import io.tandem.backend.node.NodeIdentity;
import io.tandem.backend.node.NodeMetrics;
import io.tandem.backend.node.SipProperties;
import io.tandem.telephony.sip.SipEndpoint;
import io.tandem.telephony.sip.TlsSettings;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.time.Clock;
import java.util.Collections;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Opens the node's SIP endpoint (UDP and TCP on one port) with the {@link SipRequestRouter} as its handler, and
 * closes it when the node stops (Spring destroys beans in reverse order, so the endpoint closes before Redis).
 */
@Configuration(proxyBeanMethods = false)
class SipConfiguration {

    @Bean
    SipRequestRouter sipRequestRouter(ObjectProvider<SipFeature> features, ObjectProvider<SourceFilter> filters,
            NodeMetrics metrics, SipProperties sip, Clock clock) {
        return new SipRequestRouter(features.orderedStream().toList(), filters.orderedStream().toList(), metrics,
                sip.statelessAnswers(), clock);
    }

    @Bean(destroyMethod = "close")
    SipEndpoint sipEndpoint(SipProperties sip, SipRequestRouter router, NodeIdentity identity, NodeMetrics metrics) {
        if (sip.udpPort() != 0 && sip.tcpPort() != 0 && sip.tcpPort() != sip.udpPort()) {
            throw new InvalidConfigurationException("tandem.sip.tcp-port", "must equal tandem.sip.udp-port ("
                    + sip.udpPort() + "): the node listens for UDP and TCP on one port");
        }
        InetAddress bind;
        try {
            bind = InetAddress.getByName(sip.bindAddress());
        } catch (UnknownHostException e) {
            throw new InvalidConfigurationException("tandem.sip.bind-address", "unknown address '"
                    + sip.bindAddress() + "'", e);
        }
        TlsSettings tls = tlsSettings(sip);
        SipEndpoint endpoint;
        try {
            endpoint = SipEndpoint.open(bind, sip.udpPort(), "Tandem/" + identity.version(), router,
                    new SipEndpoint.StackLimits(sip.threads(), sip.maxServerTransactions(), sip.workQueueLimit(),
                            (int) sip.overloadRetryAfter().toSeconds()), tls);
        } catch (IOException e) {
            String property = e.getMessage() != null && e.getMessage().startsWith("cannot listen for TLS")
                    ? "tandem.sip.tls-port" : "tandem.sip.udp-port";
            throw new InvalidConfigurationException(property, "cannot listen for SIP on "
                    + sip.bindAddress() + " (" + e.getMessage() + ")", e);
        }
        router.attach(endpoint);
        metrics.sipEndpoint(endpoint, e -> ((SipEndpoint) e).droppedMalformed(), e -> ((SipEndpoint) e).rejected());
        metrics.overloadRefusals(endpoint, "INVITE", e -> ((SipEndpoint) e).overloadRefusedInvites());
        metrics.overloadRefusals(endpoint, "REGISTER", e -> ((SipEndpoint) e).overloadRefusedRegisters());
        metrics.sipHeld(endpoint, e -> ((SipEndpoint) e).serverTransactions(), router,
                r -> ((SipRequestRouter) r).statelessAnswersKept());
        return endpoint;
    }

    /** Contact/SDP host and the SIP ports actually bound (an ephemeral one in tests). */
    @Bean
    NodeAddresses nodeAddresses(SipProperties sip, SipEndpoint endpoint) {
        return new NodeAddresses(sip, endpoint.port(), endpoint.tlsPort());
    }

    /**
     * The TLS listening point's settings, or null when {@code tandem.sip.tls-port} is 0. The key store must be
     * readable now: a node that would fail its first TLS handshake fails at start instead, naming the property.
     */
    static TlsSettings tlsSettings(SipProperties sip) {
        if (sip.tlsPort() == 0) {
            return null;
        }
        Path store = Path.of(sip.tlsKeyStore());
        try (InputStream in = Files.newInputStream(store)) {
            KeyStore ks = KeyStore.getInstance(store.toString().endsWith(".jks") ? "JKS" : "PKCS12");
            ks.load(in, sip.tlsKeyStorePassword().toCharArray());
            if (!Collections.list(ks.aliases()).stream().anyMatch(alias -> isKeyEntry(ks, alias))) {
                throw new InvalidConfigurationException("tandem.sip.tls-key-store", store
                        + " holds no private key with its certificate");
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new InvalidConfigurationException("tandem.sip.tls-key-store", "cannot read " + store
                    + " with tandem.sip.tls-key-store-password (" + e.getMessage() + ")", e);
        }
        Path trust = sip.tlsTrustStore().isBlank() ? null : Path.of(sip.tlsTrustStore());
        if (trust != null && !Files.isReadable(trust)) {
            throw new InvalidConfigurationException("tandem.sip.tls-trust-store", "cannot read " + trust);
        }
        return new TlsSettings(sip.tlsPort(), store, sip.tlsKeyStorePassword(), trust, sip.tlsKeyStorePassword());
    }

    private static boolean isKeyEntry(KeyStore ks, String alias) {
        try {
            return ks.isKeyEntry(alias);
        } catch (KeyStoreException e) {
            return false;
        }
    }
}
