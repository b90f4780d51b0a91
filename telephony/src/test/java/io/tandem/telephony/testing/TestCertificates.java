package io.tandem.telephony.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Self-signed certificates for TLS tests, made by the JDK's own {@code keytool}: a PKCS12 key store with one key
 * entry whose certificate names 127.0.0.1 and localhost. The same file serves as a trust store (the JDK trusts the
 * certificate of a key entry).
 */
public final class TestCertificates {
    public static final String PASSWORD = "tandem-test";

    private TestCertificates() {
    }

    /** A new key store {@code dir/name.p12} with a self-signed certificate for {@code name}. */
    public static Path selfSigned(Path dir, String name) throws IOException, InterruptedException {
        Path store = dir.resolve(name + ".p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process p = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-alias", name, "-keyalg", "EC",
                "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA", "-validity", "2", "-dname", "CN=" + name,
                "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", PASSWORD, "-keypass", PASSWORD)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0 || !Files.exists(store)) {
            throw new IOException("keytool failed: " + out);
        }
        return store;
    }
}
