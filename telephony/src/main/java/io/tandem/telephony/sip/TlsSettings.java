package io.tandem.telephony.sip;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Properties;

/**
 * SIP over TLS (RFC 3261 §26.2, RFC 5630) for a {@link SipEndpoint}: the port of its TLS listening point, the key
 * store holding its certificate and private key (what it shows to clients), and the trust store it checks servers'
 * certificates against when it connects out. Passwords come from configuration, never from code.
 *
 * @param port               TLS listening port; 0 picks a free one (tests)
 * @param keyStore           PKCS12 (or JKS) file with this endpoint's certificate chain and key
 * @param keyStorePassword   its password
 * @param trustStore         certificates trusted as servers when this endpoint connects out; null trusts only the
 *                           certificate in {@code keyStore}
 * @param trustStorePassword its password (null: the key store's)
 */
public record TlsSettings(int port, Path keyStore, String keyStorePassword, Path trustStore,
                          String trustStorePassword) {

    /**
     * TLS 1.2 and 1.3 only (RFC 8996 retires older versions), and ephemeral key exchange with AEAD ciphers; the
     * RI's own defaults name RSA key-exchange suites newer JDKs refuse.
     */
    static final String PROTOCOLS = "TLSv1.3, TLSv1.2";
    static final String CIPHER_SUITES = "TLS_AES_128_GCM_SHA256 TLS_AES_256_GCM_SHA384 TLS_CHACHA20_POLY1305_SHA256 "
            + "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 "
            + "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384";

    public TlsSettings {
        Objects.requireNonNull(keyStore, "keyStore");
        Objects.requireNonNull(keyStorePassword, "keyStorePassword");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("TLS port must be 0 to 65535");
        }
    }

    /** A client that shows no certificate of its own and trusts what {@code trustStore} holds. */
    public static TlsSettings client(Path trustStore, String trustStorePassword, Path keyStore,
            String keyStorePassword) {
        return new TlsSettings(0, keyStore, keyStorePassword, trustStore, trustStorePassword);
    }

    /** The stack properties the JAIN-SIP RI reads its TLS set-up from ({@code DefaultSecurityManagerProvider}). */
    void apply(Properties p) {
        p.setProperty("javax.net.ssl.keyStore", keyStore.toString());
        p.setProperty("javax.net.ssl.keyStorePassword", keyStorePassword);
        p.setProperty("javax.net.ssl.keyStoreType", storeType(keyStore));
        Path trusted = trustStore != null ? trustStore : keyStore;
        p.setProperty("javax.net.ssl.trustStore", trusted.toString());
        p.setProperty("javax.net.ssl.trustStorePassword", trustStore != null && trustStorePassword != null
                ? trustStorePassword : keyStorePassword);
        p.setProperty("javax.net.ssl.trustStoreType", storeType(trusted));
        // Phones authenticate with SIP digest, not client certificates (RFC 3261 §26.3.1 allows server-only TLS).
        // (The RI's "DisabledAll", which would also trust any server, leaves the server side without its key.)
        p.setProperty("gov.nist.javax.sip.TLS_CLIENT_AUTH_TYPE", "Disabled");
        p.setProperty("gov.nist.javax.sip.TLS_CLIENT_PROTOCOLS", PROTOCOLS);
        p.setProperty("gov.nist.javax.sip.ENABLED_CIPHER_SUITES", CIPHER_SUITES);
        p.setProperty("gov.nist.javax.sip.SSL_HANDSHAKE_TIMEOUT", "5000");
    }

    private static String storeType(Path store) {
        String name = store.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        return name.endsWith(".jks") ? "JKS" : "PKCS12";
    }

    /** Never the passwords: this text may be logged. */
    @Override
    public String toString() {
        return "TLS on port " + port + " with " + keyStore;
    }
}
