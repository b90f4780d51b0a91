package io.tandem.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Callback service → one agent's softphone: the wake for {@code room} is over (another agent joined, the caller left,
 * the room timed out); the softphone drops its notification. Travels as a live tenant event of the same kind.
 *
 * @param room the room of the earlier {@link CallbackWake}
 */
public record CallbackWakeEnded(@JsonProperty("room") String room) {

    /** The tenant event kind and {@link MessageType} of the end of a wake. */
    public static final String KIND = MessageType.CALLBACK_WAKE_ENDED;

    public CallbackWakeEnded {
        room = room == null ? "" : room;
    }

    /** The live event's fields. */
    public Map<String, String> fields() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("room", room);
        return f;
    }

    public static CallbackWakeEnded of(Map<String, String> f) {
        return new CallbackWakeEnded(f.get("room"));
    }
}
