package io.tandem.telephony.sip.auth;

/** The request-digest of RFC 2617 §3.2.2.1 (same formula in RFC 7616 §3.4.1), shared by client and verifier. */
final class DigestComputation {
    private DigestComputation() {
    }

    /** With {@code qop} null: the RFC 2069 form {@code H(HA1:nonce:HA2)}. */
    static String response(DigestAlgorithm alg, String ha1, String nonce, String nc, String cnonce, String qop,
                           String method, String uri) {
        String ha2 = alg.hash(method + ":" + uri);
        if (qop == null) {
            return alg.hash(ha1 + ":" + nonce + ":" + ha2);
        }
        return alg.hash(ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":" + qop + ":" + ha2);
    }
}
