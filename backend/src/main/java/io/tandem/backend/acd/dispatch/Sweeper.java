package io.tandem.backend.acd.dispatch;

import io.tandem.backend.acd.AcdProperties;
import io.tandem.backend.acd.agents.Presence;
import io.tandem.backend.acd.queues.QueueDefinition;
import io.tandem.backend.acd.queues.Queues;
import io.tandem.backend.directory.Directory;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every node's periodic safety net, run each {@code sweep-interval}: refresh the live-node snapshot, mark the agents
 * whose socket this node holds as present, expire lapsed leases and finished wrap-ups; each {@code dispatch-interval}
 * also log out absent agents, remove callers whose node died (recorded as lost, not abandoned; {@link LostNodes}
 * says when a node counts as dead) and dispatch every
 * queue with waiting callers. All of it is idempotent
 * scripts, so several nodes sweeping at once is harmless.
 */
class Sweeper implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(Sweeper.class);
    private static final int TIMERS_PER_RUN = 1_000;

    private final Directory directory;
    private final Queues queues;
    private final Callers callers;
    private final Claims claims;
    private final Dispatcher dispatcher;
    private final LiveNodes nodes;
    private final Presence presence;
    private final LostNodes lost;
    private final int dispatchEvery;
    private long runs;

    Sweeper(Directory directory, Queues queues, Callers callers, Claims claims, Dispatcher dispatcher,
            LiveNodes nodes, Presence presence, AcdProperties properties, LostNodes lost) {
        this.directory = directory;
        this.queues = queues;
        this.callers = callers;
        this.claims = claims;
        this.dispatcher = dispatcher;
        this.nodes = nodes;
        this.presence = presence;
        this.lost = lost;
        this.dispatchEvery = (int) Math.max(1, properties.dispatchInterval().toMillis()
                / properties.sweepInterval().toMillis());
    }

    @Override
    public void run() {
        try {
            nodes.refresh();
            presence.refresh();
            boolean dispatchRound = runs++ % dispatchEvery == 0;
            for (String tenant : directory.tenants()) {
                sweep(tenant, dispatchRound);
            }
        } catch (RuntimeException e) {
            if (Thread.currentThread().isInterrupted() || e.getCause() instanceof InterruptedException) {
                log.debug("ACD sweep interrupted: the node is stopping");
                return;
            }
            if (e instanceof io.lettuce.core.RedisException) {
                // Redis away: one line per run, not a stack trace a second per node; the next run tries again.
                log.warn("ACD sweep failed, Redis unavailable ({}); next run retries", e.getMessage());
            } else {
                log.warn("ACD sweep failed; next run retries", e);
            }
        }
    }

    private void sweep(String tenant, boolean dispatchRound) {
        List<String> freed = claims.sweep(tenant, TIMERS_PER_RUN, 0);
        if (!freed.isEmpty()) {
            log.debug("{}@{}: timers ran out for {}", tenant, freed.size(), freed);
            dispatcher.agentsFreed(tenant);
        }
        if (dispatchRound) {
            presence.sweep(tenant);
            Set<String> alive = nodes.ids();
            lost.round(alive);
            for (QueueDefinition queue : queues.list(tenant)) {
                boolean waiting = false;
                for (QueueEntry entry : callers.waiting(tenant, queue.number())) {
                    if (!alive.contains(entry.owner()) && lost.gone(entry.owner())) {
                        callers.leave(tenant, queue.number(), entry.callId(), Callers.Exit.LOST_NODE, null);
                        log.info("caller {} removed from {}@{}: its node {} is gone", entry.callId(),
                                queue.number(), tenant, entry.owner());
                    } else if (alive.contains(entry.owner())) {
                        waiting = true;
                    }
                }
                if (waiting) {
                    dispatcher.queueChanged(tenant, queue.number());
                }
            }
        }
    }
}
