package io.tandem.backend.acd.web;

import io.tandem.backend.acd.dispatch.QueueStatistics;
import io.tandem.backend.acd.queues.QueueDefinition;
import io.tandem.backend.acd.queues.Queues;
import io.tandem.protocol.QueueFigures;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps every agent's queue strip and every supervisor's wallboard live: on each tick it reads the tenant's queues
 * once, computes the figures of each queue that has a connected member, or of every queue when a supervisor of the
 * tenant is connected (the same Redis reads {@code GET /api/v1/queues} makes, so every node shows the same numbers),
 * and lets {@link AgentSocket} and {@link SupervisorSocket} send each socket those that changed since its last push.
 * A tenant's figures are so computed at most once per tick, however many pages watch them.
 */
final class QueueFiguresPush implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(QueueFiguresPush.class);

    private final AgentSocket sockets;
    private final SupervisorSocket supervisors;
    private final Queues queues;
    private final QueueStatistics statistics;
    private final Clock clock;

    QueueFiguresPush(AgentSocket sockets, SupervisorSocket supervisors, Queues queues, QueueStatistics statistics,
            Clock clock) {
        this.sockets = sockets;
        this.supervisors = supervisors;
        this.queues = queues;
        this.statistics = statistics;
        this.clock = clock;
    }

    @Override
    public void run() {
        try {
            Set<String> watched = supervisors.connectedTenants();
            Set<String> tenants = new TreeSet<>(sockets.connectedTenants());
            tenants.addAll(watched);
            for (String tenant : tenants) {
                boolean supervised = watched.contains(tenant);
                Map<String, List<QueueFigures>> byAgent = new HashMap<>();
                List<QueueFigures> all = new ArrayList<>();
                for (QueueDefinition queue : queues.list(tenant)) {
                    QueueFigures figures = supervised ? statistics.figures(tenant, queue, clock.instant()) : null;
                    if (figures != null) {
                        all.add(figures);
                    }
                    for (QueueDefinition.Member member : queue.members()) {
                        if (!sockets.isConnected(tenant, member.agent())) {
                            continue;
                        }
                        if (figures == null) {
                            figures = statistics.figures(tenant, queue, clock.instant());
                        }
                        byAgent.computeIfAbsent(member.agent(), a -> new ArrayList<>()).add(figures);
                    }
                }
                sockets.pushFigures(tenant, byAgent);
                if (supervised) {
                    supervisors.pushFigures(tenant, all);
                }
            }
        } catch (RuntimeException e) {
            // Redis away or the node closing: the next tick tries again; the strip just stays as it was.
            log.debug("queue figures not pushed: {}", e.getMessage());
        }
    }
}
