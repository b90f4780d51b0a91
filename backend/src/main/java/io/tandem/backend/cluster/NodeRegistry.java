package io.tandem.backend.cluster;

import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.Redis;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Service;

/**
 * Cluster membership as Redis sees it: a node is alive while its {@code tandem:node:<id>} key lives (the key's TTL
 * is the failure detector). The registrar and router use {@link #isAlive} to ignore bindings of dead nodes.
 */
@Service
public class NodeRegistry {

    private final Redis redis;

    public NodeRegistry(Redis redis) {
        this.redis = redis;
    }

    /** True while the node's heartbeat key exists. */
    public boolean isAlive(String nodeId) {
        return redis.commands().exists(Keys.node(nodeId)) == 1L;
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
