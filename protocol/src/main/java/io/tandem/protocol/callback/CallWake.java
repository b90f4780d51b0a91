package io.tandem.protocol.callback;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One entry of {@link CallbackKeys#callWakes}: a call to a user with RFC 8599 push bindings, written by the node
 * that rings it. RING asks the service to wake the callee's devices; ANSWERED and CANCELLED to stop them ringing.
 *
 * @param kind         what happened to the call
 * @param callId       the caller's Call-ID at the node (the call the device joins by registering)
 * @param callee       the user being called (extension or app user)
 * @param callerNumber who calls
 * @param callerName   its display name, or empty
 * @param node         the node ringing the call
 * @param at           when, epoch ms
 */
public record CallWake(Kind kind, String callId, String callee, String callerNumber, String callerName, String node,
        long at) {

    /** APNs refuses an {@code apns-collapse-id} over 64 bytes; {@code call-} and the id must fit. */
    private static final int MAX_PUSH_ID_BYTES = 64 - "call-".length();

    public enum Kind {
        /** The call rings now: push a ring to every device of the callee. */
        RING,
        /** A branch answered: cancel the ring on the devices that got it. */
        ANSWERED,
        /** The caller gave up (or the wake wait ran out): cancel the ring. */
        CANCELLED;

        public String wire() {
            return WireNames.of(this);
        }

        public static Kind of(String wire) {
            return WireNames.parse(Kind.class, wire, "call wake kind");
        }
    }

    public CallWake {
        if (kind == null) {
            throw new IllegalArgumentException("a call wake needs a kind");
        }
        if (callId == null || callId.isEmpty() || callee == null || callee.isEmpty()) {
            throw new IllegalArgumentException("a call wake needs a call id and a callee");
        }
        callerNumber = callerNumber == null ? "" : callerNumber;
        callerName = callerName == null ? "" : callerName;
        node = node == null ? "" : node;
    }

    /**
     * The call's id in pushes (the collapse id is {@code call-} and this): the Call-ID itself when it fits APNs' 64
     * bytes, else the first 59 hex digits of its SHA-256, so the ring and its cancel always share one collapse id.
     */
    public String pushId() {
        if (callId.getBytes(StandardCharsets.UTF_8).length <= MAX_PUSH_ID_BYTES) {
            return callId;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(callId.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, MAX_PUSH_ID_BYTES);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    public Map<String, String> fields() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("kind", kind.wire());
        f.put("callId", callId);
        f.put("callee", callee);
        f.put("callerNumber", callerNumber);
        f.put("callerName", callerName);
        f.put("node", node);
        f.put("at", Long.toString(at));
        return f;
    }

    public static CallWake of(Map<String, String> f) {
        return new CallWake(Kind.of(StreamFields.text(f, "kind")), StreamFields.text(f, "callId"),
                StreamFields.text(f, "callee"), StreamFields.text(f, "callerNumber"),
                StreamFields.text(f, "callerName"), StreamFields.text(f, "node"), StreamFields.number(f, "at"));
    }
}
