package io.tandem.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Callback service → one agent's running softphone (through the node holding its WebSocket): a caller is parked in
 * a room and this agent, not ready or logged out, is asked to join. The softphone shows it and, on Join, dials
 * {@code joinUri} (user part {@code join*<joinToken>}, host the room's node). It travels from the service to the node
 * as a live tenant event of the same kind ({@link #fields()} / {@link #of(Map)} name its fields once).
 *
 * @param room          the room the caller is parked in
 * @param callerNumber  who waits
 * @param callerName    its display name, or empty; shown as plain text, never markup
 * @param queue         the queue the caller dialled
 * @param waitedSeconds how long the caller had waited when the wake was sent
 * @param joinToken     the one-time {@link io.tandem.protocol.callback.JoinToken} for this agent
 * @param joinUri       what to dial: {@code sip:join*<token>@<room's node host:port>}
 */
public record CallbackWake(
        @JsonProperty("room") String room,
        @JsonProperty("callerNumber") String callerNumber,
        @JsonProperty("callerName") String callerName,
        @JsonProperty("queue") String queue,
        @JsonProperty("waitedSeconds") long waitedSeconds,
        @JsonProperty("joinToken") String joinToken,
        @JsonProperty("joinUri") String joinUri) {

    /** The tenant event kind and {@link MessageType} of a wake. */
    public static final String KIND = MessageType.CALLBACK_WAKE;

    public CallbackWake {
        room = room == null ? "" : room;
        callerNumber = callerNumber == null ? "" : callerNumber;
        callerName = callerName == null ? "" : callerName;
        queue = queue == null ? "" : queue;
        joinToken = joinToken == null ? "" : joinToken;
        joinUri = joinUri == null ? "" : joinUri;
        waitedSeconds = Math.max(0, waitedSeconds);
    }

    /** The live event's fields (all strings, as the nodes' events carry them). */
    public Map<String, String> fields() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("room", room);
        f.put("callerNumber", callerNumber);
        f.put("callerName", callerName);
        f.put("queue", queue);
        f.put("waitedSeconds", Long.toString(waitedSeconds));
        f.put("joinToken", joinToken);
        f.put("joinUri", joinUri);
        return f;
    }

    /** A wake from a live event's fields; a missing or unreadable number counts as 0. */
    public static CallbackWake of(Map<String, String> f) {
        String waited = f.getOrDefault("waitedSeconds", "");
        return new CallbackWake(f.get("room"), f.get("callerNumber"), f.get("callerName"), f.get("queue"),
                waited.matches("[0-9]{1,18}") ? Long.parseLong(waited) : 0, f.get("joinToken"), f.get("joinUri"));
    }
}
