package io.tandem.callback.push.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code X-Tandem-Signature} header: {@code sha256=} and the lower-case hex HMAC-SHA256 (RFC 2104, FIPS 180-4) of
 * the exact request body, keyed with the target's secret — the shape GitHub's {@code X-Hub-Signature-256} made
 * familiar, so receivers can reuse their verification code.
 */
public final class WebhookSignature {

    /** The header carrying the signature. */
    public static final String HEADER = "X-Tandem-Signature";
    private static final String PREFIX = "sha256=";
    private static final String ALGORITHM = "HmacSHA256";

    private WebhookSignature() {
    }

    /** The header value for {@code body} signed with {@code secret}. */
    public static String of(byte[] body, String secret) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM));
            return PREFIX + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            // Every Java platform must provide HmacSHA256 (java.security.Security "Standard Names"); a non-empty key
            // is always valid for it.
            throw new IllegalStateException(ALGORITHM + " unavailable", e);
        }
    }
}
