package io.tandem.telephony.sip.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/** The digest hash functions SIP uses: RFC 2617 MD5 and RFC 7616 / RFC 8760 SHA-256. */
public enum DigestAlgorithm {
    MD5("MD5", "MD5"),
    SHA_256("SHA-256", "SHA-256");

    private final String token;
    private final String jcaName;

    DigestAlgorithm(String token, String jcaName) {
        this.token = token;
        this.jcaName = jcaName;
    }

    /** The {@code algorithm=} token. */
    public String token() {
        return token;
    }

    /**
     * Reads an {@code algorithm=} token, case-insensitively; null or empty means MD5 (RFC 2617 §3.2.1 default).
     * The {@code -sess} variants are refused: SIP never deployed them (RFC 8760 §2.4 keeps them out of SIP).
     */
    public static DigestAlgorithm fromToken(String token) {
        if (token == null || token.isBlank()) {
            return MD5;
        }
        String t = token.trim();
        for (DigestAlgorithm a : values()) {
            if (a.token.equalsIgnoreCase(t)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unsupported digest algorithm '" + t + "' (MD5 and SHA-256 are supported)");
    }

    /** Lower-case hex of the hash of the UTF-8 bytes of {@code s}. */
    public String hash(String s) {
        return HexFormat.of().formatHex(digest().digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    /** {@code H(username:realm:password)}, RFC 2617 §3.2.2.2 / RFC 7616 §3.4.2. */
    public String ha1(String user, String realm, String password) {
        return hash(user + ":" + realm + ":" + password);
    }

    MessageDigest digest() {
        try {
            return MessageDigest.getInstance(jcaName);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(jcaName + " is required of every JRE", e);
        }
    }

    @Override
    public String toString() {
        return token.toUpperCase(Locale.ROOT);
    }
}
