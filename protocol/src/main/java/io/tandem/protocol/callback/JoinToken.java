package io.tandem.protocol.callback;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A one-time token that lets one user join one room until it expires: minted by the callback service (it goes in
 * the push), checked by the node holding the room when the woken device dials in. HMAC-SHA256 over the claims with
 * the cluster secret both sides are configured with; single use is enforced by the node recording {@link #id()}
 * ({@link CallbackKeys#usedJoinToken}) until the token's expiry.
 *
 * <p>Wire form: {@code base64url(tenant|room|user|expiresAt|id).base64url(hmac)} — only characters allowed in a SIP
 * URI's user part (RFC 3261 §25.1 unreserved), so a phone can dial it.
 *
 * @param tenant    the room's tenant
 * @param room      the room it opens
 * @param user      the only user it admits (the woken agent or app user)
 * @param expiresAt epoch ms; the room's deadline
 * @param id        random, unique per token: the single-use key
 */
public record JoinToken(String tenant, String room, String user, long expiresAt, String id) {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    /** Why a presented token admits nobody. */
    public enum Refusal {
        MALFORMED, FORGED, EXPIRED
    }

    public JoinToken {
        for (String part : new String[] {tenant, room, user, id}) {
            if (part == null || part.isEmpty() || part.indexOf('|') >= 0) {
                throw new IllegalArgumentException("a join token's parts are non-empty and have no '|'");
            }
        }
    }

    /** A new token with a random id. */
    public static JoinToken create(String tenant, String room, String user, long expiresAt) {
        byte[] id = new byte[12];
        RANDOM.nextBytes(id);
        return new JoinToken(tenant, room, user, expiresAt, B64.encodeToString(id));
    }

    /** The wire form, signed with {@code secret}. */
    public String sign(byte[] secret) {
        byte[] claims = claims().getBytes(StandardCharsets.UTF_8);
        return B64.encodeToString(claims) + "." + B64.encodeToString(mac(secret, claims));
    }

    /**
     * The token {@code wire} carries if its signature is {@code secret}'s and it has not expired at {@code now};
     * otherwise the refusal, in {@code refusal[0]} when given.
     */
    public static Optional<JoinToken> verify(String wire, byte[] secret, long now, Refusal[] refusal) {
        Refusal why;
        int dot = wire == null ? -1 : wire.indexOf('.');
        if (dot <= 0) {
            why = Refusal.MALFORMED;
        } else {
            try {
                byte[] claims = B64D.decode(wire.substring(0, dot));
                byte[] signature = B64D.decode(wire.substring(dot + 1));
                if (!MessageDigest.isEqual(signature, mac(secret, claims))) {
                    why = Refusal.FORGED;
                } else {
                    String[] p = new String(claims, StandardCharsets.UTF_8).split("\\|", -1);
                    JoinToken token = new JoinToken(p[0], p[1], p[2], Long.parseLong(p[3]), p[4]);
                    if (token.expiresAt() <= now) {
                        why = Refusal.EXPIRED;
                    } else {
                        return Optional.of(token);
                    }
                }
            } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
                why = Refusal.MALFORMED;
            }
        }
        if (refusal != null && refusal.length > 0) {
            refusal[0] = why;
        }
        return Optional.empty();
    }

    private String claims() {
        return tenant + "|" + room + "|" + user + "|" + expiresAt + "|" + id;
    }

    private static byte[] mac(byte[] secret, byte[] claims) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(claims);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }
}
