package io.tandem.backend.node.sip;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.sip.header.CallIdHeader;
import javax.sip.header.Header;
import javax.sip.header.HeaderFactory;
import javax.sip.message.Request;

/**
 * Authentication of the inter-node trunk: an INVITE one node sends to another carries the origin node, the target
 * {@code extension@tenant}, a timestamp and an HMAC-SHA256 under the cluster secret over
 * {@code call-id|target|timestamp}. The receiving node trusts it instead of a digest, only within a short validity
 * (so a captured INVITE is soon useless) and compares in constant time. Nodes' clocks must agree within the validity.
 */
public final class TrunkSignature {

    /** Id of the node that sent the INVITE. */
    public static final String ORIGIN = "X-Tandem-Origin";
    /** {@code extension@tenant} the INVITE is for. */
    public static final String TARGET = "X-Tandem-Target";
    /** Epoch milliseconds when the origin signed. */
    public static final String TIMESTAMP = "X-Tandem-Timestamp";
    /** Lower-case hex HMAC-SHA256 over {@code call-id|target|timestamp}. */
    public static final String SIGNATURE = "X-Tandem-Signature";
    /** In responses across the trunk: the id of the node that answers (so the entry node's CDR names it). */
    public static final String NODE = "X-Tandem-Node";

    /** What a request's trunk headers amount to. */
    public enum Verdict {
        /** No trunk header at all: a phone's request, authenticated by digest. */
        ABSENT,
        /** Signed by a node of this cluster, within the validity. */
        VALID,
        /** Trunk headers with a missing, wrong or expired signature: refuse (403). */
        INVALID
    }

    /** A verified trunk request: who sent it and for whom. */
    public record Signed(Verdict verdict, String origin, String extension, String tenant, String signature) {
    }

    private static final String HMAC = "HmacSHA256";

    private final SecretKeySpec key;
    private final Clock clock;
    private final long validityMillis;

    public TrunkSignature(String clusterSecret, Clock clock, Duration validity) {
        this.key = new SecretKeySpec(clusterSecret.getBytes(StandardCharsets.UTF_8), HMAC);
        this.clock = clock;
        this.validityMillis = validity.toMillis();
    }

    /** Adds the trunk headers to an INVITE of this node ({@code origin}) for {@code extension@tenant}. */
    public void sign(Request request, HeaderFactory headers, String origin, String extension, String tenant) {
        String target = extension + "@" + tenant;
        String timestamp = Long.toString(clock.millis());
        try {
            request.setHeader(headers.createHeader(ORIGIN, origin));
            request.setHeader(headers.createHeader(TARGET, target));
            request.setHeader(headers.createHeader(TIMESTAMP, timestamp));
            request.setHeader(headers.createHeader(SIGNATURE, mac(callId(request), target, timestamp)));
        } catch (ParseException e) {
            throw new IllegalArgumentException("cannot add trunk headers for " + target, e);
        }
    }

    /** Checks the trunk headers of a received request. */
    public Signed verify(Request request) {
        String origin = value(request, ORIGIN);
        String target = value(request, TARGET);
        String timestamp = value(request, TIMESTAMP);
        String signature = value(request, SIGNATURE);
        if (origin == null && target == null && timestamp == null && signature == null) {
            return new Signed(Verdict.ABSENT, null, null, null, null);
        }
        Signed invalid = new Signed(Verdict.INVALID, origin, null, null, null);
        if (origin == null || target == null || timestamp == null || signature == null) {
            return invalid;
        }
        int at = target.lastIndexOf('@');
        long signedAt;
        try {
            signedAt = Long.parseLong(timestamp);
        } catch (NumberFormatException e) {
            return invalid;
        }
        if (at <= 0 || at == target.length() - 1 || Math.abs(clock.millis() - signedAt) > validityMillis) {
            return invalid;
        }
        byte[] expected = mac(callId(request), target, timestamp).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII))) {
            return invalid;
        }
        return new Signed(Verdict.VALID, origin, target.substring(0, at), target.substring(at + 1), signature);
    }

    /** How long a signature stays acceptable, hence how long its use must be remembered to refuse a replay. */
    public long validityMillis() {
        return validityMillis;
    }

    private String mac(String callId, String target, String timestamp) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            byte[] digest = mac.doFinal((callId + "|" + target + "|" + timestamp).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }

    private static String callId(Request request) {
        CallIdHeader id = (CallIdHeader) request.getHeader(CallIdHeader.NAME);
        return id == null ? "" : id.getCallId();
    }

    /** The value of an extension header, trimmed; null when absent. */
    public static String value(javax.sip.message.Message message, String name) {
        Header header = message.getHeader(name);
        if (header == null) {
            return null;
        }
        String encoded = header.toString();
        int colon = encoded.indexOf(':');
        return encoded.substring(colon + 1).trim();
    }
}
