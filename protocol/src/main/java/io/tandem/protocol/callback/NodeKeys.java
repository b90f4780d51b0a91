package io.tandem.protocol.callback;

/**
 * Keys the nodes own and the callback service only reads (or, for live events, appends to the way the nodes do).
 * They are written by the node's {@code redis.Keys}/{@code KeyShape}; spelled out here so the service, which must not
 * depend on {@code backend}, reads the same shapes. Tenant keys carry the tenant in braces (a Redis Cluster hash tag).
 */
public final class NodeKeys {

    private static final String PREFIX = "tandem:";

    private NodeKeys() {
    }

    /** Set: the tenant names the nodes serve. */
    public static String tenants() {
        return PREFIX + "tenants";
    }

    /** Set: the ids of the cluster's nodes (a node is alive while its {@link #node} key lives). */
    public static String nodes() {
        return PREFIX + "nodes";
    }

    /** Hash with TTL: one node's heartbeat; the node is alive while the key lives. */
    public static String node(String nodeId) {
        return PREFIX + "node:" + nodeId;
    }

    /** Hash: one user ({@code displayName}, {@code roles} as comma-separated wire names, {@code ha1md5}, {@code ha1sha256}). */
    public static String user(String tenant, String extension) {
        return tenant(tenant) + "user:" + extension;
    }

    /** Hash: an agent's ACD record; field {@code state} holds an {@link io.tandem.protocol.AgentState} wire name. */
    public static String agent(String tenant, String agentId) {
        return tenant(tenant) + "agent:" + agentId;
    }

    /** Sorted set: a queue's members (extensions), scored by position. */
    public static String queueMembers(String tenant, String queue) {
        return tenant(tenant) + "q:" + queue + ":members";
    }

    /** Hash: a queue's members' tier and penalty, extension → {@code <tier>|<penalty>} (tier 1-9, penalty 0-100). */
    public static String queueTiers(String tenant, String queue) {
        return tenant(tenant) + "q:" + queue + ":tiers";
    }

    /** Stream: every state change of a tenant (fields {@code kind queue agentId callId node at}, then the rest). */
    public static String events(String tenant) {
        return tenant(tenant) + "events";
    }

    /** Pub/sub channel: each {@link #events} entry as JSON with its stream id, fanned out to {@code /ws/supervisor}. */
    public static String liveEvents(String tenant) {
        return tenant(tenant) + "live";
    }

    private static String tenant(String tenant) {
        return PREFIX + "{" + tenant + "}:";
    }
}
