package io.tandem.backend.registrar;

import io.lettuce.core.ScriptOutputType;
import io.tandem.backend.directory.User;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.LuaScript;
import io.tandem.backend.redis.Redis;
import io.tandem.telephony.sip.auth.DigestAlgorithm;
import io.tandem.telephony.sip.auth.DigestChallenge;
import io.tandem.telephony.sip.auth.DigestResponse;
import io.tandem.telephony.sip.auth.DigestVerifier;
import io.tandem.telephony.sip.auth.HmacNonces;
import io.tandem.telephony.sip.auth.NonceCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Digest authentication of REGISTER (RFC 3261 §22, RFC 7616, RFC 8760): challenges with one header per offered
 * algorithm, nonces any node can verify ({@link HmacNonces} over the cluster secret), and nonce-count replay refused
 * with a compare-and-set in Redis that lives as long as the nonce is valid.
 */
final class DigestGate {

    /** KEYS: nc key. ARGV: nc, ttl ms. 1 when nc is above every nc seen for the nonce (then stored), else 0. */
    private static final LuaScript NONCE_COUNT = new LuaScript("""
            local last = tonumber(redis.call('GET', KEYS[1]) or '0')
            if tonumber(ARGV[1]) <= last then return 0 end
            redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
            return 1
            """, ScriptOutputType.INTEGER);

    /** What the credentials of a request amount to. */
    enum Verdict {
        /** None, for another realm, or a nonce we did not issue: challenge afresh. */
        CHALLENGE,
        /** Right password on an expired nonce: challenge with {@code stale=true} (RFC 7616 §3.3). */
        STALE,
        /** This nonce-count was used before: refuse, challenge afresh. */
        REPLAYED,
        /** Unknown user, wrong password or credentials of another user: 403. */
        WRONG,
        /** The credentials cannot be parsed: 400. */
        MALFORMED,
        /**
         * Right password on a fresh nonce; the nonce-count is still to be checked (see {@link #verify}: the
         * registrar checks it in the same script that writes the binding).
         */
        VERIFIED,
        ACCEPTED
    }

    /**
     * What {@link #verify} found: the verdict and, for {@link Verdict#VERIFIED}, the nonce, its count and the HA1 the
     * response was checked against (the registrar's script confirms that this HA1 is still the stored one).
     */
    record Verification(Verdict verdict, String nonce, long nonceCount, DigestAlgorithm algorithm, String ha1) {

        static Verification of(Verdict verdict) {
            return new Verification(verdict, null, 0, null, null);
        }
    }

    private final HmacNonces nonces;
    private final Redis redis;
    private final List<DigestAlgorithm> algorithms;
    private final long nonceTtlMillis;
    private final DigestVerifier verifier = new DigestVerifier();

    DigestGate(HmacNonces nonces, Redis redis, List<DigestAlgorithm> algorithms, long nonceTtlMillis) {
        this.nonces = nonces;
        this.redis = redis;
        this.algorithms = List.copyOf(algorithms);
        this.nonceTtlMillis = nonceTtlMillis;
    }

    /**
     * {@code WWW-Authenticate} values: one per algorithm in the configured order, sharing one fresh nonce; only MD5
     * for a client known to fail on the others ({@code md5Only}).
     */
    List<String> challenges(String realm, String source, boolean stale, boolean md5Only) {
        String nonce = nonces.issue(nonceScope(realm, source));
        List<String> values = new ArrayList<>();
        for (DigestAlgorithm algorithm : algorithms) {
            if (md5Only && algorithm != DigestAlgorithm.MD5 && algorithms.contains(DigestAlgorithm.MD5)) {
                continue;
            }
            values.add(new DigestChallenge(realm, nonce, null, algorithm, true, stale).toHeaderValue());
        }
        return values;
    }

    /**
     * A nonce is valid for one realm and one source address: only a host that received our 401 can answer it, so
     * wrong-password failures (and the flood block they lead to) cannot be forged over UDP with a spoofed source to
     * lock a victim out. Any node still verifies it (same secret, same source).
     */
    private static String nonceScope(String realm, String source) {
        return realm + "|" + source;
    }

    /**
     * Checks {@code authorization} (the header value, null when absent) of a {@code method} request from
     * {@code extension} of {@code tenant}; {@code user} is the directory entry, empty for an unknown extension.
     * The nonce-count is checked (and recorded) in Redis: one round trip for accepted credentials.
     */
    Verdict check(String authorization, String method, String tenant, String source, String extension,
            Optional<User> user) {
        Verification verification = verify(authorization, method, tenant, source, extension, user);
        if (verification.verdict() != Verdict.VERIFIED) {
            return verification.verdict();
        }
        Long fresh = redis.run(NONCE_COUNT, List.of(nonceCountKey(tenant, verification)),
                Long.toString(verification.nonceCount()), Long.toString(nonceTtlMillis));
        return fresh == 1L ? Verdict.ACCEPTED : Verdict.REPLAYED;
    }

    /**
     * Like {@link #check} without touching Redis: right credentials on a fresh nonce give {@link Verdict#VERIFIED},
     * and the caller must refuse a nonce-count not above the last one (RFC 2617 §3.2.2) itself, atomically with what
     * it does next — {@link #nonceCountKey} and {@link #nonceTtlMillis()} say where and for how long.
     */
    Verification verify(String authorization, String method, String tenant, String source, String extension,
            Optional<User> user) {
        if (authorization == null) {
            return Verification.of(Verdict.CHALLENGE);
        }
        DigestResponse credentials;
        try {
            credentials = DigestResponse.parse(authorization);
        } catch (IllegalArgumentException e) {
            return Verification.of(Verdict.MALFORMED);
        }
        if (!credentials.realm().equals(tenant) || !algorithms.contains(credentials.algorithm())) {
            return Verification.of(Verdict.CHALLENGE);
        }
        NonceCheck nonce = nonces.check(credentials.nonce(), nonceScope(tenant, source));
        if (nonce == NonceCheck.INVALID) {
            return Verification.of(Verdict.CHALLENGE);
        }
        // RFC 3261 §10.3 step 3: the authenticated user must be the one whose address of record is registered.
        if (!credentials.username().equals(extension) || user.isEmpty()) {
            return Verification.of(nonce == NonceCheck.STALE ? Verdict.CHALLENGE : Verdict.WRONG);
        }
        String ha1 = credentials.algorithm() == DigestAlgorithm.SHA_256 ? user.get().ha1Sha256() : user.get().ha1Md5();
        if (ha1 == null || !verifier.verify(credentials, method, ha1)) {
            // A wrong password on an expired nonce is not worth a stale=true: the client would retry it blindly.
            return Verification.of(nonce == NonceCheck.STALE ? Verdict.CHALLENGE : Verdict.WRONG);
        }
        if (nonce == NonceCheck.STALE) {
            return Verification.of(Verdict.STALE);
        }
        // Without qop (RFC 2069 form) there is no nc: the nonce may then be used once.
        long nc;
        try {
            nc = credentials.nonceCount() == null ? 1 : Long.parseUnsignedLong(credentials.nonceCount(), 16);
        } catch (NumberFormatException e) {
            return Verification.of(Verdict.MALFORMED);
        }
        return new Verification(Verdict.VERIFIED, credentials.nonce(), nc, credentials.algorithm(), ha1);
    }

    /** The Redis key holding the last nonce-count of a verified request's nonce. */
    static String nonceCountKey(String tenant, Verification verification) {
        return Keys.nonceCount(tenant, verification.nonce());
    }

    /** How long a nonce-count record lives: as long as its nonce is valid. */
    long nonceTtlMillis() {
        return nonceTtlMillis;
    }
}
