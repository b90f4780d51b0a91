package io.tandem.backend.cluster;

import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.Redis;
import io.tandem.backend.node.NodeIdentity;
import io.tandem.backend.node.NodeProperties;
import io.tandem.backend.redis.Outages;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Service;

/**
 * Cluster membership as Redis sees it: a node is alive while its {@code tandem:node:<id>} key lives (the key's TTL
 * is the failure detector). The registrar, the router and the ACD use {@link #isAlive} and {@link #aliveIds} to
 * ignore bindings and callers of dead nodes.
 * <p>
 * Two exceptions. This node is alive to itself, without asking. And right after Redis came back from an outage
 * longer than the heartbeat TTL, every heartbeat key has expired (a restarted Redis drops keys whose time passed)
 * while the nodes are still reconnecting: for a grace of two TTLs a node seen alive shortly before the outage still
 * counts as alive until its beat returns. Without it the first node back took the others' agents for unreachable
 * (a missed offer each, not-ready after a few) and their waiting callers for lost to node failure.
 */
@Service
public class NodeRegistry {

    private final Redis redis;
    private final String self;
    private final Duration ttl;
    private final Clock clock = Clock.systemUTC();
    /** When each node was last read as alive: what the outage grace goes by. */
    private final Map<String, Instant> seenAlive = new ConcurrentHashMap<>();

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
            seenAlive.put(nodeId, clock.instant());
            return true;
        }
        return missing(nodeId);
    }

    /** The node's key is missing: dead, unless the outage grace covers it (then the grace decides, not this read). */
    private boolean missing(String nodeId) {
        if (inOutageGrace(nodeId)) {
            return true;
        }
        seenAlive.remove(nodeId);
        return false;
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
        for (String known : seenAlive.keySet()) {
            if (!ids.contains(known) && missing(known)) {
                ids.add(known);
            }
        }
        return ids;
    }

    private boolean inOutageGrace(String nodeId) {
        Instant seen = seenAlive.get(nodeId);
        Optional<Outages.Outage> outage = redis.outages().last();
        Instant now = clock.instant();
        return seen != null && outage.isPresent() && outage.get().endedWithin(ttl.multipliedBy(2), now)
                && seen.isAfter(outage.get().lost().minus(ttl.multipliedBy(2)));
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
                seenAlive.put(id, clock.instant());
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
                Integer.parseInt(hash.getOrDefault("calls", "0")));
    }

    private static Instant instant(String value) {
        return value == null ? null : Instant.parse(value);
    }
}
