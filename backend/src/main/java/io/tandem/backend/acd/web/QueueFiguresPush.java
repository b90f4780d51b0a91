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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps every agent's queue strip live: on each tick it reads the tenant's queues once, computes the figures of each
 * queue that has a connected member (the same Redis reads {@code GET /api/v1/queues} makes, so every node shows the
 * same numbers), and lets {@link AgentSocket} send each agent those of its queues that changed since its last push.
 */
final class QueueFiguresPush implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(QueueFiguresPush.class);

    private final AgentSocket sockets;
    private final Queues queues;
    private final QueueStatistics statistics;
    private final Clock clock;

    QueueFiguresPush(AgentSocket sockets, Queues queues, QueueStatistics statistics, Clock clock) {
        this.sockets = sockets;
        this.queues = queues;
        this.statistics = statistics;
        this.clock = clock;
    }

    @Override
    public void run() {
        try {
            for (String tenant : sockets.connectedTenants()) {
                Map<String, List<QueueFigures>> byAgent = new HashMap<>();
                for (QueueDefinition queue : queues.list(tenant)) {
                    QueueFigures figures = null;
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
            }
        } catch (RuntimeException e) {
            // Redis away or the node closing: the next tick tries again; the strip just stays as it was.
            log.debug("queue figures not pushed: {}", e.getMessage());
        }
    }
}
