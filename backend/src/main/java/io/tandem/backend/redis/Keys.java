package io.tandem.backend.redis;

import java.util.regex.Pattern;

/**
 * Every Redis key Tandem uses, built in one place so key shapes never drift.
 *
 * <p>Tenant keys are {@code tandem:{<tenant>}:...}: the braces are a Redis Cluster hash tag, so all keys of a
 * tenant hash to one slot and a Lua script may touch several of them atomically. Cluster-wide keys
 * (membership, tenant list) carry no tag and must never be mixed with tenant keys in one script.
 */
public final class Keys {

    /** Tenant names: also digest realms and hash tags, so no braces, colons or spaces. */
    public static final Pattern TENANT = Pattern.compile("[a-z0-9][a-z0-9.-]{0,62}");
    /** Extensions and logins: letters, digits, '.', '_', '-'. */
    public static final Pattern EXTENSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    /** Node ids. */
    public static final Pattern NODE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    /** Digest nonces as HmacNonces issues them: base64url. */
    private static final Pattern NONCE = Pattern.compile("[A-Za-z0-9_-]{1,128}");
    /** Trunk signatures: hex HMAC-SHA256. */
    private static final Pattern TRUNK_SIGNATURE = Pattern.compile("[0-9a-f]{64}");
    /** IPv4 or IPv6 literals. */
    private static final Pattern ADDRESS = Pattern.compile("[0-9A-Fa-f.:%]{1,64}");

    private static final String PREFIX = "tandem:";

    private Keys() {
    }

    /** Set of live-or-recently-live node ids. */
    public static String nodes() {
        return PREFIX + "nodes";
    }

    /** Hash with TTL: one node's heartbeat. */
    public static String node(String nodeId) {
        return PREFIX + "node:" + checked(NODE, "node id", nodeId);
    }

    /** Set of tenant names. */
    public static String tenants() {
        return PREFIX + "tenants";
    }

    /** Hash: one user (display name, roles, HA1s, {@code skill.<name>} fields). */
    public static String user(String tenant, String extension) {
        return tenant(tenant) + "user:" + checked(EXTENSION, "extension", extension);
    }

    /** Set: the extensions of a tenant. */
    public static String users(String tenant) {
        return tenant(tenant) + "users";
    }

    /** Hash with TTL: the registration binding of an extension. */
    public static String registration(String tenant, String extension) {
        return tenant(tenant) + "reg:" + checked(EXTENSION, "extension", extension);
    }

    /** Sorted set: extensions with a registration, scored by the latest expiry (ms) of their contacts. */
    public static String registrations(String tenant) {
        return tenant(tenant) + "regs";
    }

    /** String with TTL: the highest digest nonce-count seen for a nonce (replay protection, RFC 2617 §3.2.2). */
    public static String nonceCount(String tenant, String nonce) {
        return tenant(tenant) + "nc:" + checked(NONCE, "nonce", nonce);
    }

    /**
     * String with TTL: wrong-password REGISTERs from a source address in the current window. Tagged by the address
     * so that it and {@link #blockedSource} share a slot and one script updates both.
     */
    public static String authFailures(String address) {
        return PREFIX + "{src:" + checked(ADDRESS, "address", address) + "}:authfail";
    }

    /** String with TTL: present while a source address is blocked. */
    public static String blockedSource(String address) {
        return PREFIX + "{src:" + checked(ADDRESS, "address", address) + "}:blocked";
    }

    /**
     * String with TTL: a trunk signature already used (an inter-node INVITE is accepted once; a replay within its
     * validity is refused).
     */
    public static String trunkSignature(String signature) {
        return PREFIX + "trunk:" + checked(TRUNK_SIGNATURE, "trunk signature", signature);
    }

    /** Hash: the versioned agent record (ACD). */
    public static String agent(String tenant, String agentId) {
        return tenant(tenant) + "agent:" + checked(EXTENSION, "agent id", agentId);
    }

    /** Sorted set: callers waiting in a queue. */
    public static String queueWait(String tenant, String queue) {
        return tenant(tenant) + "q:" + checked(EXTENSION, "queue", queue) + ":wait";
    }

    /** Hash: one call in progress. */
    public static String call(String tenant, String callId) {
        if (callId == null || callId.isEmpty() || callId.length() > 256) {
            throw new IllegalArgumentException("invalid call id");
        }
        return tenant(tenant) + "call:" + callId;
    }

    /** Stream: every state change of a tenant. */
    public static String events(String tenant) {
        return tenant(tenant) + "events";
    }

    /** Stream: call detail records. */
    public static String cdr(String tenant) {
        return tenant(tenant) + "cdr";
    }

    /** Stream: queue log. */
    public static String queueLog(String tenant) {
        return tenant(tenant) + "queuelog";
    }

    /** The hash-tagged prefix {@code tandem:{t}:}. */
    static String tenant(String tenant) {
        return PREFIX + "{" + checked(TENANT, "tenant", tenant) + "}:";
    }

    private static String checked(Pattern pattern, String what, String value) {
        if (value == null || !pattern.matcher(value).matches()) {
            throw new IllegalArgumentException("invalid " + what + ": '" + value + "'");
        }
        return value;
    }
}
