package io.tandem.backend.queuecall;

import io.tandem.backend.acd.Callers;
import io.tandem.backend.acd.Claims;
import io.tandem.backend.acd.OfferGrant;
import io.tandem.backend.acd.QueueDefinition;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One caller's place in the cluster-wide queues, through the {@link Acd}: joining (at the door, or moving to another
 * queue with its priority, skills and data), leaving (the queue log's ABANDON, EXITWITHKEY, EXITWITHTIMEOUT), its
 * position and estimated wait, and what the claim scripts hear of the offers rung for it.
 */
final class QueueSeat implements WaitingCaller.Seat {

    /** Where the caller stands in its queue, as every node would say it. */
    record Position(int position, Duration estimatedWait) {
    }

    private final Acd acd;
    private final ScheduledExecutorService timers;
    private final Clock clock;
    private final String tenant;
    private final String callId;
    private final String number;
    private final String name;
    private final CallerDetails details;

    QueueSeat(Acd acd, ScheduledExecutorService timers, Clock clock, String tenant, String callId, String number,
            String name, CallerDetails details) {
        this.acd = acd;
        this.timers = timers;
        this.clock = clock;
        this.tenant = tenant;
        this.callId = callId;
        this.number = number;
        this.name = name;
        this.details = details;
    }

    /** The caller's first join, at the door of {@code queue}: a position, or why it was refused. */
    Callers.Joined join(QueueDefinition queue) {
        return acd.callers().join(tenant, queue, callId, number, name, details.priority(), details.skills(),
                details.data());
    }

    /** Joins another queue of the tenant; empty when there is no such queue or it refused the caller. */
    Optional<QueueDefinition> join(Destination.Queue to) {
        Optional<QueueDefinition> next = acd.queues().find(tenant, to.number());
        if (next.isEmpty()) {
            return next;
        }
        Callers.Joined joined = acd.callers().enqueue(tenant, next.get().number(), callId, number, name,
                details.priority(), details.skills(), details.data());
        return joined.ok() ? next : Optional.empty();
    }

    /** The caller's position in {@code queue} and its estimated wait; empty once it is not waiting there. */
    Optional<Position> position(QueueDefinition queue) {
        return acd.callers().find(tenant, queue.number(), callId).map(entry -> new Position(entry.position(),
                acd.callers().estimatedWait(tenant, queue.number(), entry.position(), clock.instant())));
    }

    @Override
    public void leave(String queue, Callers.Exit exit, String key, String destination) {
        acd.callers().leave(tenant, queue, callId, exit, key, destination);
    }

    @Override
    public void release(QueueDefinition queue, OfferGrant grant, String why) {
        acd.claims().release(tenant, queue, grant.offerId(), why);
    }

    @Override
    public RingingOffer.Reports reports(QueueDefinition queue, OfferGrant grant) {
        Claims claims = acd.claims();
        return new RingingOffer.Reports() {
            @Override
            public Claims.Answer accept(String agentId, long version) {
                return claims.accept(tenant, queue, grant.offerId(), agentId, version);
            }

            @Override
            public String noAnswer(String agentId) {
                return claims.noAnswer(tenant, queue, grant.offerId(), agentId);
            }
        };
    }

    /** A claim is asked for once the queue's retry delay is over. */
    @Override
    public void offerAgainLater(QueueDefinition queue) {
        timers.schedule(() -> acd.dispatcher().queueChanged(tenant, queue.number()),
                queue.retryDelaySeconds() * 1000L + 50, TimeUnit.MILLISECONDS);
    }
}
