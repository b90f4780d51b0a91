package io.tandem.backend.queuecall;

import io.tandem.backend.acd.dispatch.OfferGrant;
import io.tandem.backend.acd.dispatch.OfferPlacer;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.Redis;
import io.tandem.backend.redis.Subscription;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The ACD's offer placer with the SIP side present. Any node may claim an offer, but only the node holding the
 * caller's media can ring the agents and bridge the answer: an offer for a caller of this node is placed here; one
 * for a caller of another node is published on that node's offer channel (Redis pub/sub), which every node
 * subscribes to for itself. The claim script publishes it as it claims ({@link OfferGrant#delivered}); this node
 * publishes what the script could not (no subscriber then, or a claim that waits for the replicas first). An offer
 * that reaches no subscriber is released at once rather than left to its lease.
 */
final class QueueOfferPlacer implements OfferPlacer, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(QueueOfferPlacer.class);

    private final Redis redis;
    private final String nodeId;
    private final Supplier<QueueCalls> calls;
    private volatile Subscription subscription;

    QueueOfferPlacer(Redis redis, String nodeId, Supplier<QueueCalls> calls) {
        this.redis = redis;
        this.nodeId = nodeId;
        this.calls = calls;
    }

    @Override
    public void place(OfferGrant grant) {
        if (grant.callerNode().equals(nodeId)) {
            calls.get().place(grant);
            return;
        }
        if (grant.delivered()) {
            return; // the claim script published it and the caller's node has it
        }
        Long receivers = redis.commands().publish(Keys.nodeOffers(grant.callerNode()), grant.toWire());
        if (receivers == null || receivers == 0) {
            log.info("offer {}: caller's node {} does not listen; released", grant.offerId(), grant.callerNode());
            calls.get().release(grant, "caller-node-unreachable");
        }
    }

    private void received(String message) {
        try {
            calls.get().place(OfferGrant.fromWire(message));
        } catch (RuntimeException e) {
            log.warn("unreadable offer on {}: {}", Keys.nodeOffers(nodeId), e.getMessage());
        }
    }

    @Override
    public void start() {
        // place() hands off to the placer executor at once
        subscription = Subscription.to(redis, Keys.nodeOffers(nodeId), this::received);
    }

    @Override
    public void stop() {
        Subscription open = subscription;
        subscription = null;
        if (open != null) {
            open.close();
        }
    }

    @Override
    public boolean isRunning() {
        return subscription != null;
    }
}
