package io.tandem.backend.acd;

import io.tandem.backend.cluster.NodeInfo;
import io.tandem.backend.cluster.NodeRegistry;
import io.tandem.backend.node.NodeProperties;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The ids of live nodes as of the last sweep (every {@code sweep-interval}), handed to each claim so callers of a
 * dead node are never offered. Reading membership on every claim would cost more than the claim itself.
 * <p>
 * After Redis was out of reach, the nodes known before keep counting as alive for one heartbeat TTL: an outage longer
 * than the TTL expires every membership key (a restarted Redis drops keys whose time has passed), and the other
 * nodes need a beat or two after reconnecting to write theirs again. Without this grace the first node back would
 * remove every caller waiting on the others as lost to node failure.
 */
@Component
class LiveNodes {

    private static final Logger log = LoggerFactory.getLogger(LiveNodes.class);

    private final NodeRegistry registry;
    private final String self;
    private final Clock clock;
    private final Duration grace;
    private volatile Set<String> ids; // published snapshot, replaced whole
    private boolean unreachable; // only the sweep thread reads and writes these two
    private long graceUntil = Long.MIN_VALUE;

    @Autowired
    LiveNodes(NodeRegistry registry, AcdScripts scripts, NodeProperties node) {
        this(registry, scripts, node.heartbeatTtl());
    }

    /** Without grace: for a manual dispatcher that never lived through an outage. */
    LiveNodes(NodeRegistry registry, AcdScripts scripts) {
        this(registry, scripts, Duration.ZERO);
    }

    private LiveNodes(NodeRegistry registry, AcdScripts scripts, Duration grace) {
        this.registry = registry;
        this.self = scripts.nodeId();
        this.clock = scripts.clock();
        this.grace = grace;
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
            long now = clock.millis();
            if (unreachable) {
                unreachable = false;
                graceUntil = now + grace.toMillis();
            }
            if (now < graceUntil && !alive.containsAll(ids)) {
                log.info("Redis is back: nodes {} count as alive until their beats return or {} ms pass", ids,
                        graceUntil - now);
                alive.addAll(ids);
            }
            ids = Set.copyOf(alive);
        } catch (RuntimeException e) {
            unreachable = true;
            log.warn("could not read cluster membership ({}); keeping {}", e.getMessage(), ids);
        }
    }
}
