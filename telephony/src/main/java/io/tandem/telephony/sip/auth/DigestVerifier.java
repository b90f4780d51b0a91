package io.tandem.telephony.sip.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;

/**
 * Checks Digest credentials against a stored HA1 (the directory keeps HA1, never passwords). Accepts
 * {@code qop=auth} and the RFC 2069 form without qop, MD5 and SHA-256; refuses {@code auth-int} (we never offer it).
 * Compares in constant time. Nonce freshness is {@link HmacNonces}' job, nc replay the registrar's.
 */
public final class DigestVerifier {

    /** True when {@code r.response} is what a client knowing the password computes for {@code method} and r.uri. */
    public boolean verify(DigestResponse r, String method, String ha1) {
        if (r == null || method == null || ha1 == null) {
            return false;
        }
        String qop = r.qop();
        if (qop != null) {
            if (!qop.equalsIgnoreCase("auth") || r.cnonce() == null || r.nonceCount() == null
                    || !isNonceCount(r.nonceCount())) {
                return false;
            }
            qop = "auth";
        }
        String expected = DigestComputation.response(r.algorithm(), ha1.toLowerCase(Locale.ROOT), r.nonce(),
                r.nonceCount(), r.cnonce(), qop, method, r.uri());
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                r.response().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * {@link #verify(DigestResponse, String, String)} plus RFC 2617 §3.2.2.5: the {@code uri} the credentials were
     * computed for must be the request's Request-URI, so credentials cannot be replayed against another resource.
     */
    public boolean verify(DigestResponse r, String method, String requestUri, String ha1) {
        return r != null && requestUri != null && r.uri().equals(requestUri) && verify(r, method, ha1);
    }

    private static boolean isNonceCount(String nc) {
        if (nc.length() != 8) {
            return false;
        }
        for (int i = 0; i < 8; i++) {
            if (Character.digit(nc.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }
}
