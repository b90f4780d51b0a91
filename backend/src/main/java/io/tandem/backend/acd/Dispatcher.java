package io.tandem.backend.acd;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs claims when something changed: a caller joined a queue, agents became available, or the periodic sweep
 * found callers waiting (the safety net for events this node did not see). Requests for the same queue coalesce
 * while one is pending, so the work queue is bounded by the number of queues. Each claimed offer goes to the
 * {@link OfferPlacer}; the claim script has already published it to the agents' WebSockets.
 */
public class Dispatcher {

    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
    /** Claims in one drain of a queue before yielding to other queues. */
    private static final int MAX_CLAIMS_PER_DRAIN = 1_000;

    private final Claims claims;
    private final Queues queues;
    private final LiveNodes nodes;
    private final OfferPlacer placer;
    private final Executor executor;
    private final Set<String> pending = ConcurrentHashMap.newKeySet();
    private final Set<String> pendingTenants = ConcurrentHashMap.newKeySet();

    Dispatcher(Claims claims, Queues queues, LiveNodes nodes, OfferPlacer placer, Executor executor) {
        this.claims = claims;
        this.queues = queues;
        this.nodes = nodes;
        this.placer = placer;
        this.executor = executor;
    }

    /** A caller joined or left {@code queue}, or its members changed. */
    public void queueChanged(String tenant, String queue) {
        String key = tenant + " " + queue;
        if (pending.add(key)) {
            try {
                executor.execute(() -> drain(tenant, queue, key));
            } catch (RejectedExecutionException shuttingDown) {
                pending.remove(key);
            }
        }
    }

    /** Agents of a tenant became available: every queue of the tenant may have work. */
    public void agentsFreed(String tenant) {
        if (pendingTenants.add(tenant)) {
            try {
                executor.execute(() -> {
                    pendingTenants.remove(tenant);
                    try {
                        for (QueueDefinition queue : queues.list(tenant)) {
                            queueChanged(tenant, queue.number());
                        }
                    } catch (RuntimeException e) {
                        log.warn("dispatch for {} failed; the sweep retries", tenant, e);
                    }
                });
            } catch (RejectedExecutionException shuttingDown) {
                pendingTenants.remove(tenant);
            }
        }
    }

    /**
     * Events from any node: a caller joined somewhere, an agent became available somewhere. Every node hears them
     * and claims; the claim script makes the concurrent attempts safe, and the first node to run it wins. The node
     * that enqueued a caller claims at once as well ({@link Callers#enqueue}), but its claim alone is not enough: its
     * view of the live nodes is up to a sweep old, so an agent on a node that has just joined is offered only by a
     * node that already counts it alive (AgentApiIT caught this when only the enqueuing node claimed).
     */
    void onEvent(String tenant, LiveEvent event) {
        if (event.kind().equals("caller.enqueued")) {
            queueChanged(tenant, event.queue());
        } else if (event.kind().equals("agent.state") && event.field("state").equals("available")) {
            agentsFreed(tenant);
        }
    }

    private void drain(String tenant, String number, String key) {
        pending.remove(key); // a change from now on schedules another drain
        try {
            Optional<QueueDefinition> queue = queues.find(tenant, number);
            if (queue.isEmpty()) {
                return;
            }
            for (int i = 0; i < MAX_CLAIMS_PER_DRAIN; i++) {
                Optional<OfferGrant> grant = claims.claim(tenant, queue.get(), nodes.ids());
                if (grant.isEmpty()) {
                    return;
                }
                place(grant.get());
            }
            queueChanged(tenant, number); // more to do; let other queues in first
        } catch (RuntimeException e) {
            if (Thread.currentThread().isInterrupted() || e.getCause() instanceof InterruptedException) {
                return; // the node is stopping
            }
            log.warn("dispatch of queue {}@{} failed; the sweep retries", number, tenant, e);
        }
    }

    private void place(OfferGrant grant) {
        MDC.put("callId", grant.callId());
        try {
            placer.place(grant);
        } catch (RuntimeException e) {
            log.warn("placing offer {} failed; its lease releases the agents", grant.offerId(), e);
        } finally {
            MDC.remove("callId");
        }
    }
}
