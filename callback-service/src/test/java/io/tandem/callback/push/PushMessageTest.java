package io.tandem.callback.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PushMessageTest {

    @Test
    void ringAndCancelOfARoomShareTheCollapseIdButNotTheLedgerKey() {
        PushMessage ring = PushSenderTest.ring("r-17", PushNetwork.APNS, "tok");
        PushMessage cancel = PushSenderTest.cancel("r-17", PushNetwork.APNS, "tok");

        assertThat(ring.collapseId()).isEqualTo(cancel.collapseId()).isEqualTo("room-r-17");
        assertThat(ring.key()).isNotEqualTo(cancel.key());
    }

    @Test
    void aCallsRingNeedsNoJoinTokenAndItsCancelSharesTheCollapseIdButNoRoomsLedgerKey() {
        PushDevice device = new PushDevice(PushNetwork.APNS, "tok", "ABCDE12345.com.example.app.voip");
        PushMessage ring = PushMessage.call(PushKind.RING, device, "r-17", "1001", "Ada");
        PushMessage cancel = PushMessage.call(PushKind.CANCEL, device, "r-17", "", "");

        assertThat(ring.collapseId()).isEqualTo(cancel.collapseId()).isEqualTo("call-r-17");
        assertThat(ring.fields()).containsExactly(entry("kind", "ring"), entry("callId", "r-17"),
                entry("callerNumber", "1001"), entry("callerName", "Ada"));
        assertThat(ring.key()).isNotEqualTo(cancel.key())
                .isNotEqualTo(PushSenderTest.ring("r-17", PushNetwork.APNS, "tok").key());
    }

    @Test
    void fieldsCarryTheCallerAndTheJoinTokenAsStrings() {
        PushMessage ring = PushSenderTest.ring("r-17", PushNetwork.FCM, "tok");

        assertThat(ring.fields()).containsExactly(
                entry("kind", "ring"), entry("roomId", "r-17"), entry("callerNumber", "+4930123"),
                entry("callerName", "Ada"), entry("queue", "7002"), entry("waitedSeconds", "12"),
                entry("joinToken", "join-r-17"));
        assertThat(PushSenderTest.cancel("r-17", PushNetwork.FCM, "tok").fields())
                .containsEntry("kind", "cancel").doesNotContainKey("joinToken");
    }

    @Test
    void aRingWithoutJoinTokenOrWithARoomIdTooLongForACollapseIdIsRefused() {
        PushDevice device = new PushDevice(PushNetwork.FCM, "tok", "");
        assertThatThrownBy(() -> new PushMessage(PushKind.RING, device, "r", "1", "", "q", 0, ""))
                .hasMessageContaining("join token");
        assertThatThrownBy(() -> new PushMessage(PushKind.CANCEL, device, "r".repeat(60), "1", "", "q", 0, ""))
                .hasMessageContaining("too long for a collapse id");
        assertThatThrownBy(() -> new PushDevice(PushNetwork.FCM, " ", ""))
                .hasMessageContaining("pn-prid");
    }

    @Test
    void pnProviderNamesAreMatchedWithoutCase() {
        assertThat(PushNetwork.ofPnProvider("APNS")).contains(PushNetwork.APNS);
        assertThat(PushNetwork.ofPnProvider("fcm")).contains(PushNetwork.FCM);
        assertThat(PushNetwork.ofPnProvider("webpush")).isEmpty();
    }

    private static Map.Entry<String, String> entry(String key, String value) {
        return Map.entry(key, value);
    }
}
