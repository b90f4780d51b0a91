package io.tandem.agent.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The "trust this certificate / CA" file of the settings: PEM certificates (RFC 7468), the form PJSIP's OpenSSL
 * reads. Checked when the agent saves it, so a wrong path or a key file is named there, not at registration.
 */
public final class TrustedCertificates {
    private static final String BEGIN = "-----BEGIN CERTIFICATE-----";

    private TrustedCertificates() {
    }

    /** Null when {@code file} holds at least one PEM certificate, else why not, in words for the settings sheet. */
    public static String problem(Path file) {
        try {
            read(file);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /** The certificates in {@code file}; refused with a sentence naming the file when it holds none. */
    public static List<X509Certificate> read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("No certificate file at " + file);
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read " + file + ": " + e.getMessage());
        }
        if (!text.contains(BEGIN)) {
            throw new IllegalArgumentException(file.getFileName() + " is not a PEM certificate file (no BEGIN "
                    + "CERTIFICATE line)");
        }
        try (InputStream in = Files.newInputStream(file)) {
            List<X509Certificate> certificates = new ArrayList<>();
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                certificates.add((X509Certificate) c);
            }
            if (certificates.isEmpty()) {
                throw new IllegalArgumentException(file.getFileName() + " holds no certificate");
            }
            return certificates;
        } catch (CertificateException e) {
            throw new IllegalArgumentException(file.getFileName() + " holds a certificate that cannot be read: "
                    + e.getMessage());
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read " + file + ": " + e.getMessage());
        }
    }

    /** {@code certificate} as PEM (RFC 7468 §5). */
    public static String pem(X509Certificate certificate) throws CertificateException {
        return BEGIN + "\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(certificate.getEncoded()) + "\n-----END CERTIFICATE-----\n";
    }

    /** The certificates of {@code pemFile} as a PKCS12 trust store at {@code store}, for the JDK's TLS. */
    public static void writeTrustStore(Path pemFile, Path store, char[] password) throws IOException {
        try {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, password);
            int n = 0;
            for (X509Certificate c : read(pemFile)) {
                keys.setCertificateEntry("trusted-" + n++, c);
            }
            try (OutputStream out = Files.newOutputStream(store)) {
                keys.store(out, password);
            }
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot write a trust store for " + pemFile + ": " + e.getMessage(), e);
        }
    }
}
