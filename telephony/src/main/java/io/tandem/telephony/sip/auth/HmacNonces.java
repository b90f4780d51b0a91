package io.tandem.telephony.sip.auth;

import io.tandem.telephony.sip.ThreadRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * Stateless Digest nonces (RFC 7616 §3.3 suggests "time-stamp H(time-stamp ":" ETag ":" secret-data)"): a nonce is
 * {@code base64url(issuedAtMillis | 8 random bytes | HMAC-SHA256(secret, realm, issuedAt, random)[0..16])}. Any node
 * holding the same cluster secret verifies it without shared state, so a REGISTER challenged by one node may be
 * answered to another. Replay within the validity (nc tracking) needs shared state and is the registrar's job.
 */
public final class HmacNonces {
    private static final String HMAC = "HmacSHA256";
    private static final int TIME_BYTES = 8;
    private static final int RANDOM_BYTES = 8;
    private static final int MAC_BYTES = 16;
    private static final int NONCE_BYTES = TIME_BYTES + RANDOM_BYTES + MAC_BYTES;
    private static final int NONCE_CHARS = (NONCE_BYTES * 4 + 2) / 3;
    /** Cluster nodes' clocks drift a little; a nonce "from the future" beyond this is not ours. */
    private static final long MAX_CLOCK_SKEW_MILLIS = 30_000;

    private final SecretKeySpec key;
    /** {@code Mac.getInstance} looks the provider up on every call; an initialised Mac per thread is reused. */
    private final ThreadLocal<Mac> macs;
    private final Clock clock;
    private final long validityMillis;

    public HmacNonces(byte[] secret, Clock clock, Duration validity) {
        Objects.requireNonNull(secret, "secret");
        if (secret.length < 16) {
            throw new IllegalArgumentException("the nonce secret needs at least 16 bytes, got " + secret.length);
        }
        this.key = new SecretKeySpec(secret.clone(), HMAC);
        this.macs = ThreadLocal.withInitial(this::newMac);
        this.clock = Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(validity, "validity");
        if (validity.isNegative() || validity.isZero()) {
            throw new IllegalArgumentException("nonce validity must be positive: " + validity);
        }
        this.validityMillis = validity.toMillis();
    }

    /** A fresh nonce for a challenge in {@code realm}; 43 characters of base64url, safe inside a quoted-string. */
    public String issue(String realm) {
        Objects.requireNonNull(realm, "realm");
        byte[] nonce = new byte[NONCE_BYTES];
        ByteBuffer.wrap(nonce).putLong(clock.millis());
        byte[] random = new byte[RANDOM_BYTES];
        ThreadRandom.nextBytes(random);
        System.arraycopy(random, 0, nonce, TIME_BYTES, RANDOM_BYTES);
        byte[] mac = mac(realm, nonce);
        System.arraycopy(mac, 0, nonce, TIME_BYTES + RANDOM_BYTES, MAC_BYTES);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(nonce);
    }

    public NonceCheck check(String nonce, String realm) {
        if (nonce == null || realm == null || nonce.length() != NONCE_CHARS) {
            return NonceCheck.INVALID;
        }
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(nonce);
        } catch (IllegalArgumentException e) {
            return NonceCheck.INVALID;
        }
        if (raw.length != NONCE_BYTES) {
            return NonceCheck.INVALID;
        }
        byte[] expected = mac(realm, raw);
        byte[] actual = Arrays.copyOfRange(raw, TIME_BYTES + RANDOM_BYTES, NONCE_BYTES);
        if (!MessageDigest.isEqual(expected, actual)) {
            return NonceCheck.INVALID;
        }
        long issued = ByteBuffer.wrap(raw).getLong();
        long now = clock.millis();
        if (issued > now + MAX_CLOCK_SKEW_MILLIS) {
            return NonceCheck.INVALID;
        }
        return now - issued > validityMillis ? NonceCheck.STALE : NonceCheck.VALID;
    }

    /** HMAC over realm (length-prefixed, so realm and nonce bytes cannot be shifted into each other) and time|random. */
    private byte[] mac(String realm, byte[] nonce) {
        Mac mac = macs.get(); // doFinal leaves it reset for the next use
        byte[] realmBytes = realm.getBytes(StandardCharsets.UTF_8);
        mac.update((byte) (realmBytes.length >>> 24));
        mac.update((byte) (realmBytes.length >>> 16));
        mac.update((byte) (realmBytes.length >>> 8));
        mac.update((byte) realmBytes.length);
        mac.update(realmBytes);
        mac.update(nonce, 0, TIME_BYTES + RANDOM_BYTES);
        return Arrays.copyOf(mac.doFinal(), MAC_BYTES);
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(HMAC + " is required of every JRE", e);
        }
    }
}
