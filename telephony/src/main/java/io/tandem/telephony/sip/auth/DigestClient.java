package io.tandem.telephony.sip.auth;

import io.tandem.telephony.sip.ThreadRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Answers Digest challenges for a UAC (RFC 3261 §22.2, RFC 2617 §3.2.2, RFC 7616 §3.4). Keeps a nonce-count per
 * nonce so that reusing a nonce for the next request sends {@code nc=00000002} and so on (RFC 2617 §3.2.2), with a
 * fresh cnonce each time. Thread-safe.
 */
public final class DigestClient {
    /** A UA talks to a handful of registrars/proxies; old nonces beyond this are forgotten (nc restarts at 1). */
    private static final int MAX_NONCES = 64;

    private final Supplier<String> cnonces;
    // guarded by itself; access-ordered so the least recently used nonce is evicted
    private final Map<String, Integer> nonceCounts = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
            return size() > MAX_NONCES;
        }
    };

    public DigestClient() {
        this(DigestClient::randomCnonce);
    }

    /** For tests that reproduce the RFC examples with their fixed cnonce. */
    DigestClient(Supplier<String> cnonces) {
        this.cnonces = Objects.requireNonNull(cnonces, "cnonces");
    }

    /** The {@code Authorization} (or {@code Proxy-Authorization}) header value for one request. */
    public String authorization(DigestChallenge c, String method, String uri, String username, String password) {
        return respond(c, method, uri, username, password).toHeaderValue();
    }

    /** The same as {@link #authorization}, as a structured value. */
    public DigestResponse respond(DigestChallenge c, String method, String uri, String username, String password) {
        Objects.requireNonNull(c, "challenge");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        DigestAlgorithm alg = c.algorithm();
        String ha1 = alg.ha1(username, c.realm(), password);
        if (!c.qopAuth()) {
            String response = DigestComputation.response(alg, ha1, c.nonce(), null, null, null, method, uri);
            return new DigestResponse(username, c.realm(), c.nonce(), uri, response, alg, null, c.opaque(), null,
                    null);
        }
        String nc = String.format("%08x", nextCount(c.nonce()));
        String cnonce = cnonces.get();
        String response = DigestComputation.response(alg, ha1, c.nonce(), nc, cnonce, "auth", method, uri);
        return new DigestResponse(username, c.realm(), c.nonce(), uri, response, alg, cnonce, c.opaque(), "auth", nc);
    }

    private int nextCount(String nonce) {
        synchronized (nonceCounts) {
            return nonceCounts.merge(nonce, 1, Integer::sum);
        }
    }

    private static String randomCnonce() {
        byte[] b = new byte[16];
        ThreadRandom.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
