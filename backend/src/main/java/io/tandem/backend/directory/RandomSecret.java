package io.tandem.backend.directory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** Secrets the directory hands out once (generated passwords, API keys) and the digest it keeps of a key. */
final class RandomSecret {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private RandomSecret() {
    }

    /** {@code bytes} random bytes, base64url: 18 bytes give 24 characters, 144 bits. */
    static String of(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return B64.encodeToString(random);
    }

    /** A SIP password for an app user: 24 characters a phone's settings accept (base64url). */
    static String password() {
        return of(18);
    }

    /** SHA-256 of a key, lower-case hex: what is stored instead of the key. */
    static String sha256(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
