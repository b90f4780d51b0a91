package io.tandem.backend.cluster;

import io.lettuce.core.RedisFuture;
import io.tandem.backend.node.NodeIdentity;
import io.tandem.backend.node.NodeProperties;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.Outages;
import io.tandem.backend.redis.Redis;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Service;

/**
 * Cluster membership as Redis sees it: a node is alive while its {@code tandem:node:<id>} key lives (the key's TTL
 * is the failure detector). The registrar, the router and the ACD use {@link #isAlive}, {@link #probe} and
 * {@link #aliveIds} to ignore bindings and callers of dead nodes.
 * <p>
 * Two exceptions. This node is alive to itself, without asking. And right after Redis came back from an outage
 * longer than the heartbeat TTL, every heartbeat key has expired (a restarted Redis drops keys whose time passed)
 * while the nodes are still reconnecting: for a grace of two TTLs a node seen alive shortly before the outage still
 * counts as alive, at the SIP address it last had, until its beat returns. Without it the first node back took the
 * others' agents for unreachable (a missed offer each, not-ready after a few) and their waiting callers for lost to
 * node failure.
 */
@Service
public class NodeRegistry {

    private final Redis redis;
    private final String self;
    private final Duration ttl;
    private final Clock clock = Clock.systemUTC();
    /** Each node last read as alive, when, and at which SIP address: what the outage grace goes by. */
    private final Map<String, Seen> seen = new ConcurrentHashMap<>();
    /** The last outage as this registry's reads found it over, while {@link Outages} has not yet heard it was. */
    private final AtomicReference<Outages.Outage> firstAnswer = new AtomicReference<>();

    private record Seen(Instant at, String sip) {
    }

    @Autowired
    public NodeRegistry(Redis redis, NodeIdentity identity, NodeProperties properties) {
        this(redis, identity.id(), properties.heartbeatTtl());
    }

    /** For a process that is no node (a tool, a test): every node's liveness comes from its key alone. */
    public NodeRegistry(Redis redis) {
        this(redis, "", Duration.ZERO);
    }

    /** {@code self}: this node's id; {@code ttl}: the heartbeat TTL, which scales the outage grace. */
    public NodeRegistry(Redis redis, String self, Duration ttl) {
        this.redis = redis;
        this.self = self;
        this.ttl = ttl;
    }

    /** True while the node's heartbeat key exists, for this node itself, and during an outage's grace (above). */
    public boolean isAlive(String nodeId) {
        if (nodeId.equals(self)) {
            return true;
        }
        if (redis.commands().exists(Keys.node(nodeId)) == 1L) {
            saw(nodeId, null);
            return true;
        }
        return missing(nodeId);
    }

    /**
     * Asks for the heartbeat of every node known alive without waiting: a read sent next on the shared connection
     * shares the round trip, so a route needs one round trip for the binding, the nodes' liveness and their SIP
     * addresses (before: one for each). A node the probe did not cover is asked when needed.
     */
    public Probe probe() {
        Map<String, RedisFuture<Map<String, String>>> replies = new HashMap<>();
        for (String id : seen.keySet()) {
            if (!id.equals(self)) {
                replies.put(id, redis.async().hgetall(Keys.node(id)));
            }
        }
        return new Probe(replies);
    }

    /** The heartbeats asked for by {@link #probe}: read when first needed. */
    public final class Probe {

        private final Map<String, RedisFuture<Map<String, String>>> replies;
        private final Map<String, Optional<String>> sips = new HashMap<>();

        private Probe(Map<String, RedisFuture<Map<String, String>>> replies) {
            this.replies = replies;
        }

        /** As {@link NodeRegistry#isAlive}: a live node's heartbeat always carries its SIP address. */
        public boolean alive(String nodeId) {
            return nodeId.equals(self) || sip(nodeId).isPresent();
        }

        /** The SIP address ({@code sip:host:port}) of a live node, the last one known during an outage's grace. */
        public Optional<String> sip(String nodeId) {
            return sips.computeIfAbsent(nodeId, id -> {
                RedisFuture<Map<String, String>> reply = replies.get(id);
                return reply == null ? sipAddress(id) : sipOf(id, Redis.await(reply));
            });
        }
    }

    private Optional<String> sipAddress(String nodeId) {
        return sipOf(nodeId, redis.commands().hgetall(Keys.node(nodeId)));
    }

    private Optional<String> sipOf(String nodeId, Map<String, String> heartbeat) {
        if (!heartbeat.isEmpty()) {
            saw(nodeId, heartbeat.get("sip"));
            return Optional.ofNullable(heartbeat.get("sip"));
        }
        Seen last = seen.get(nodeId);
        return missing(nodeId) && last != null ? Optional.ofNullable(last.sip()) : Optional.empty();
    }

    /**
     * A node's SIP address as last read while it was alive, without asking Redis: empty for a node this registry has
     * not seen alive, or found dead since. The view is as fresh as the last {@link #aliveIds} (every ACD sweep).
     */
    public Optional<String> lastSeenSip(String nodeId) {
        Seen last = seen.get(nodeId);
        return last == null ? Optional.empty() : Optional.ofNullable(last.sip());
    }

    /** The ids of the live nodes, this node's included, as {@link #isAlive} counts them. */
    public Set<String> aliveIds() {
        Set<String> ids = new HashSet<>();
        for (NodeInfo node : aliveNodes()) {
            ids.add(node.id());
        }
        if (!self.isEmpty()) {
            ids.add(self);
        }
        for (String known : seen.keySet()) {
            if (!ids.contains(known) && missing(known)) {
                ids.add(known);
            }
        }
        return ids;
    }

    private void saw(String nodeId, String sip) {
        Instant now = clock.instant();
        seen.merge(nodeId, new Seen(now, sip), (old, fresh) -> new Seen(now, sip != null ? sip : old.sip()));
    }

    /** The node's key is missing: dead, unless the outage grace covers it (then the grace decides, not this read). */
    private boolean missing(String nodeId) {
        if (inOutageGrace(nodeId)) {
            return true;
        }
        seen.remove(nodeId);
        return false;
    }

    /**
     * Called only once Redis has answered a read, so the last outage is over even when {@link Outages} has not heard
     * yet: Lettuce reports the reconnection on its event thread, and the commands that waited for the connection are
     * often answered first. Such an outage counts as ended at the first of these reads that found a heartbeat key
     * missing. Taken for an outage still going on (no grace), that read would take every node not yet beating again
     * for dead and forget it for good: the sweep would remove its waiting callers as lost, the claims skip its agents.
     */
    private boolean inOutageGrace(String nodeId) {
        Optional<Outages.Outage> outage = redis.outages().last();
        if (outage.isEmpty()) {
            return false;
        }
        Instant now = clock.instant();
        Duration grace = ttl.multipliedBy(2);
        Outages.Outage over = outage.get().restored() != null ? outage.get() : answeredAfter(outage.get(), now);
        Seen last = seen.get(nodeId);
        return last != null && over.endedWithin(grace, now) && last.at().isAfter(over.lost().minus(grace));
    }

    /** {@code outage} as ended at the first read answered after it that came here (this one, or an earlier one). */
    private Outages.Outage answeredAfter(Outages.Outage outage, Instant now) {
        return firstAnswer.updateAndGet(known -> known != null && known.lost().equals(outage.lost()) ? known
                : new Outages.Outage(outage.lost(), now));
    }

    /** The node's current heartbeat record, if alive. */
    public Optional<NodeInfo> find(String nodeId) {
        Map<String, String> hash = redis.commands().hgetall(Keys.node(nodeId));
        return hash.isEmpty() ? Optional.empty() : Optional.of(decode(nodeId, hash));
    }

    /** Alive nodes ordered by id; ids of dead nodes are pruned from {@code tandem:nodes} on the way. */
    public List<NodeInfo> aliveNodes() {
        List<NodeInfo> alive = new ArrayList<>();
        for (String id : redis.commands().smembers(Keys.nodes())) {
            Optional<NodeInfo> node = Keys.NODE.matcher(id).matches() ? find(id) : Optional.empty();
            if (node.isPresent()) {
                alive.add(node.get());
                saw(id, node.get().sip());
            } else {
                redis.commands().srem(Keys.nodes(), id);
            }
        }
        alive.sort(Comparator.comparing(NodeInfo::id));
        return alive;
    }

    private static NodeInfo decode(String id, Map<String, String> hash) {
        return new NodeInfo(id, hash.get("sip"), hash.get("http"), hash.get("version"),
                instant(hash.get("startedAt")), instant(hash.get("lastBeat")),
                Integer.parseInt(hash.getOrDefault("calls", "0")),
                Integer.parseInt(hash.getOrDefault("registrations", "0"))); // absent in an older node's beat
    }

    private static Instant instant(String value) {
        return value == null ? null : Instant.parse(value);
    }
}
