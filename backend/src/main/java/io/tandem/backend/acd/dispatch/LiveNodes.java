package io.tandem.backend.acd.dispatch;

import io.tandem.backend.acd.AcdScripts;
import io.tandem.backend.cluster.NodeRegistry;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The ids of live nodes as of the last sweep (every {@code sweep-interval}), handed to each claim so callers of a
 * dead node are never offered. Reading membership on every claim would cost more than the claim itself. The
 * registry counts a node as alive for a grace after a Redis outage (see {@link NodeRegistry}); while Redis cannot be
 * read, the last snapshot stands.
 */
@Component
public class LiveNodes {

    private static final Logger log = LoggerFactory.getLogger(LiveNodes.class);

    private final NodeRegistry registry;
    private volatile Set<String> ids; // published snapshot, replaced whole

    public LiveNodes(NodeRegistry registry, AcdScripts scripts) {
        this.registry = registry;
        this.ids = Set.of(scripts.nodeId());
    }

    Set<String> ids() {
        return ids;
    }

    void refresh() {
        try {
            ids = Set.copyOf(registry.aliveIds());
        } catch (RuntimeException e) {
            log.warn("could not read cluster membership ({}); keeping {}", e.getMessage(), ids);
        }
    }
}
