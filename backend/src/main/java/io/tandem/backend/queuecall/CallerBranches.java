package io.tandem.backend.queuecall;

import io.tandem.backend.acd.OfferGrant;
import io.tandem.backend.routing.Route;
import java.util.ArrayList;
import java.util.List;

/**
 * The legs one caller placed (agents for its offers, the overflow extension), until the call ends: each rung through
 * the node's {@link OutgoingLegs}, the first offer INVITE timed from the caller's join. Guarded by the call's lock.
 */
final class CallerBranches implements RingingOffer.Lines {

    private final QueueCall call;
    private final OutgoingLegs legs;
    private final List<AgentBranch> branches = new ArrayList<>();
    /** When the caller joined (System.nanoTime), until its first offer rang someone; 0 after. */
    private long enqueuedNanos;

    CallerBranches(QueueCall call, OutgoingLegs legs) {
        this.call = call;
        this.legs = legs;
    }

    /** The caller joined: the dispatch latency runs until the first offer INVITE is out. */
    void joined() {
        enqueuedNanos = System.nanoTime();
    }

    @Override
    public AgentBranch ring(OfferGrant grant, OfferGrant.Reservation reservation, Route.Target target) {
        AgentBranch branch = legs.ring(call, grant, reservation, target);
        if (branch != null) {
            branches.add(branch);
            if (enqueuedNanos != 0) {
                legs.dispatched(enqueuedNanos);
                enqueuedNanos = 0;
            }
        }
        return branch;
    }

    @Override
    public void release(AgentBranch branch) {
        legs.drop(branch, false);
    }

    /** A leg placed for the caller outside an offer (the overflow extension). */
    void add(AgentBranch leg) {
        branches.add(leg);
    }

    /** The call ended: every leg's stream closes; a leg with its final response is forgotten. */
    void end() {
        for (AgentBranch branch : branches) {
            branch.stream.close();
            if (branch.branch.isFinal()) {
                legs.forget(branch);
            }
        }
    }

    /** The node stops: every leg's stream closes. */
    void close() {
        branches.forEach(b -> b.stream.close());
    }
}
