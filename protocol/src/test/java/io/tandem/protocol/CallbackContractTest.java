package io.tandem.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tandem.protocol.callback.CallWake;
import io.tandem.protocol.callback.DeviceEvent;
import io.tandem.protocol.callback.NodeCommand;
import io.tandem.protocol.callback.RoomEvent;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CallbackContractTest {

    @Test
    void aRoomEventReadsBackAsWritten() {
        RoomEvent parked = new RoomEvent(RoomEvent.Kind.PARKED, "r1", "a", "c1", "7002", "2001", "<b>Ann</b>",
                1_000, 3, null, "no-agent", 2_000);
        assertThat(RoomEvent.of(parked.fields())).isEqualTo(parked);
        assertThat(parked.fields()).containsEntry("kind", "parked").containsEntry("agent", "");
    }

    @Test
    void aNodeCommandReadsBackAsWritten() {
        NodeCommand call = new NodeCommand("k1", NodeCommand.Kind.CALL_INTO_ROOM, "demo", "r1", "1011", null, 5);
        assertThat(NodeCommand.of(call.fields())).isEqualTo(call);
        assertThat(call.fields()).containsEntry("kind", "call-into-room");
    }

    @Test
    void aDeviceEventReadsBackAsWritten() {
        DeviceEvent event = new DeviceEvent("1011", "urn:uuid:1", "apns", "a", 7);
        assertThat(DeviceEvent.of(event.fields())).isEqualTo(event);
    }

    @Test
    void anUnknownKindIsRefusedByName() {
        assertThatThrownBy(() -> NodeCommand.of(Map.of("kind", "dance")))
                .hasMessageContaining("dance");
        assertThatThrownBy(() -> RoomEvent.of(Map.of("kind", "")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void kindsAreSpelledOnTheStreamsAsTheyAlwaysWere() {
        assertThat(NodeCommand.Kind.CALL_INTO_ROOM.wire()).isEqualTo("call-into-room");
        assertThat(NodeCommand.Kind.of("close-room")).isEqualTo(NodeCommand.Kind.CLOSE_ROOM);
        assertThat(RoomEvent.Kind.ABANDONED.wire()).isEqualTo("abandoned");
        assertThat(CallWake.Kind.of("cancelled"))
                .isEqualTo(CallWake.Kind.CANCELLED);
        assertThatThrownBy(() -> RoomEvent.Kind.of("PARKED")).hasMessage("unknown room event kind 'PARKED'");
    }

    @Test
    void missingNumbersReadAsZero() {
        assertThat(RoomEvent.of(Map.of("kind", "abandoned", "at", "x")).at()).isZero();
    }
}
