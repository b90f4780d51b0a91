package io.tandem.callback.push.apns;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Key material the APNs IT makes for itself: a CA, a server certificate for 127.0.0.1/localhost signed by it, and EC
 * P-256 keys written as PKCS#8 PEM — the format of Apple's {@code AuthKey_<keyid>.p8}.
 */
public final class TestTls {

    /** PEM files of a CA and a loopback server certificate issued by it. */
    public record ServerFiles(Path caCertificate, Path serverCertificateChain, Path serverKey) {
    }

    private TestTls() {
    }

    public static KeyPair ecP256() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    public static ServerFiles loopbackServer(Path dir) throws GeneralSecurityException, IOException {
        KeyPair ca = ecP256();
        X509Certificate caCertificate = sign(new JcaX509v3CertificateBuilder(
                        new X500Name("CN=Tandem test CA"), BigInteger.ONE, notBefore(), notAfter(),
                        new X500Name("CN=Tandem test CA"), ca.getPublic())
                        .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                        .addExtension(Extension.keyUsage, true,
                                new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign)),
                ca);
        KeyPair server = ecP256();
        X509Certificate serverCertificate = sign(new JcaX509v3CertificateBuilder(
                        new X500Name("CN=Tandem test CA"), BigInteger.TWO, notBefore(), notAfter(),
                        new X500Name("CN=localhost"), server.getPublic())
                        .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                                new GeneralName(GeneralName.dNSName, "localhost"),
                                new GeneralName(GeneralName.iPAddress, "127.0.0.1")}))
                        .addExtension(Extension.extendedKeyUsage, false,
                                new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                        .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature)),
                ca);
        ServerFiles files = new ServerFiles(dir.resolve("ca.pem"), dir.resolve("server.pem"),
                dir.resolve("server-key.pem"));
        Files.writeString(files.caCertificate(), pem("CERTIFICATE", caCertificate.getEncoded()));
        Files.writeString(files.serverCertificateChain(), pem("CERTIFICATE", serverCertificate.getEncoded())
                + pem("CERTIFICATE", caCertificate.getEncoded()));
        Files.writeString(files.serverKey(), pem("PRIVATE KEY", server.getPrivate().getEncoded()));
        return files;
    }

    /** {@code key}'s PKCS#8 encoding as a PEM file, like Apple's .p8 download. */
    public static Path writeP8(Path file, KeyPair key) throws IOException {
        return Files.writeString(file, pem("PRIVATE KEY", key.getPrivate().getEncoded()));
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair issuer)
            throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuer.getPrivate())));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + base64 + "\n-----END " + type + "-----\n";
    }

    private static Date notBefore() {
        return Date.from(Instant.now().minus(Duration.ofHours(1)));
    }

    private static Date notAfter() {
        return Date.from(Instant.now().plus(Duration.ofDays(1)));
    }
}
