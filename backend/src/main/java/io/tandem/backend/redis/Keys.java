package io.tandem.backend.redis;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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

    /** Offer ids, token hashes: base64url or hex. */
    private static final Pattern OPAQUE = Pattern.compile("[A-Za-z0-9_-]{1,128}");
    /** Node command ids (the callback service's {@code <room>:<user>}). */
    private static final Pattern COMMAND_ID = Pattern.compile("[A-Za-z0-9_.:@-]{1,256}");
    /** UTC days, {@code 2026-11-29}. */
    private static final Pattern DAY = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");

    private static final String PREFIX = "tandem:";
    /**
     * Prefixes of tenant names already checked: every key of every Redis call starts with one, and matching the
     * name's pattern each time was 2 % of a queue node's allocation (JFR). Only valid names get in, and only so
     * many, so names made up by a client cannot grow it without end.
     */
    private static final Map<String, String> TENANT_PREFIXES = new ConcurrentHashMap<>();
    private static final int MAX_CACHED_TENANTS = 4_096;

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
        return KeyShape.USER.key(tenant, checked(EXTENSION, "extension", extension));
    }

    /** Set: the extensions of a tenant. */
    public static String users(String tenant) {
        return KeyShape.USERS.key(tenant);
    }

    /** Hash with TTL: the registration binding of an extension. */
    public static String registration(String tenant, String extension) {
        return KeyShape.REGISTRATION.key(tenant, checked(EXTENSION, "extension", extension));
    }

    /**
     * Field prefix of a contact in a {@link #registration} hash: {@code c:<contact-uri>} holds the contact's binding
     * record (JSON, written by the registrar; the ACD's claim returns them as it finds them).
     */
    public static final String CONTACT_FIELD = "c:";
    /** Field prefix of a call in progress in a {@link #registration} hash: {@code call:<call-id>} (the B2BUA's). */
    public static final String CALL_FIELD = "call:";
    /** Field prefix in an {@link #agent} hash of the agent's count of direct calls on a node: {@code direct:<node>}. */
    public static final String DIRECT_CALLS_FIELD = "direct:";

    /** Sorted set: extensions with a registration, scored by the latest expiry (ms) of their contacts. */
    public static String registrations(String tenant) {
        return KeyShape.REGISTRATIONS.key(tenant);
    }

    /** String with TTL: the highest digest nonce-count seen for a nonce (replay protection, RFC 2617 §3.2.2). */
    public static String nonceCount(String tenant, String nonce) {
        return KeyShape.NONCE_COUNT.key(tenant, checked(NONCE, "nonce", nonce));
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

    /**
     * Pub/sub channel: queue offers claimed by any node for callers whose media this node holds (the claiming node
     * publishes the grant, the caller's node rings the agents).
     */
    public static String nodeOffers(String nodeId) {
        return PREFIX + "node:" + checked(NODE, "node id", nodeId) + ":offers";
    }

    /**
     * Hash, cluster-wide: the nodes' votes on each other's reachability, {@code vote:<subject>:<voter>} →
     * {@code reachable|unreachable <ms>} (Redis time), and the nodes voted out of dialling, {@code out:<node>} →
     * since (ms). One key, so the vote and the decision are one script on one slot.
     */
    public static String nodeVotes() {
        return PREFIX + "node-votes";
    }

    /** Pub/sub channel: supervisor monitor commands (start, mode, stop) for calls whose media this node holds. */
    public static String nodeMonitors(String nodeId) {
        return PREFIX + "node:" + checked(NODE, "node id", nodeId) + ":monitors";
    }

    /** Hash: call id → JSON of each queue call connected to an agent (the live-calls list). */
    public static String liveCalls(String tenant) {
        return KeyShape.LIVE_CALLS.key(tenant);
    }

    /** Hash: call id → JSON of the supervisor monitor on that call (HSETNX keeps it to one per call). */
    public static String callMonitors(String tenant) {
        return KeyShape.CALL_MONITORS.key(tenant);
    }

    /** Hash: the versioned agent record (ACD). */
    public static String agent(String tenant, String agentId) {
        return KeyShape.AGENT.key(tenant, checked(EXTENSION, "agent id", agentId));
    }

    /** Hash: one agent's figures of one UTC day (ms per state, calls answered, offers missed). */
    public static String agentStats(String tenant, String agentId, String day) {
        return KeyShape.AGENT_STATS.key(tenant, checked(EXTENSION, "agent id", agentId), checked(DAY, "day", day));
    }

    /** Set: the agents with an {@link #agentStats} hash of one UTC day. */
    public static String agentsWithStats(String tenant, String day) {
        return KeyShape.AGENTS_WITH_STATS.key(tenant, checked(DAY, "day", day));
    }

    /** Sorted set: callers waiting in a queue. */
    public static String queueWait(String tenant, String queue) {
        return KeyShape.QUEUE_WAIT.key(tenant, checked(EXTENSION, "queue", queue));
    }

    /** Hash: one call in progress. */
    public static String call(String tenant, String callId) {
        if (callId == null || callId.isEmpty() || callId.length() > 256) {
            throw new IllegalArgumentException("invalid call id");
        }
        return KeyShape.CALL.key(tenant, callId);
    }

    /** Stream: every state change of a tenant. */
    public static String events(String tenant) {
        return KeyShape.EVENTS.key(tenant);
    }

    /** Stream: call detail records. */
    public static String cdr(String tenant) {
        return KeyShape.CDR.key(tenant);
    }

    /** Stream: callback requests of a tenant (queue overflow to a callback), consumed by the callback service. */
    public static String callbacks(String tenant) {
        return KeyShape.CALLBACKS.key(tenant);
    }

    /** Stream: queue log. */
    public static String queueLog(String tenant) {
        return KeyShape.QUEUE_LOG.key(tenant);
    }

    /**
     * Hash: one callback ticket, written by the callback service (the callback contract's
     * {@code CallbackKeys.ticket}; a ticket's id is its room's); the node working it reads the caller's place from it,
     * the panel reads it and assigns or cancels through the service's own compare-and-set.
     */
    public static String ticket(String tenant, String ticketId) {
        return KeyShape.TICKET.key(tenant, checked(OPAQUE, "ticket id", ticketId));
    }

    /** Sorted set: the tenant's callback tickets by creation time (the callback contract's {@code tickets}). */
    public static String tickets(String tenant) {
        return KeyShape.TICKETS.key(tenant);
    }

    /** Hash: the wallboard's tile thresholds, a JSON value per queue number. */
    public static String tileThresholds(String tenant) {
        return KeyShape.TILE_THRESHOLDS.key(tenant);
    }

    /**
     * The hash-tagged prefix {@code tandem:{t}:}, handed to the scripts that reach keys they discover while running
     * (the agent hashes of a queue's members, the caller hashes of a queue): they build those keys only with the
     * functions {@link LuaScript} generates from {@link KeyShape}, which join this prefix with a shape's parts, so
     * all of them share the tenant's hash tag and the script stays on one slot.
     */
    public static String tenantPrefix(String tenant) {
        return tenant(tenant);
    }

    /** Sorted set: agents of a tenant who are available, scored by the time (ms) they became idle. */
    public static String availableAgents(String tenant) {
        return KeyShape.AVAILABLE_AGENTS.key(tenant);
    }

    /** Sorted set: the available agents scored by queue calls taken since login (fewest-calls). */
    public static String availableAgentsByCalls(String tenant) {
        return KeyShape.AVAILABLE_AGENTS_BY_CALLS.key(tenant);
    }

    /** Sorted set: the available agents scored by talk time (ms) since login (least-talk-time). */
    public static String availableAgentsByTalk(String tenant) {
        return KeyShape.AVAILABLE_AGENTS_BY_TALK.key(tenant);
    }

    /** Set: agent ids with a session (any state but logged-out). */
    public static String agentSessions(String tenant) {
        return KeyShape.AGENT_SESSIONS.key(tenant);
    }

    /** Set: the parties with a direct call counted on one node (see acd/direct.lua), for that node's restart. */
    public static String directCalls(String tenant, String nodeId) {
        return KeyShape.DIRECT_CALLS.key(tenant, checked(NODE, "node id", nodeId));
    }

    /** String with TTL: the node running this round's presence check of the tenant (one node per round). */
    public static String presenceRound(String tenant) {
        return KeyShape.PRESENCE_ROUND.key(tenant);
    }

    /** Sorted set: agent ids scored by their next deadline (lease end or wrap-up end, ms); the sweeper pops it. */
    public static String agentTimers(String tenant) {
        return KeyShape.AGENT_TIMERS.key(tenant);
    }

    /** Hash: one offer (caller, queue, agents, version of each agent at reservation, deadline). */
    public static String offer(String tenant, String offerId) {
        return KeyShape.OFFER.key(tenant, checked(OPAQUE, "offer id", offerId));
    }

    /** String with TTL: agent session token (value {@code tenant agentId roles}); keyed by the token's SHA-256. */
    public static String agentToken(String tokenHash) {
        return PREFIX + "agent-token:" + checked(OPAQUE, "token hash", tokenHash);
    }

    /** Set: queue numbers of a tenant. */
    public static String queues(String tenant) {
        return KeyShape.QUEUES.key(tenant);
    }

    /**
     * Hash: queue number → digest (SHA-256, hex) of its stored definition, written with it, so that a node can tell
     * with a few bytes whether the definition it decoded last is still the one in Redis.
     */
    public static String queueDigests(String tenant) {
        return KeyShape.QUEUE_DIGESTS.key(tenant);
    }

    /** String: a queue definition (JSON). */
    public static String queue(String tenant, String queue) {
        return KeyShape.QUEUE.key(tenant, checked(EXTENSION, "queue", queue));
    }

    /** Sorted set: members of a queue, scored by their position (linear order). */
    public static String queueMembers(String tenant, String queue) {
        return KeyShape.QUEUE_MEMBERS.key(tenant, checked(EXTENSION, "queue", queue));
    }

    /** Hash: members of a queue → {@code tier|penalty}. */
    public static String queueTiers(String tenant, String queue) {
        return KeyShape.QUEUE_TIERS.key(tenant, checked(EXTENSION, "queue", queue));
    }

    /** Sorted set: the callers of {@link #queueWait} without a live offer, same scores (what a claim scans). */
    public static String queueReady(String tenant, String queue) {
        return KeyShape.QUEUE_READY.key(tenant, checked(EXTENSION, "queue", queue));
    }

    /** Hash: per-queue memory shared by all nodes (round-robin cursor, last offered agent). */
    public static String queueState(String tenant, String queue) {
        return KeyShape.QUEUE_STATE.key(tenant, checked(EXTENSION, "queue", queue));
    }

    /** Hash: a queue's counters of one UTC day (answered, abandoned, within service level, wait sums). */
    public static String queueStats(String tenant, String queue, String day) {
        return KeyShape.QUEUE_STATS.key(tenant, checked(EXTENSION, "queue", queue), checked(DAY, "day", day));
    }

    /**
     * Hash + TTL: which node holds a confirmed dialog of one of its legs (node, party, the node's and the far end's
     * tags), so an INVITE or REFER with Replaces (RFC 3891) that reaches another node is forwarded to it.
     */
    public static String dialog(String tenant, String callId) {
        if (callId == null || callId.isEmpty() || callId.length() > 256) {
            throw new IllegalArgumentException("invalid call id");
        }
        return KeyShape.DIALOG.key(tenant, callId);
    }

    /** Hash: a caller waiting in a queue (owner node, number, name, priority, custom data, enqueued at, offer). */
    public static String queueCaller(String tenant, String callId) {
        if (callId == null || callId.isEmpty() || callId.length() > 256) {
            throw new IllegalArgumentException("invalid call id");
        }
        return KeyShape.QUEUE_CALLER.key(tenant, callId);
    }

    /**
     * Hash: a room holding a parked caller on one node (state parked | connected | closed, node, call, queue,
     * caller, agent); the callback contract's {@code CallbackKeys.room}.
     */
    public static String room(String tenant, String roomId) {
        return KeyShape.ROOM.key(tenant, checked(OPAQUE, "room id", roomId));
    }

    /**
     * Sorted set: the rooms of a queue's callers parked and not yet joined, scored as {@link #queueWait} (priority,
     * then the first enqueue time), so a parked caller is told its place among them.
     */
    public static String queueParked(String tenant, String queue) {
        return KeyShape.QUEUE_PARKED.key(tenant, checked(EXTENSION, "queue", queue));
    }

    /** Stream, node → callback service: what happens to the tickets a node works; {@code CallbackKeys.ticketEvents}. */
    public static String ticketEvents(String tenant) {
        return KeyShape.TICKET_EVENTS.key(tenant);
    }

    /** Set: the tenant's open rooms; the callback contract's {@code CallbackKeys.rooms}. */
    public static String rooms(String tenant) {
        return KeyShape.ROOMS.key(tenant);
    }

    /** Stream, node → callback service: what happens to rooms; the contract's {@code CallbackKeys.roomEvents}. */
    public static String roomEvents(String tenant) {
        return KeyShape.ROOM_EVENTS.key(tenant);
    }

    /** String with TTL: a join token used once; the contract's {@code CallbackKeys.usedJoinToken}. */
    public static String usedJoinToken(String tenant, String tokenId) {
        return KeyShape.USED_JOIN_TOKEN.key(tenant, checked(OPAQUE, "join token id", tokenId));
    }

    /** Stream, callback service → one node: its commands; the contract's {@code CallbackKeys.nodeCommands}. */
    public static String nodeCommands(String nodeId) {
        return PREFIX + "node:" + checked(NODE, "node id", nodeId) + ":commands";
    }

    /**
     * String with TTL: a command id this node carried out; the contract's {@code CallbackKeys.doneCommand}. The
     * callback service makes ids from a room and a user ({@code <room>:<user>}), so a colon is allowed (the id is
     * the key's last part); braces, which would change the hash tag, and spaces are not.
     */
    public static String doneCommand(String nodeId, String commandId) {
        return PREFIX + "node:" + checked(NODE, "node id", nodeId) + ":done:" + checked(COMMAND_ID, "command id",
                commandId);
    }

    /**
     * Hash: the tenant's API keys, key id → JSON {@code {id, name, sha256, createdAt}}; the keys themselves are never
     * stored, only their SHA-256 (hex), which {@link #apiKey} indexes.
     */
    public static String apiKeys(String tenant) {
        return KeyShape.API_KEYS.key(tenant);
    }

    /**
     * String: an API key's tenant and id ({@code tenant id}), keyed by the key's SHA-256 (hex), so a presented key
     * finds its tenant without a scan. Cluster-wide, like {@link #agentToken}: the tenant is what it answers.
     */
    public static String apiKey(String keyHash) {
        return PREFIX + "api-key:" + checked(OPAQUE, "key hash", keyHash);
    }

    /**
     * Hash: a user's RFC 8599 push bindings, device key → {@code PushBinding} JSON; the same key as the callback
     * contract's {@code CallbackKeys.pushBindings} (a test holds them equal).
     */
    public static String pushBindings(String tenant, String user) {
        return KeyShape.PUSH_BINDINGS.key(tenant, checked(EXTENSION, "user", user));
    }

    /** Stream: devices with push parameters that registered ({@code CallbackKeys.deviceEvents}). */
    public static String deviceEvents(String tenant) {
        return KeyShape.DEVICE_EVENTS.key(tenant);
    }

    /** Stream: calls to users with push bindings, to wake and stop their devices ({@code CallbackKeys.callWakes}). */
    public static String callWakes(String tenant) {
        return KeyShape.CALL_WAKES.key(tenant);
    }

    /** Trunk ids: letters, digits, '.', '_', '-'. */
    public static final Pattern TRUNK = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,31}");
    /** Telephone numbers an extension may dial outside: an optional '+' and 3-20 digits. */
    public static final Pattern PHONE_NUMBER = Pattern.compile("\\+?[0-9]{3,20}");
    /**
     * DIDs: an optional '+' and 6-20 digits. Longer than the extensions and queues of a dial plan, so a call to an
     * extension is never looked up as a DID (no extra round trip on an internal call).
     */
    public static final Pattern DID = Pattern.compile("\\+?[0-9]{6,20}");

    /** Hash: the tenant's carrier trunks, trunk id → JSON definition (never a password). */
    public static String trunks(String tenant) {
        return KeyShape.TRUNKS.key(tenant);
    }

    /** Hash: trunk id → the digest password of its outbound registration (written by the API, never read back). */
    public static String trunkSecrets(String tenant) {
        return KeyShape.TRUNK_SECRETS.key(tenant);
    }

    /** Hash: the channels a trunk carries now, branch Call-ID → node id ({@code trunk/seize.lua}). */
    public static String trunkChannels(String tenant, String trunk) {
        return KeyShape.TRUNK_CHANNELS.key(tenant, checked(TRUNK, "trunk id", trunk));
    }

    /** Sorted set: the INVITEs sent to a trunk in the last second, branch Call-ID by ms (the CAPS window). */
    public static String trunkAttempts(String tenant, String trunk) {
        return KeyShape.TRUNK_ATTEMPTS.key(tenant, checked(TRUNK, "trunk id", trunk));
    }

    /** Hash: a registration trunk's state on each node that registers it, node id → JSON. */
    public static String trunkRegistrations(String tenant, String trunk) {
        return KeyShape.TRUNK_REGISTRATIONS.key(tenant, checked(TRUNK, "trunk id", trunk));
    }

    /**
     * Hash: the tenant's trunks taken out of rotation for their health, trunk id → reason
     * ({@code unhealthy: 5 failures of 5}); a trunk leaves it when its gateway answers a probe.
     */
    public static String trunkHealth(String tenant) {
        return KeyShape.TRUNK_HEALTH.key(tenant);
    }

    /** Hash: trunk id → outside calls in a row it failed definitely (503 before ringing, or no answer at all). */
    public static String trunkFailures(String tenant) {
        return KeyShape.TRUNK_FAILURES.key(tenant);
    }

    /** Hash: the tenant's DIDs, number → JSON destination. */
    public static String dids(String tenant) {
        return KeyShape.DIDS.key(tenant);
    }

    /**
     * Hash: every DID of every tenant, number → tenant. Cluster-wide: a call from a carrier names only the number,
     * and the number is what says whose it is.
     */
    public static String didOwners() {
        return PREFIX + "dids";
    }

    /** String: the tenant's dial plan (JSON): how dialled numbers are told local, national or international. */
    public static String dialPlan(String tenant) {
        return KeyShape.DIAL_PLAN.key(tenant);
    }

    /** Hash: user → JSON of the user's permission class for outside calls and presented number. */
    public static String dialPermissions(String tenant) {
        return KeyShape.DIAL_PERMISSIONS.key(tenant);
    }

    /** Campaign ids: letters, digits, '.', '_', '-'. */
    public static final Pattern CAMPAIGN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    /** Hash: the tenant's outbound campaigns, id → JSON definition. */
    public static String campaigns(String tenant) {
        return KeyShape.CAMPAIGNS.key(tenant);
    }

    /** Hash: a campaign's contacts, contact id (its E.164 number) → JSON record (contact, state, attempts). */
    public static String campaignContacts(String tenant, String campaign) {
        return KeyShape.CAMPAIGN_CONTACTS.key(tenant, checked(CAMPAIGN, "campaign id", campaign));
    }

    /** Sorted set: a campaign's contacts due for a call, scored by when (ms; 0 = now). */
    public static String campaignDue(String tenant, String campaign) {
        return KeyShape.CAMPAIGN_DUE.key(tenant, checked(CAMPAIGN, "campaign id", campaign));
    }

    /**
     * Hash: a campaign's contacts being dialled now, contact id → the node that claimed it ({@code campaign/claim.lua});
     * only that node records the attempt's outcome, once.
     */
    public static String campaignDialling(String tenant, String campaign) {
        return KeyShape.CAMPAIGN_DIALLING.key(tenant, checked(CAMPAIGN, "campaign id", campaign));
    }

    /** Hash: a campaign's running figures, {@code attempts} and one count per outcome. */
    public static String campaignFigures(String tenant, String campaign) {
        return KeyShape.CAMPAIGN_FIGURES.key(tenant, checked(CAMPAIGN, "campaign id", campaign));
    }

    /** Stream: one entry per attempt of a campaign (contact, outcome, SIP cause, trunk, node). */
    public static String campaignAttempts(String tenant, String campaign) {
        return KeyShape.CAMPAIGN_ATTEMPTS.key(tenant, checked(CAMPAIGN, "campaign id", campaign));
    }

    /** Set: the numbers (E.164) a campaign never calls. */
    public static String campaignDnc(String tenant, String campaign) {
        return KeyShape.CAMPAIGN_DNC.key(tenant, checked(CAMPAIGN, "campaign id", campaign));
    }

    /**
     * String with a TTL of about one tick: the node whose turn it is to pace the campaign ({@code campaign/pace.lua}),
     * so one node at a time dials against the cluster-wide agents and calls in flight.
     */
    public static String campaignPacing(String tenant, String campaign) {
        return KeyShape.CAMPAIGN_PACING.key(tenant, checked(CAMPAIGN, "campaign id", campaign));
    }

    /**
     * Sorted set with a TTL: the campaign's over-dialled calls that may still end abandoned, member
     * {@code <node>:<ms>:<count>} scored by when they stop being exposed ({@code campaign/pace.lua}).
     */
    public static String campaignExposed(String tenant, String campaign) {
        return KeyShape.CAMPAIGN_EXPOSED.key(tenant, checked(CAMPAIGN, "campaign id", campaign));
    }

    /** Set: the ids of the tenant's campaigns that dial now. */
    public static String campaignsRunning(String tenant) {
        return KeyShape.CAMPAIGNS_RUNNING.key(tenant);
    }

    /** Set: the numbers (E.164) no campaign of the tenant ever calls. */
    public static String doNotCall(String tenant) {
        return KeyShape.DO_NOT_CALL.key(tenant);
    }

    /** Hash: the tenant's layer of the dialer's limits, field → number; a field left out keeps the template's. */
    public static String dialerLimits(String tenant) {
        return KeyShape.DIALER_LIMITS.key(tenant);
    }

    /** Hash: one node's layer of the tenant's dialer limits: only its concurrency ({@code nodeChannels}). */
    public static String dialerNodeLimits(String tenant, String node) {
        return KeyShape.DIALER_NODE_LIMITS.key(tenant, checked(NODE, "node id", node));
    }

    /** Hash: the cluster-wide template of the dialer's limits, field → number. */
    public static String dialerTemplate() {
        return PREFIX + "dialer:template";
    }

    /** Hash: the tenant's outside calls a node holds now, branch Call-ID → trunk ({@code trunk/seize.lua}). */
    public static String outboundNodeChannels(String tenant, String node) {
        return KeyShape.OUTBOUND_NODE_CHANNELS.key(tenant, checked(NODE, "node id", node));
    }

    /** Sorted set: the tenant's INVITEs a node sent to any trunk in the last second, Call-ID by ms. */
    public static String outboundNodeAttempts(String tenant, String node) {
        return KeyShape.OUTBOUND_NODE_ATTEMPTS.key(tenant, checked(NODE, "node id", node));
    }

    /**
     * What outside calls are counted together: {@code extensions} (the calls extensions place) or
     * {@code campaign.<id>}.
     */
    public static final Pattern OUTBOUND_GROUP = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,72}");

    /**
     * Hash: the outside calls of one group now ({@code extensions}, or {@code campaign.<id>}), branch Call-ID → node
     * id: a campaign's concurrency, cluster-wide.
     */
    public static String outboundChannels(String tenant, String group) {
        return KeyShape.OUTBOUND_CHANNELS.key(tenant, checked(OUTBOUND_GROUP, "outbound group", group));
    }

    /** Pub/sub channel: each event of the tenant's stream, published as JSON with its stream id. */
    public static String liveEvents(String tenant) {
        return KeyShape.LIVE_EVENTS.key(tenant);
    }

    /** Pub/sub pattern matching every tenant's {@link #liveEvents} channel. */
    public static String liveEventsPattern() {
        return PREFIX + "{*}:live";
    }

    /** The hash-tagged prefix {@code tandem:{t}:}. */
    static String tenant(String tenant) {
        String prefix = tenant == null ? null : TENANT_PREFIXES.get(tenant);
        if (prefix == null) {
            prefix = PREFIX + "{" + checked(TENANT, "tenant", tenant) + "}:";
            if (TENANT_PREFIXES.size() < MAX_CACHED_TENANTS) {
                TENANT_PREFIXES.put(tenant, prefix);
            }
        }
        return prefix;
    }

    private static String checked(Pattern pattern, String what, String value) {
        if (value == null || !pattern.matcher(value).matches()) {
            throw new IllegalArgumentException("invalid " + what + ": '" + value + "'");
        }
        return value;
    }
}
