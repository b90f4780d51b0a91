package io.tandem.callback.push;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One push to one device about one parked caller, or about one call ringing a sleeping callee
 * ({@link PushSubject#CALL}: {@code roomId} holds the call's push id, and there is no queue, wait or join token).
 *
 * @param kind          ring or cancel
 * @param device        the device's push binding
 * @param roomId        the room the caller is parked in; names the collapse id, so a cancel replaces the ring
 * @param callerNumber  who is waiting
 * @param callerName    its display name, or empty
 * @param queue         the queue the caller dialled
 * @param waitedSeconds how long the caller has waited so far
 * @param joinToken     the one-time token the device presents to join the room (empty on a cancel)
 * @param subject       a room or a call
 */
public record PushMessage(
        PushKind kind,
        PushDevice device,
        String roomId,
        String callerNumber,
        String callerName,
        String queue,
        long waitedSeconds,
        String joinToken,
        PushSubject subject) {

    /** APNs refuses an {@code apns-collapse-id} over 64 bytes (Apple, "Sending notification requests to APNs"). */
    static final int MAX_COLLAPSE_ID_BYTES = 64;

    /** A push about a parked caller's room. */
    public PushMessage(PushKind kind, PushDevice device, String roomId, String callerNumber, String callerName,
            String queue, long waitedSeconds, String joinToken) {
        this(kind, device, roomId, callerNumber, callerName, queue, waitedSeconds, joinToken, PushSubject.ROOM);
    }

    /** A push about a call ringing the device's user: the ring, or its cancel with the same collapse id. */
    public static PushMessage call(PushKind kind, PushDevice device, String callPushId, String callerNumber,
            String callerName) {
        return new PushMessage(kind, device, callPushId, callerNumber, callerName, "", 0, "", PushSubject.CALL);
    }

    public PushMessage {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(device, "device");
        if (roomId == null || roomId.isBlank()) {
            throw new IllegalArgumentException("roomId must not be blank");
        }
        if ((subject.collapsePrefix() + roomId).getBytes(StandardCharsets.UTF_8).length > MAX_COLLAPSE_ID_BYTES) {
            throw new IllegalArgumentException("roomId '" + roomId + "' is too long for a collapse id ("
                    + (MAX_COLLAPSE_ID_BYTES - subject.collapsePrefix().length()) + " bytes at most)");
        }
        if (waitedSeconds < 0) {
            throw new IllegalArgumentException("waitedSeconds must not be negative");
        }
        callerNumber = callerNumber == null ? "" : callerNumber;
        callerName = callerName == null ? "" : callerName;
        queue = queue == null ? "" : queue;
        joinToken = joinToken == null ? "" : joinToken;
        if (kind == PushKind.RING && subject == PushSubject.ROOM && joinToken.isEmpty()) {
            throw new IllegalArgumentException("a ring push needs a join token");
        }
    }

    /**
     * One id per room or call: APNs {@code apns-collapse-id}, FCM {@code collapse_key}; the cancel replaces the
     * ring.
     */
    public String collapseId() {
        return subject.collapsePrefix() + roomId;
    }

    /** The key this push is recorded under in the {@link PushLedger}: a call's is its collapse id (never a room's). */
    public PushKey key() {
        return new PushKey(kind, subject == PushSubject.ROOM ? roomId : collapseId(), device.network(),
                device.prid());
    }

    /**
     * The payload fields every provider carries, all strings (FCM data messages allow nothing else), in a stable
     * order. The app reads the same names whichever network delivered them.
     */
    public Map<String, String> fields() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("kind", kind.wireName());
        fields.put(subject.idField(), roomId);
        if (subject == PushSubject.CALL) {
            fields.put("callerNumber", callerNumber);
            fields.put("callerName", callerName);
            return fields;
        }
        fields.put("callerNumber", callerNumber);
        fields.put("callerName", callerName);
        fields.put("queue", queue);
        fields.put("waitedSeconds", Long.toString(waitedSeconds));
        if (!joinToken.isEmpty()) {
            fields.put("joinToken", joinToken);
        }
        return fields;
    }
}
