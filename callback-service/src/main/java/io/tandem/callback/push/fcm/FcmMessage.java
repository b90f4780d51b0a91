package io.tandem.callback.push.fcm;

import io.tandem.callback.push.PushMessage;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The body of an FCM HTTP v1 send (Firebase reference, {@code projects.messages}): a data-only message — the app
 * rings itself, so no {@code notification} block — with the Android options a ringing call needs.
 */
final class FcmMessage {

    private FcmMessage() {
    }

    /**
     * {@code {"message": {"token", "data", "android": {"priority": "HIGH", "ttl", "collapse_key"}}}}. HIGH priority
     * wakes a dozing device (Android "FCM message priority"); the ttl drops a ring that could not be delivered in time;
     * the collapse key lets the cancel replace the ring while the device is offline.
     */
    static Map<String, Object> of(PushMessage push, Duration ttl) {
        Map<String, Object> android = new LinkedHashMap<>();
        android.put("priority", "HIGH");
        android.put("ttl", protobufDuration(ttl));
        android.put("collapse_key", push.collapseId());
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("token", push.device().prid());
        message.put("data", push.fields());
        message.put("android", android);
        return Map.of("message", message);
    }

    /** JSON form of a {@code google.protobuf.Duration}: seconds with up to nine fraction digits and an "s". */
    static String protobufDuration(Duration duration) {
        BigDecimal seconds = BigDecimal.valueOf(duration.getSeconds())
                .add(BigDecimal.valueOf(duration.getNano(), 9));
        return seconds.stripTrailingZeros().toPlainString() + "s";
    }
}
