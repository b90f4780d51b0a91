package io.tandem.backend.directory;

import io.tandem.telephony.sip.auth.DigestAlgorithm;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * HA1 of HTTP/SIP digest authentication: {@code H(username ":" realm ":" password)}, lower-case hex
 * (RFC 7616 §3.4.2; RFC 2617 §3.2.2.2 for MD5). Computed by the telephony module's {@link DigestAlgorithm}, the
 * same code the registrar verifies SIP digests with, so the directory and the registrar agree by construction.
 */
final class Ha1 {

    private Ha1() {
    }

    static String md5(String user, String realm, String password) {
        return DigestAlgorithm.MD5.ha1(user, realm, password);
    }

    static String sha256(String user, String realm, String password) {
        return DigestAlgorithm.SHA_256.ha1(user, realm, password);
    }

    /** Constant-time comparison of two hex HA1s (no early exit on the first differing byte). */
    static boolean matches(String expectedHex, String actualHex) {
        if (expectedHex == null || actualHex == null) {
            return false;
        }
        return MessageDigest.isEqual(expectedHex.getBytes(StandardCharsets.US_ASCII),
                actualHex.getBytes(StandardCharsets.US_ASCII));
    }
}
