package io.tandem.callback.push.fcm;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.callback.push.PushDevice;
import io.tandem.callback.push.PushKind;
import io.tandem.callback.push.PushMessage;
import io.tandem.callback.push.PushNetwork;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FcmMessageTest {

    @Test
    void aRingIsAHighPriorityDataMessageWithTtlAndCollapseKey() {
        PushMessage ring = new PushMessage(PushKind.RING, new PushDevice(PushNetwork.FCM, "dev-token", "my-project"),
                "r-9", "+331234", "Zoé", "7002", 41, "jt-9");

        Map<String, Object> body = FcmMessage.of(ring, Duration.ofSeconds(30));

        @SuppressWarnings("unchecked")
        Map<String, Object> message = (Map<String, Object>) body.get("message");
        assertThat(message).containsEntry("token", "dev-token").containsEntry("data", ring.fields());
        assertThat(message.get("android")).isEqualTo(Map.of(
                "priority", "HIGH", "ttl", "30s", "collapse_key", "room-r-9"));
    }

    @Test
    void ttlIsAProtobufDurationInSeconds() {
        assertThat(FcmMessage.protobufDuration(Duration.ofSeconds(30))).isEqualTo("30s");
        assertThat(FcmMessage.protobufDuration(Duration.ofMillis(1500))).isEqualTo("1.5s");
        assertThat(FcmMessage.protobufDuration(Duration.ofMinutes(2))).isEqualTo("120s");
    }

    @Test
    void theErrorCodeComesFromTheFcmErrorDetailElseTheStatus() {
        String unregistered = """
                {"error": {"code": 404, "message": "Requested entity was not found.", "status": "NOT_FOUND",
                  "details": [{"@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError",
                               "errorCode": "UNREGISTERED"}]}}""";
        assertThat(FcmPushProvider.errorCode(unregistered)).isEqualTo("UNREGISTERED");
        assertThat(FcmPushProvider.errorCode("{\"error\": {\"code\": 503, \"status\": \"UNAVAILABLE\"}}"))
                .isEqualTo("UNAVAILABLE");
        assertThat(FcmPushProvider.errorCode("<html>bad gateway</html>")).isEmpty();
    }
}
