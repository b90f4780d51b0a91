package io.tandem.telephony.sip.auth;

import java.util.Objects;

/**
 * The credentials in an {@code Authorization} / {@code Proxy-Authorization: Digest ...} header (RFC 3261 §22.4,
 * RFC 2617 §3.2.2). Optional fields are null when absent; {@code qop} null means the RFC 2069 form.
 *
 * @param nonceCount the {@code nc} value as sent (8 hex digits), null without qop
 */
public record DigestResponse(String username, String realm, String nonce, String uri, String response,
                             DigestAlgorithm algorithm, String cnonce, String opaque, String qop, String nonceCount) {

    public DigestResponse {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(realm, "realm");
        Objects.requireNonNull(nonce, "nonce");
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(response, "response");
        Objects.requireNonNull(algorithm, "algorithm");
    }

    /** @throws IllegalArgumentException not Digest (e.g. RFC 4475 {@code regaut01}), or a required field missing */
    public static DigestResponse parse(String authorizationHeaderValue) {
        String what = "Digest credentials";
        AuthParams p = AuthParams.parse(authorizationHeaderValue, what);
        if (!p.scheme.equalsIgnoreCase("Digest")) {
            throw new IllegalArgumentException("not Digest credentials: scheme '" + p.scheme + "'");
        }
        return new DigestResponse(p.required("username", what), p.required("realm", what),
                p.required("nonce", what), p.required("uri", what), p.required("response", what),
                DigestAlgorithm.fromToken(p.optional("algorithm")), p.optional("cnonce"), p.optional("opaque"),
                p.optional("qop"), p.optional("nc"));
    }

    /** The header value, in the field order RFC 3261 §25.1 lists. */
    public String toHeaderValue() {
        StringBuilder sb = new StringBuilder("Digest username=").append(AuthParams.quote(username))
                .append(", realm=").append(AuthParams.quote(realm))
                .append(", nonce=").append(AuthParams.quote(nonce))
                .append(", uri=").append(AuthParams.quote(uri))
                .append(", response=").append(AuthParams.quote(response))
                .append(", algorithm=").append(algorithm.token());
        if (cnonce != null) {
            sb.append(", cnonce=").append(AuthParams.quote(cnonce));
        }
        if (opaque != null) {
            sb.append(", opaque=").append(AuthParams.quote(opaque));
        }
        if (qop != null) {
            sb.append(", qop=").append(qop);
        }
        if (nonceCount != null) {
            sb.append(", nc=").append(nonceCount);
        }
        return sb.toString();
    }
}
