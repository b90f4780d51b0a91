package io.tandem.telephony.sip.auth;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * A {@code WWW-Authenticate} / {@code Proxy-Authenticate: Digest ...} challenge (RFC 3261 §22.4, RFC 7616 §3.3).
 *
 * @param opaque  null when absent
 * @param qopAuth the server offered {@code qop="auth"} (otherwise we answer the RFC 2069 way)
 * @param stale   the previous nonce expired but the credentials were right: retry without asking the user
 */
public record DigestChallenge(String realm, String nonce, String opaque, DigestAlgorithm algorithm, boolean qopAuth,
                              boolean stale) {

    public DigestChallenge {
        Objects.requireNonNull(realm, "realm");
        Objects.requireNonNull(nonce, "nonce");
        Objects.requireNonNull(algorithm, "algorithm");
    }

    /** @throws IllegalArgumentException not a Digest challenge, no realm or nonce, unknown algorithm */
    public static DigestChallenge parse(String headerValue) {
        AuthParams p = AuthParams.parse(headerValue, "Digest challenge");
        if (!p.scheme.equalsIgnoreCase("Digest")) {
            throw new IllegalArgumentException("not a Digest challenge: scheme '" + p.scheme + "'");
        }
        String realm = p.required("realm", "Digest challenge");
        String nonce = p.required("nonce", "Digest challenge");
        DigestAlgorithm algorithm = DigestAlgorithm.fromToken(p.optional("algorithm"));
        String qop = p.optional("qop");
        boolean qopAuth = qop != null && Arrays.stream(qop.split(","))
                .anyMatch(q -> q.trim().equalsIgnoreCase("auth"));
        String stale = p.optional("stale");
        return new DigestChallenge(realm, nonce, p.optional("opaque"), algorithm, qopAuth,
                stale != null && stale.trim().toLowerCase(Locale.ROOT).equals("true"));
    }

    /** The header value, e.g. {@code Digest realm="a", nonce="b", algorithm=SHA-256, qop="auth"}. */
    public String toHeaderValue() {
        StringBuilder sb = new StringBuilder("Digest realm=").append(AuthParams.quote(realm))
                .append(", nonce=").append(AuthParams.quote(nonce));
        if (opaque != null) {
            sb.append(", opaque=").append(AuthParams.quote(opaque));
        }
        sb.append(", algorithm=").append(algorithm.token());
        if (qopAuth) {
            sb.append(", qop=\"auth\"");
        }
        if (stale) {
            sb.append(", stale=true");
        }
        return sb.toString();
    }
}
