package io.tandem.backend.directory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * HA1 of HTTP/SIP digest authentication: {@code H(username ":" realm ":" password)}, lower-case hex
 * (RFC 7616 §3.4.2; RFC 2617 §3.2.2.2 for MD5).
 *
 * <p>Interim: {@code io.tandem.telephony.sip.auth.DigestAlgorithm} (branch wt/sdp) will own this computation for
 * the registrar; once merged, this helper delegates to it so SIP and HTTP agree by construction.
 */
final class Ha1 {

    private Ha1() {
    }

    static String md5(String user, String realm, String password) {
        return hash("MD5", user, realm, password);
    }

    static String sha256(String user, String realm, String password) {
        return hash("SHA-256", user, realm, password);
    }

    /** Constant-time comparison of two hex HA1s (no early exit on the first differing byte). */
    static boolean matches(String expectedHex, String actualHex) {
        if (expectedHex == null || actualHex == null) {
            return false;
        }
        return MessageDigest.isEqual(expectedHex.getBytes(StandardCharsets.US_ASCII),
                actualHex.getBytes(StandardCharsets.US_ASCII));
    }

    private static String hash(String algorithm, String user, String realm, String password) {
        try {
            MessageDigest digest = MessageDigest.getInstance(algorithm);
            byte[] input = (user + ":" + realm + ":" + password).getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(digest.digest(input));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is required by the JDK", e);
        }
    }
}
