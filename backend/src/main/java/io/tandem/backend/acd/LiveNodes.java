package io.tandem.backend.acd;

import io.tandem.backend.cluster.NodeInfo;
import io.tandem.backend.cluster.NodeRegistry;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The ids of live nodes as of the last sweep (every {@code sweep-interval}), handed to each claim so callers of a
 * dead node are never offered. Reading membership on every claim would cost more than the claim itself.
 */
@Component
class LiveNodes {

    private static final Logger log = LoggerFactory.getLogger(LiveNodes.class);

    private final NodeRegistry registry;
    private final String self;
    private volatile Set<String> ids; // published snapshot, replaced whole

    LiveNodes(NodeRegistry registry, AcdScripts scripts) {
        this.registry = registry;
        this.self = scripts.nodeId();
        this.ids = Set.of(self);
    }

    Set<String> ids() {
        return ids;
    }

    void refresh() {
        try {
            Set<String> alive = new HashSet<>();
            for (NodeInfo node : registry.aliveNodes()) {
                alive.add(node.id());
            }
            alive.add(self); // this node is running, whether or not its first beat is written yet
            ids = Set.copyOf(alive);
        } catch (RuntimeException e) {
            log.warn("could not read cluster membership; keeping {}", ids, e);
        }
    }
}
