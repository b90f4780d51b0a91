package io.tandem.callback.cluster;

/**
 * The keys the callback service owns (the contract with the nodes is in {@code protocol}'s {@code CallbackKeys} and
 * {@code NodeKeys}). Tenant keys carry the tenant in braces, the Redis Cluster hash tag the nodes use, so one tenant's
 * keys share a slot.
 */
public final class ServiceKeys {

    private static final String PREFIX = "tandem:";

    private ServiceKeys() {
    }

    /**
     * Hash: the parked rooms the services look after, room id → the PARKED event as JSON; a room is added only while
     * its node's room hash says {@code parked} (one script with that read, see the room orchestrator).
     */
    public static String parkedRooms(String tenant) {
        return tenant(tenant) + "cb:parked";
    }

    /**
     * Sorted set: the rooms of queues that wake by tiers whose next tier is still to be woken, score = when (epoch
     * ms); a room being woken is pushed out by a lease, so only one instance wakes a tier.
     */
    public static String wakeTiersDue(String tenant) {
        return tenant(tenant) + "cb:wake-due";
    }

    /** Hash: room id → the highest member tier woken so far for it (the rooms in {@link #wakeTiersDue}). */
    public static String wakeTierReached(String tenant) {
        return tenant(tenant) + "cb:wake-tier";
    }

    /** Hash: who was woken for a room, device key → {@code {"user": ..., "binding": {...}}}. */
    public static String woken(String tenant, String room) {
        return tenant(tenant) + "wake:" + room;
    }

    /** Set: the rooms a user was woken for (a device of theirs registering is called into them). */
    public static String wokenFor(String tenant, String user) {
        return tenant(tenant) + "wake-user:" + user;
    }

    /** String with TTL: a CALL_INTO_ROOM for this room and user was written (a repeat of the device event is quiet). */
    public static String calledIn(String tenant, String room, String user) {
        return tenant(tenant) + "wake:" + room + ":called:" + user;
    }

    /**
     * Hash: the devices rung for a call to a sleeping callee ({@code CallWake}), device key →
     * {@code {"user": ..., "binding": {...}}}; its answer or cancel goes to exactly these.
     */
    public static String callWoken(String tenant, String callPushId) {
        return tenant(tenant) + "callwake:" + callPushId;
    }

    /** String with TTL: the call was answered or cancelled (a RING read late wakes nobody). */
    public static String callWakeOver(String tenant, String callPushId) {
        return tenant(tenant) + "callwake:" + callPushId + ":over";
    }

    /**
     * Sorted set: tickets to be put in a node's wait set, score = when (epoch ms): a new open ticket now, a
     * retry-wait ticket at its {@code retryAt}.
     */
    public static String ticketsDue(String tenant) {
        return tenant(tenant) + "tickets:due";
    }

    /** Hash: ticket id → the node working it (its wait set entry, or its call); checked for the node's heartbeat. */
    public static String ticketsHeld(String tenant) {
        return tenant(tenant) + "tickets:held";
    }

    /** Stream: every push sent about the tenant's rooms and its outcome. */
    public static String pushRecords(String tenant) {
        return tenant(tenant) + "pushes";
    }

    /**
     * String with TTL: one push's claim and outcome (the Redis push ledger). Room ids are unique in the cluster, so
     * the key needs no tenant.
     */
    public static String pushLedgerPrefix() {
        return PREFIX + "push-ledger:";
    }

    private static String tenant(String tenant) {
        return PREFIX + "{" + tenant + "}:";
    }
}
