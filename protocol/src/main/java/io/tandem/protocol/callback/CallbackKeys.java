package io.tandem.protocol.callback;

/**
 * Redis keys shared by the nodes and the callback service. Tenant keys carry the tenant in braces (a Redis Cluster
 * hash tag) so one tenant's keys share a slot and its scripts stay atomic.
 */
public final class CallbackKeys {

    /** The consumer group of the callback services on {@link #roomEvents}, {@link #deviceEvents} and
     * {@link #callWakes}. */
    public static final String SERVICE_GROUP = "callback";
    /** The consumer group of a node on its own {@link #nodeCommands} stream. */
    public static final String NODE_GROUP = "node";

    private CallbackKeys() {
    }

    /** Stream, node → service: what happens to parked callers and their rooms ({@link RoomEvent}). */
    public static String roomEvents(String tenant) {
        return "tandem:{" + tenant + "}:rooms:events";
    }

    /**
     * Stream, node → service: a device carrying RFC 8599 push parameters registered ({@link DeviceEvent}); the
     * service uses it to call a woken device into the room it was woken for.
     */
    public static String deviceEvents(String tenant) {
        return "tandem:{" + tenant + "}:devices:events";
    }

    /**
     * Stream, node → service: a call to a user with push bindings rings, was answered or cancelled
     * ({@link CallWake}); the service pushes a ring to the callee's devices, then a cancel with the same collapse id.
     */
    public static String callWakes(String tenant) {
        return "tandem:{" + tenant + "}:calls:wakes";
    }

    /** Stream, service → one node: what the node is to do with the rooms it holds ({@link NodeCommand}). */
    public static String nodeCommands(String nodeId) {
        return "tandem:node:" + nodeId + ":commands";
    }

    /**
     * Hash: one room ({@code state} parked | connected | closed, {@code node}, {@code callId}, {@code queue},
     * {@code agent}, ...). Changed only by scripts: the first join wins by a compare-and-set on {@code state}.
     */
    public static String room(String tenant, String roomId) {
        return "tandem:{" + tenant + "}:room:" + roomId;
    }

    /** Set: the ids of the tenant's open rooms. */
    public static String rooms(String tenant) {
        return "tandem:{" + tenant + "}:rooms";
    }

    /** String with TTL: a join token that was used once (a second use finds it and is refused). */
    public static String usedJoinToken(String tenant, String tokenId) {
        return "tandem:{" + tenant + "}:jointoken:" + tokenId;
    }

    /**
     * Hash: a user's RFC 8599 push bindings, field = device key ({@code +sip.instance}, else {@code pn-prid}),
     * value = a {@link PushBinding} as JSON. Outlives the SIP binding (its own lifetime on each field's
     * {@code expiresAt}).
     */
    public static String pushBindings(String tenant, String user) {
        return "tandem:{" + tenant + "}:push:" + user;
    }

    /**
     * Stream, node → service: what happens to the callback tickets a node works ({@link TicketEvent}); read in the
     * services' group with the other three streams.
     */
    public static String ticketEvents(String tenant) {
        return "tandem:{" + tenant + "}:tickets:events";
    }

    /**
     * Hash: one callback ticket, written by the callback service only (the node that works it reads {@code queue},
     * {@code callerNumber}, {@code callerName}, {@code enqueuedAt}, {@code priority}, {@code assignee}). Fields:
     * {@code id state queue callerNumber callerName enqueuedAt priority room node callId reason createdAt updatedAt
     * assignee maxAttempts attempts} (JSON list of {@code at agent outcome detail}), and while it is worked
     * {@code holder} (the node whose wait set holds it), {@code agent} (offered / dialling / connected),
     * {@code retryAt} (retry-wait: epoch ms of the next offer).
     */
    public static String ticket(String tenant, String ticketId) {
        return "tandem:{" + tenant + "}:ticket:" + ticketId;
    }

    /** Sorted set: the tenant's tickets by creation time. */
    public static String tickets(String tenant) {
        return "tandem:{" + tenant + "}:tickets";
    }

    /** String with TTL: a command id a node has carried out (commands are delivered at least once). */
    public static String doneCommand(String nodeId, String commandId) {
        return "tandem:node:" + nodeId + ":done:" + commandId;
    }
}
