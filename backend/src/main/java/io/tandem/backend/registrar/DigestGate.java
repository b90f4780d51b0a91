package io.tandem.backend.registrar;

import io.lettuce.core.ScriptOutputType;
import io.tandem.backend.directory.Directory;
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
import java.util.function.Supplier;

/**
 * Digest authentication of REGISTER (RFC 3261 §22, RFC 7616, RFC 8760): challenges with one header per offered
 * algorithm, nonces any node can verify ({@link HmacNonces} over the cluster secret), and nonce-count replay refused
 * with a compare-and-set in Redis that lives as long as the nonce is valid.
 */
final class DigestGate {

    /** Stores a nonce-count only when above every one seen for the nonce (replay protection). */
    private static final LuaScript NONCE_COUNT = LuaScript.load("registrar/nonce_count", ScriptOutputType.INTEGER);

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
        ACCEPTED
    }

    private final HmacNonces nonces;
    private final Redis redis;
    private final List<DigestAlgorithm> algorithms;
    private final long nonceTtlMillis;
    private final DigestVerifier verifier = new DigestVerifier();
    private final Ha1Cache cache;

    DigestGate(HmacNonces nonces, Redis redis, List<DigestAlgorithm> algorithms, long nonceTtlMillis, Ha1Cache cache) {
        this.cache = cache;
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

    /** The verdict, and the directory entry of the user when the credentials were accepted. */
    record Checked(Verdict verdict, Optional<User> user) {

        static Checked of(Verdict verdict) {
            return new Checked(verdict, Optional.empty());
        }
    }

    /**
     * Credentials checked against a cached HA1 on a valid nonce: good unless Redis says otherwise, which the
     * binding's write script asks in the same atomic step as the write (see {@code register.lua}): the HA1 the user
     * has in the directory ({@code ha1Field} of the user's hash) is still {@code ha1}, and {@code nc} is above every
     * nonce-count seen for the nonce ({@code nonceKey}, kept {@code ttlMillis}) — the same two facts
     * {@link #check} reads before it accepts, asked after instead of before, so that a REGISTER costs one round trip.
     */
    record Proof(String nonceKey, long nc, long ttlMillis, String ha1Field, String ha1) {
    }

    /**
     * A {@link Proof} when {@code authorization} is good for {@code extension} by its cached HA1 on a nonce still
     * valid; empty in every other case (no or other credentials, no cached HA1, wrong against the cached HA1, a stale
     * nonce), for which {@link #check} gives the verdict from the directory.
     */
    Optional<Proof> provisional(String authorization, String method, String tenant, String source,
            String extension) {
        if (authorization == null) {
            return Optional.empty();
        }
        Optional<Ha1Cache.Entry> cached = cache.get(tenant, extension);
        if (cached.isEmpty()) {
            return Optional.empty();
        }
        DigestResponse credentials;
        try {
            credentials = DigestResponse.parse(authorization);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (!credentials.realm().equals(tenant) || !algorithms.contains(credentials.algorithm())
                || !credentials.username().equals(extension)
                || nonces.check(credentials.nonce(), nonceScope(tenant, source)) != NonceCheck.VALID) {
            return Optional.empty();
        }
        long nc;
        try {
            nc = credentials.nonceCount() == null ? 1 : Long.parseLong(credentials.nonceCount(), 16);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        boolean sha256 = credentials.algorithm() == DigestAlgorithm.SHA_256;
        String ha1 = sha256 ? cached.get().ha1Sha256() : cached.get().ha1Md5();
        if (!verifier.verify(credentials, method, ha1)) {
            return Optional.empty(); // perhaps a new password: the directory says
        }
        return Optional.of(new Proof(Keys.nonceCount(tenant, credentials.nonce()), nc, nonceTtlMillis,
                sha256 ? Directory.HA1_SHA256_FIELD : Directory.HA1_MD5_FIELD, ha1));
    }

    /** The cached HA1s of the user no longer match the directory's. */
    void forget(String tenant, String extension) {
        cache.forget(tenant, extension);
    }

    /**
     * Checks {@code authorization} (the header value, null when absent) of a {@code method} request from
     * {@code extension} of {@code tenant}; {@code lookup} sends the directory read of the user (its reply empty for an
     * unknown extension), made only once the credentials name the extension under a nonce we issued.
     */
    Checked check(String authorization, String method, String tenant, String source, String extension,
            Supplier<Supplier<Optional<User>>> lookup) {
        if (authorization == null) {
            return Checked.of(Verdict.CHALLENGE);
        }
        DigestResponse credentials;
        try {
            credentials = DigestResponse.parse(authorization);
        } catch (IllegalArgumentException e) {
            return Checked.of(Verdict.MALFORMED);
        }
        if (!credentials.realm().equals(tenant) || !algorithms.contains(credentials.algorithm())) {
            return Checked.of(Verdict.CHALLENGE);
        }
        NonceCheck nonce = nonces.check(credentials.nonce(), nonceScope(tenant, source));
        if (nonce == NonceCheck.INVALID) {
            return Checked.of(Verdict.CHALLENGE);
        }
        // RFC 3261 §10.3 step 3: the authenticated user must be the one whose address of record is registered.
        if (!credentials.username().equals(extension)) {
            return Checked.of(nonce == NonceCheck.STALE ? Verdict.CHALLENGE : Verdict.WRONG);
        }
        Supplier<Optional<User>> pendingUser = lookup.get();
        // RFC 2617 §3.2.2: nc counts the requests made with one nonce; a value not above the last one is a replay.
        // Without qop (RFC 2069 form) there is no nc: the nonce may then be used once. Sent with the user's read so
        // that both share one round trip; a wrong password thus also uses up its nc, which costs an honest client
        // nothing (its next request carries the next nc, or a fresh nonce after the 403).
        Supplier<Long> fresh = null;
        if (nonce == NonceCheck.VALID) {
            long nc;
            try {
                nc = credentials.nonceCount() == null ? 1 : Long.parseLong(credentials.nonceCount(), 16);
            } catch (NumberFormatException e) {
                return Checked.of(Verdict.MALFORMED);
            }
            fresh = redis.send(NONCE_COUNT, List.of(Keys.nonceCount(tenant, credentials.nonce())),
                    Long.toString(nc), Long.toString(nonceTtlMillis));
        }
        Optional<User> user = pendingUser.get();
        if (user.isEmpty()) {
            return Checked.of(nonce == NonceCheck.STALE ? Verdict.CHALLENGE : Verdict.WRONG);
        }
        String ha1 = credentials.algorithm() == DigestAlgorithm.SHA_256 ? user.get().ha1Sha256() : user.get().ha1Md5();
        if (!verifier.verify(credentials, method, ha1)) {
            // A wrong password on an expired nonce is not worth a stale=true: the client would retry it blindly.
            return Checked.of(nonce == NonceCheck.STALE ? Verdict.CHALLENGE : Verdict.WRONG);
        }
        cache.put(tenant, extension, user.get().ha1Md5(), user.get().ha1Sha256());
        if (fresh == null) {
            return Checked.of(Verdict.STALE);
        }
        return fresh.get() == 1L ? new Checked(Verdict.ACCEPTED, user) : Checked.of(Verdict.REPLAYED);
    }
}
