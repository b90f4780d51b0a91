package io.tandem.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tandem.protocol.callback.CallWake;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CallWakeTest {

    @Test
    void roundTripsThroughStreamFields() {
        CallWake ring = new CallWake(CallWake.Kind.RING, "abc@10.0.0.1", "2001", "1001", "Alice", "node-1", 42);
        assertThat(CallWake.of(ring.fields())).isEqualTo(ring);
        assertThat(ring.fields()).containsEntry("kind", "ring");
    }

    @Test
    void aShortCallIdIsItsOwnPushIdALongOneIsHashedToFitTheCollapseId() {
        CallWake shortId = new CallWake(CallWake.Kind.RING, "abc@h", "2001", "1001", "", "n", 1);
        assertThat(shortId.pushId()).isEqualTo("abc@h");
        String longCallId = "x".repeat(200) + "@host";
        CallWake ring = new CallWake(CallWake.Kind.RING, longCallId, "2001", "1001", "", "n", 1);
        CallWake cancel = new CallWake(CallWake.Kind.CANCELLED, longCallId, "2001", "", "", "n", 2);
        assertThat(("call-" + ring.pushId()).getBytes(StandardCharsets.UTF_8)).hasSizeLessThanOrEqualTo(64);
        assertThat(ring.pushId()).isEqualTo(cancel.pushId()).doesNotContain("x");
    }

    @Test
    void anUnknownKindIsRefused() {
        assertThatThrownBy(() -> CallWake.Kind.of("ringing")).isInstanceOf(IllegalArgumentException.class);
    }
}
