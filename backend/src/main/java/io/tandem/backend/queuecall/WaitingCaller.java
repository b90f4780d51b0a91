package io.tandem.backend.queuecall;

import io.tandem.backend.acd.dispatch.Callers;
import io.tandem.backend.acd.dispatch.OfferGrant;
import io.tandem.backend.acd.queues.QueueDefinition;
import io.tandem.backend.node.sip.OutgoingBranch;
import io.tandem.backend.routing.Route;
import io.tandem.telephony.sdp.NegotiatedMedia;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * A queue caller while it waits for an agent: its wait in the current queue ({@link QueueWait}) and the offers rung
 * for it ({@link RingingOffer}, one at a time; earlier ones are kept so a late response finds its own). Decides what
 * the caller hanging up, the ACD and the timers mean for the wait, and tells the cluster-wide queue through its
 * {@link Seat}; what the call does with the outcome (bridge the agent, go to a destination, announce) is its
 * {@link Call}'s. Guarded by the call's lock.
 */
final class WaitingCaller {

    /** The caller's place in the cluster-wide queue (the claim scripts, through Callers and Claims). */
    interface Seat {
        /**
         * Leaves {@code queue} without an agent (ABANDON, EXITWITHKEY, EXITWITHTIMEOUT, VANISHED), naming where to;
         * {@code key} is the exit key, or why the caller vanished.
         */
        void leave(String queue, Callers.Exit exit, String key, String destination);

        /** Ends an offer nobody will ring. */
        void release(QueueDefinition queue, OfferGrant grant, String why);

        /** What the claim scripts hear of an offer of {@code queue}. */
        RingingOffer.Reports reports(QueueDefinition queue, OfferGrant grant);

        /** The caller may be offered again after the queue's retry delay: ask for a claim then. */
        void offerAgainLater(QueueDefinition queue);

        /** Whether any member of {@code queue} is available now (the cluster-wide available set). */
        boolean anyMemberAvailable(QueueDefinition queue);
    }

    /** The call the caller is on. */
    interface Call {
        boolean waiting();

        /** An agent won the offer: bridge the caller to {@code branch}. */
        void connect(AgentBranch branch, NegotiatedMedia media);

        /** The caller left its queue (the seat already knows) for {@code destination}. */
        void leaveFor(Callers.Exit exit, Destination destination, String cause);

        void announce(QueueDefinition.Announcements what);
    }

    private final Seat seat;
    private final Call call;
    private final RingingOffer.Lines lines;
    private final Timers timers;
    private final Object lock;
    private QueueDefinition queue;
    private QueueWait wait;
    /** The offer ringing now, if any. */
    private RingingOffer current;
    private final List<RingingOffer> offers = new ArrayList<>();

    WaitingCaller(QueueDefinition queue, Seat seat, Call call, RingingOffer.Lines lines, Timers timers,
            Object lock) {
        this.queue = queue;
        this.seat = seat;
        this.call = call;
        this.lines = lines;
        this.timers = timers;
        this.lock = lock;
    }

    /** The caller's queue is {@code next} now (a door that refused it sent it on, or it left for it). */
    void moveTo(QueueDefinition next) {
        queue = next;
    }

    /**
     * The connected caller was transferred to {@code next} by its agent: it waits there as if it had just joined
     * (the offer its agent answered is over, so new ones are rung).
     */
    void waitAgain(QueueDefinition next) {
        current = null;
        moveTo(next);
        startWaiting();
    }

    /** The wait in the caller's queue starts (it was answered, or moved on): the previous one stops. */
    void startWaiting() {
        stop();
        wait = new QueueWait(queue, timers, waitCaller, lock);
        wait.start();
    }

    /** An offer claimed for this caller, with the agents' routes: rung, unless the caller is past it. */
    void place(OfferGrant grant, Map<String, Route> routes) {
        if (!call.waiting() || current != null) {
            // the caller left (or connected) since the claim; Callers.leave already ended a ringing offer
            seat.release(queue, grant, call.waiting() ? "busy" : "caller-gone");
            return;
        }
        current = new RingingOffer(grant, Duration.ofSeconds(queue.ringTimeoutSeconds()),
                seat.reports(queue, grant), lines, offerCaller, timers, lock);
        offers.add(current);
        current.ring(routes);
    }

    /** What an agent branch's INVITE came to; {@code sdp} the 2xx's body. */
    void onStep(AgentBranch branch, OutgoingBranch.Step step, String sdp) {
        RingingOffer of = offers.stream().filter(o -> o.owns(branch)).findFirst().orElse(null);
        if (of == null) {
            return;
        }
        switch (step) {
            case ANSWERED -> of.answered(branch, sdp);
            case ENDED -> of.ended(branch);
            default -> {
            }
        }
    }

    /** The ACD ended the ringing offer behind our back; the script already put the caller back in its place. */
    void offerEnded(String offerId, String reason) {
        if (call.waiting() && current != null && current.offerId().equals(offerId)) {
            current.endedByAcd(reason);
        }
    }

    /** An RFC 4733 digit from the caller. */
    void digit(char digit) {
        if (wait != null) {
            wait.digit(digit);
        }
    }

    /**
     * The one decision of a queue that parks callers nobody can take ({@code park.whenNoAgent}): when the caller
     * waits, no offer rings for it and {@code nobodyAvailable} says no member can take it, it leaves for a room now
     * (and the callback service wakes the sleeping members). Asked when the caller arrives (the claim behind its join
     * found no agent for it), when an offer ends without an agent (the last available agent missed it or could not
     * be reached), and on the dispatcher's periodic drain, so a caller is not left waiting for members who are all
     * gone. True when the caller left for a room.
     */
    boolean parkIfNobodyAvailable(BooleanSupplier nobodyAvailable) {
        QueueDefinition.Park parking = queue.park();
        if (!parking.enabled() || !parking.whenNoAgent() || !call.waiting() || current != null
                || !nobodyAvailable.getAsBoolean()) {
            return false;
        }
        leave(Callers.Exit.PARK, "", new Destination.Park("no-agent"), "park");
        return true;
    }

    /**
     * As {@link #parkIfNobodyAvailable(BooleanSupplier)}, asking the cluster-wide available set; only once the wait
     * has started (a caller still being answered is decided on by its arrival).
     */
    boolean parkIfNobodyAvailable() {
        return wait != null && parkIfNobodyAvailable(() -> !seat.anyMemberAvailable(queue));
    }

    /** The caller hung up while it waited: what rings is cancelled, ABANDON recorded. */
    void hungUp() {
        withdraw();
        seat.leave(queue.number(), Callers.Exit.ABANDON, "", "");
    }

    /**
     * The caller's phone is gone without a BYE ({@code why}: {@code no-ack}, {@code silent}, {@code dialog-gone}):
     * what rings is cancelled, VANISHED recorded, not ABANDON — the caller did not hang up.
     */
    void vanished(String why) {
        withdraw();
        seat.leave(queue.number(), Callers.Exit.VANISHED, why, "");
    }

    /** The wait is over (connected, gone to a destination, ended): its timers stop. */
    void stop() {
        if (wait != null) {
            wait.stop();
        }
    }

    /** Every offer stops ringing; nothing more is reported for them. */
    private void withdraw() {
        offers.forEach(RingingOffer::withdraw);
        current = null;
        stop();
    }

    private void leave(Callers.Exit exit, String key, Destination destination, String cause) {
        withdraw();
        seat.leave(queue.number(), exit, key, destination.wire());
        call.leaveFor(exit, destination, cause);
    }

    /** An offer ended without an agent: parked when nobody is left to take the caller, else offered again. */
    private void afterOffer() {
        synchronized (lock) {
            if (call.waiting() && current == null && !parkIfNobodyAvailable()) {
                seat.offerAgainLater(queue);
            }
        }
    }

    private final QueueWait.Caller waitCaller = new QueueWait.Caller() {
        @Override
        public boolean waiting() {
            return call.waiting();
        }

        @Override
        public void leave(Callers.Exit exit, String key, Destination destination, String cause) {
            WaitingCaller.this.leave(exit, key, destination, cause);
        }

        @Override
        public void announce(QueueDefinition.Announcements what) {
            call.announce(what);
        }
    };

    private final RingingOffer.Caller offerCaller = new RingingOffer.Caller() {
        @Override
        public boolean waiting() {
            return call.waiting();
        }

        @Override
        public void connect(RingingOffer won, AgentBranch branch, NegotiatedMedia media) {
            for (RingingOffer other : offers) {
                if (other != won) {
                    other.withdraw(); // a branch of an earlier offer may still ring (an agent with two phones)
                }
            }
            stop();
            call.connect(branch, media);
        }

        @Override
        public void over(RingingOffer ended) {
            if (ended == current) {
                current = null;
                if (call.waiting()) {
                    // Not here: an offer can end inside place() while the caller is still being answered; the
                    // timer runs once the call's lock is free.
                    timers.after(Duration.ZERO, WaitingCaller.this::afterOffer);
                }
            }
        }
    };
}
