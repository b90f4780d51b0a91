package io.tandem.backend.queuecall;

import io.tandem.backend.acd.dispatch.Callers;
import io.tandem.backend.acd.dispatch.Claims;
import io.tandem.backend.acd.dispatch.OfferGrant;
import io.tandem.backend.acd.queues.QueueDefinition;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One caller's place in the cluster-wide queues, through the {@link Acd}: joining (at the door, or moving to another
 * queue with its priority, skills and data), leaving (the queue log's ABANDON, EXITWITHKEY, EXITWITHTIMEOUT), its
 * position and estimated wait, and what the claim scripts hear of the offers rung for it.
 */
final class QueueSeat implements WaitingCaller.Seat, Departure.Seat {

    /** Where the caller stands in its queue, as every node would say it. */
    record Position(int position, Duration estimatedWait) {
    }

    private final Acd acd;
    private final QueueCallThreads threads;
    private final CallingParty party;
    /** Priority, skills and custom data a trusted source gave in the INVITE; kept when moving to another queue. */
    private final CallerDetails details;
    /** When the caller first joined a queue (epoch ms), read as it left for a room; 0 until then. */
    private long parkedPlace;

    QueueSeat(Acd acd, QueueCallThreads threads, CallingParty party, CallerDetails details) {
        this.acd = acd;
        this.threads = threads;
        this.party = party;
        this.details = details;
    }

    @Override
    public CallingParty party() {
        return party;
    }

    @Override
    public CallerDetails details() {
        return details;
    }

    /** The caller's first join, at the door of {@code queue}: a position, or why it was refused. */
    Callers.Joined join(QueueDefinition queue) {
        return acd.callers().join(party.tenant(), queue, party.callId(), party.number(), party.name(),
                details.priority(), details.skills(), details.data());
    }

    @Override
    public Optional<QueueDefinition> join(Destination.Queue to) {
        Optional<QueueDefinition> next = acd.queues().find(party.tenant(), to.number());
        if (next.isEmpty()) {
            return next;
        }
        Callers.Joined joined = acd.callers().enqueue(party.tenant(), next.get().number(), party.callId(),
                party.number(), party.name(), details.priority(), details.skills(), details.data());
        return joined.ok() ? next : Optional.empty();
    }

    /** When the parked caller first joined a queue (epoch ms); now when it was never read. */
    long parkedPlace() {
        return parkedPlace > 0 ? parkedPlace : threads.clock().millis();
    }

    /**
     * An agent joined the parked caller's room: on call for {@code queue} (CONNECT marked as a callback). False when
     * {@code agentId} is no logged-in agent (an app user, a logged-out agent) or is busy: its state is left alone.
     */
    boolean callbackConnected(QueueDefinition queue, String agentId, String roomId) {
        return acd.claims().callbackConnected(party.tenant(), queue.number(), agentId, party.callId(), parkedPlace(),
                roomId);
    }

    /** The caller's position in {@code queue} and its estimated wait; empty once it is not waiting there. */
    Optional<Position> position(QueueDefinition queue) {
        return acd.callers().find(party.tenant(), queue.number(), party.callId()).map(entry -> new Position(
                entry.position(), acd.callers().estimatedWait(party.tenant(), queue.number(), entry.position(),
                        threads.clock().instant())));
    }

    /** A parked caller's {@code position} among its queue's parked callers and the wait that place means. */
    Position parkedPosition(QueueDefinition queue, int position) {
        return new Position(position, acd.callers().estimatedWait(party.tenant(), queue.number(), position,
                threads.clock().instant()));
    }

    @Override
    public void leave(String queue, Callers.Exit exit, String key, String destination) {
        if (exit == Callers.Exit.PARK) {
            // the caller's hash goes with the leave: its place (a later ticket keeps it) is read first
            parkedPlace = acd.callers().find(party.tenant(), queue, party.callId())
                    .map(entry -> entry.enqueuedAt().toEpochMilli()).orElse(threads.clock().millis());
        }
        acd.callers().leave(party.tenant(), queue, party.callId(), exit, key, destination);
    }

    @Override
    public void release(QueueDefinition queue, OfferGrant grant, String why) {
        acd.claims().release(party.tenant(), queue, grant.offerId(), why);
    }

    @Override
    public RingingOffer.Reports reports(QueueDefinition queue, OfferGrant grant) {
        Claims claims = acd.claims();
        String tenant = party.tenant();
        return new RingingOffer.Reports() {
            @Override
            public Claims.Answer accept(String agentId, long version) {
                return claims.accept(tenant, queue, grant.offerId(), agentId, version);
            }

            @Override
            public String noAnswer(String agentId) {
                return claims.noAnswer(tenant, queue, grant.offerId(), agentId);
            }

            @Override
            public String unreachable(String agentId) {
                return claims.noAnswer(tenant, queue, grant.offerId(), agentId, Claims.Miss.UNREACHABLE);
            }
        };
    }

    @Override
    public boolean anyMemberAvailable(QueueDefinition queue) {
        return acd.queues().availableMembers(party.tenant(), queue.number()) > 0;
    }

    /** A claim is asked for once the queue's retry delay is over. */
    @Override
    public void offerAgainLater(QueueDefinition queue) {
        threads.timers().schedule(() -> acd.dispatcher().queueChanged(party.tenant(), queue.number()),
                queue.retryDelaySeconds() * 1000L + 50, TimeUnit.MILLISECONDS);
    }
}
