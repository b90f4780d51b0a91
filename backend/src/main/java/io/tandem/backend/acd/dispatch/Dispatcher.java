package io.tandem.backend.acd.dispatch;

import io.tandem.backend.acd.events.LiveEvent;
import io.tandem.backend.acd.queues.QueueDefinition;
import io.tandem.backend.acd.queues.Queues;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
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
    /**
     * Most offers one claim script makes. A drain usually finds one caller for one freed agent, but a burst (a shift
     * logging in, callers piling up behind a full floor) is taken a batch at a time: one round trip and one script
     * run instead of one per offer, each offer placed as soon as its batch returns.
     */
    public static final int CLAIM_BATCH = 8;

    private final Claims claims;
    private final Queues queues;
    private final LiveNodes nodes;
    private final OfferPlacer placer;
    private final Executor executor;
    private final ScheduledExecutorService backups;
    private final String self;
    private final Set<String> pending = ConcurrentHashMap.newKeySet();
    private final List<Drained> drainedListeners = new CopyOnWriteArrayList<>();

    /**
     * Told after a drain of a queue claimed everything it could (on every change and every periodic round while
     * callers wait): what is left waiting has no agent now. Called on the dispatcher thread: one Redis read at
     * most, anything longer handed off.
     */
    public interface Drained {
        void drained(String tenant, QueueDefinition queue);
    }
    private final Set<String> pendingTenants = ConcurrentHashMap.newKeySet();

    /** A dispatcher that claims only when told to (tools and tests): no backup claims for other nodes' callers. */
    public Dispatcher(Claims claims, Queues queues, LiveNodes nodes, OfferPlacer placer, Executor executor) {
        this(claims, queues, nodes, placer, executor, null, "");
    }

    /** {@code backups} schedules the backup claim for another node's new caller ({@link #onEvent}). */
    public Dispatcher(Claims claims, Queues queues, LiveNodes nodes, OfferPlacer placer, Executor executor,
            ScheduledExecutorService backups, String self) {
        this.claims = claims;
        this.queues = queues;
        this.nodes = nodes;
        this.placer = placer;
        this.executor = executor;
        this.backups = backups;
        this.self = self;
    }

    /**
     * A claim of a batch for {@code queue}, sent now so that it runs right behind a script already sent (a caller's
     * enqueue) in the same round trip; its grants go to {@link #claimed}.
     */
    Supplier<List<OfferGrant>> claimBehind(String tenant, QueueDefinition queue) {
        return claims.claimLater(tenant, queue, nodes.ids(), CLAIM_BATCH);
    }

    /**
     * Places the offers of a claim made outside the dispatcher ({@link #claimBehind}); a full batch may have left
     * more to claim, which the dispatcher then drains.
     */
    public void claimed(String tenant, String queue, List<OfferGrant> grants) {
        claimed(tenant, queue, grants, grant -> false);
    }

    /**
     * As {@link #claimed(String, String, List)}, but a grant {@code ringsItself} takes is rung by the caller of this
     * method (it returns true once it has), not handed to the placer.
     */
    public void claimed(String tenant, String queue, List<OfferGrant> grants, Predicate<OfferGrant> ringsItself) {
        for (OfferGrant grant : grants) {
            if (!ringsItself.test(grant)) {
                place(grant);
            }
        }
        if (grants.size() == CLAIM_BATCH) {
            queueChanged(tenant, queue);
        }
    }

    /** {@code listener} hears every drain that left nothing more to claim. */
    public void onDrained(Drained listener) {
        drainedListeners.add(listener);
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
     * Events from any node: a caller joined somewhere, an agent became available somewhere. The node that enqueued a
     * caller has claimed for it already ({@link Callers#enqueue}, or the queue call once its 200 OK is out); the
     * others claim as a backup
     * {@value #BACKUP_CLAIM_MILLIS} ms later, when the caller is normally offered and their claim finds nothing. The
     * backup is needed: the enqueuing node's view of the live nodes is up to a sweep old, so an agent on a node that
     * has just joined is offered only by a node that already counts it alive (AgentApiIT caught this when only the
     * enqueuing node claimed). Claiming on every node at once made two of three claims wasted work and half of the
     * offers cross over pub/sub to the caller's node. An agent becoming available is claimed for everywhere at once:
     * the claim script makes the concurrent attempts safe, and the first node to run it wins.
     */
    void onEvent(String tenant, LiveEvent event) {
        if (event.kind().equals("caller.enqueued")) {
            if (event.node().equals(self)) {
                return;
            }
            if (backups == null) {
                queueChanged(tenant, event.queue());
                return;
            }
            try {
                backups.schedule(() -> queueChanged(tenant, event.queue()), BACKUP_CLAIM_MILLIS,
                        TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException shuttingDown) {
                // the node is stopping
            }
        } else if (event.kind().equals("agent.state") && event.field("state").equals("available")) {
            agentsFreed(tenant);
        }
    }

    /** How long other nodes leave a new caller to the node that enqueued it before claiming too. */
    static final long BACKUP_CLAIM_MILLIS = 100;

    private void drain(String tenant, String number, String key) {
        pending.remove(key); // a change from now on schedules another drain
        try {
            Optional<QueueDefinition> queue = queues.find(tenant, number);
            if (queue.isEmpty()) {
                return;
            }
            for (int claimed = 0; claimed < MAX_CLAIMS_PER_DRAIN; ) {
                List<OfferGrant> grants = claims.claim(tenant, queue.get(), nodes.ids(), CLAIM_BATCH);
                grants.forEach(this::place);
                if (grants.size() < CLAIM_BATCH) {
                    drainedListeners.forEach(listener -> listener.drained(tenant, queue.get()));
                    return;
                }
                claimed += grants.size();
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
