package io.tandem.backend.queuecall;

import io.tandem.backend.acd.dispatch.CallbackRequests;
import io.tandem.backend.acd.dispatch.Callers;
import io.tandem.backend.acd.queues.QueueDefinition;
import io.tandem.backend.node.sip.OutgoingBranch;
import io.tandem.telephony.media.MediaSource;
import io.tandem.telephony.sdp.NegotiatedMedia;
import java.time.Duration;
import java.util.Optional;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A caller leaving its queue without an agent for a {@link Destination}: at the door (a full queue, or one with
 * nobody to answer, that overflows) or after waiting (the exit key, the maximum wait). One method per kind of
 * destination: another queue (the caller keeps its call and music on this node and waits there), an extension (put
 * through from here, the music plays until it answers), a callback request (confirmed, then BYE), nowhere (BYE).
 * As the extension leg's {@link ExtensionLeg.Outcome} it puts the caller through or, when the extension cannot be
 * reached, falls back to a callback request or an apology. Guarded by the call's lock.
 */
final class Departure implements ExtensionLeg.Outcome {

    private static final Logger log = LoggerFactory.getLogger(Departure.class);

    /** What leaving asks of the call; the call's monitor guards its departure (the goodbye timer takes it). */
    interface Call {
        QueueDefinition queue();

        /** A door sent the caller on to {@code next}, which it joined; it will wait there once answered. */
        void sentOn(QueueDefinition next);

        /** The caller joined {@code next} after waiting elsewhere: it waits there now, with that queue's music. */
        void waitIn(QueueDefinition next);

        /** The caller is out of every queue and its wait is over: LEAVING. */
        void leaving();

        boolean isLeaving();

        /** The queue's music plays to the caller. */
        void playMusic();

        void hear(MediaSource source);

        /** The extension answered: the caller is put through. */
        void connectExtension(AgentBranch leg, NegotiatedMedia media);

        /** BYE to the caller; the call ends for {@code cause}. */
        void hangUp(String cause);

        /** How long the caller has been with us. */
        Duration waited();

        /** The caller left its queue for a room on this node ({@code reason}: no-agent, key, wait). */
        void park(String reason);
    }

    /** The caller's place in the queues, as leaving needs it ({@link QueueSeat}). */
    interface Seat {
        CallingParty party();

        CallerDetails details();

        /** Joins another queue of the tenant; empty when there is no such queue or it refused the caller. */
        Optional<QueueDefinition> join(Destination.Queue to);
    }

    private final Call call;
    private final Seat seat;
    private final Overflow overflow;
    private final CallerBranches lines;
    private final Timers timers;
    /** The record's cause once LEAVING. */
    private String cause;
    /** The caller being put through to an overflow extension (LEAVING until it answers). */
    private ExtensionLeg extension;

    Departure(Call call, Seat seat, Overflow overflow, CallerBranches lines, Timers timers) {
        this.call = call;
        this.seat = seat;
        this.overflow = overflow;
        this.lines = lines;
        this.timers = timers;
    }

    /** Why the caller is LEAVING, for its record. */
    String cause() {
        return cause;
    }

    /**
     * A full queue or one with nobody to answer, whose overflow is set (FULL / JOINEMPTY are already in the queue
     * log): to another queue (true: the caller joined it) or to a callback or an extension (true, LEAVING). False:
     * another refusal, or no usable destination; the door's refusal stands.
     */
    boolean atTheDoor(Callers.Joined refused) {
        if (refused.refused() != Callers.Refused.QUEUE_FULL && refused.refused() != Callers.Refused.QUEUE_EMPTY) {
            return false;
        }
        QueueDefinition queue = call.queue();
        if (refused.refused() == Callers.Refused.QUEUE_EMPTY && queue.park().enabled()
                && queue.park().whenNoAgent()) {
            // nobody logged in to answer: a queue that parks takes the caller into a room instead
            call.leaving();
            cause = "park";
            return true;
        }
        Destination destination = Destination.of(queue.overflow());
        if (destination instanceof Destination.Queue to) {
            Optional<QueueDefinition> next = to.number().equals(queue.number()) ? Optional.empty() : seat.join(to);
            if (next.isPresent()) {
                log.info("queue call {}: {} refused it ({}), overflows to queue {}", seat.party().callId(),
                        queue.number(), refused.refused(), next.get().number());
                call.sentOn(next.get());
            }
            return next.isPresent();
        }
        if (destination instanceof Destination.Callback || destination instanceof Destination.Extension) {
            call.leaving();
            cause = destination instanceof Destination.Callback ? "callback"
                    : refused.refused() == Callers.Refused.QUEUE_FULL ? "full" : "join-empty";
            return true;
        }
        return false;
    }

    /** The caller a door sent on to an extension or a callback is answered: put through, or told goodbye. */
    void afterTheDoor(Callers.Refused refused) {
        QueueDefinition queue = call.queue();
        if ("park".equals(cause)) {
            call.park("no-agent");
            return;
        }
        if (Destination.of(queue.overflow()) instanceof Destination.Extension to) {
            call.playMusic();
            putThrough(to);
            return;
        }
        sayGoodbye(overflow.callback(seat.party(), queue.number(), seat.details(), Duration.ZERO,
                refused == Callers.Refused.QUEUE_FULL ? CallbackRequests.Cause.FULL : CallbackRequests.Cause.EMPTY));
    }

    /** The caller left its queue after waiting (EXITWITHKEY / EXITWITHTIMEOUT; the seat already knows). */
    void leaveFor(Callers.Exit exit, Destination destination, String why) {
        if (destination instanceof Destination.Queue to) {
            toQueue(to, why);
        } else if (destination instanceof Destination.Extension to) {
            toExtension(to, why);
        } else if (destination instanceof Destination.Callback) {
            toCallback(exit);
        } else if (destination instanceof Destination.Park to) {
            call.park(to.reason());
        } else {
            call.hangUp(why);
        }
    }

    /**
     * The connected caller's agent transferred it to an extension (REFER): LEAVING until it answers, then put
     * through as an overflow's caller is; unreachable → the apology and BYE.
     */
    void transferTo(Destination.Extension to) {
        toExtension(to, "transferred");
    }

    /** Another queue: the caller waits there; a queue that does not exist or refuses it ends the call. */
    private void toQueue(Destination.Queue to, String why) {
        Optional<QueueDefinition> next = seat.join(to);
        if (next.isEmpty()) {
            call.hangUp(why);
            return;
        }
        log.info("queue call {} left {} ({}) for queue {}", seat.party().callId(), call.queue().number(), why,
                next.get().number());
        call.waitIn(next.get());
    }

    private void toExtension(Destination.Extension to, String why) {
        call.leaving();
        cause = why;
        putThrough(to);
    }

    private void toCallback(Callers.Exit exit) {
        call.leaving();
        cause = "callback";
        sayGoodbye(overflow.callback(seat.party(), call.queue().number(), seat.details(), call.waited(),
                exit == Callers.Exit.EXIT_KEY ? CallbackRequests.Cause.KEY : CallbackRequests.Cause.TIMEOUT));
    }

    /** Puts the (answered) caller through to an extension ({@link ExtensionLeg}); the music plays until it answers. */
    private void putThrough(Destination.Extension to) {
        extension = new ExtensionLeg(lines, timers, to, this);
        AgentBranch leg = extension.dial(call.queue().ringTimeoutSeconds());
        if (leg != null) {
            CallingParty who = seat.party();
            log.info("queue call {} from {} put through from {} to extension {}", who.callId(), who.number(),
                    call.queue().number(), to.number());
        }
    }

    /** What the extension's INVITE came to; {@code response} null on a timeout. */
    void onStep(AgentBranch leg, OutgoingBranch.Step step, Response response) {
        extension.onStep(leg, step, response);
    }

    /** The caller hung up (or never ACKed) while LEAVING: the extension, if it rings, is CANCELled. */
    void callerGone() {
        if (extension != null) {
            extension.cancel();
        }
    }

    /** Plays the goodbye (callback confirmation, apology) and hangs up once it has been heard. */
    private void sayGoodbye(Goodbye goodbye) {
        call.hear(goodbye.source());
        goodbye.afterHeard(timers, this::goodbyeSaid);
    }

    private void goodbyeSaid() {
        synchronized (call) {
            if (call.isLeaving()) {
                call.hangUp(cause);
            }
        }
    }

    @Override
    public boolean callerWaits() {
        return call.isLeaving();
    }

    @Override
    public void answered(AgentBranch leg, NegotiatedMedia media) {
        call.connectExtension(leg, media);
    }

    /** 404/480/486/no answer from the overflow extension: a callback request when the destination allows. */
    @Override
    public void failed(int status) {
        Destination.Extension to = extension.destination;
        CallingParty who = seat.party();
        log.info("queue call {} from {}: extension {} not reached ({}); {}", who.callId(), who.number(), to.number(),
                status, to.orCallback() ? "callback request" : "goodbye");
        if (to.orCallback()) {
            cause = "callback";
            sayGoodbye(overflow.callback(who, call.queue().number(), seat.details(), call.waited(),
                    CallbackRequests.Cause.UNREACHABLE));
        } else {
            cause = "unreachable";
            sayGoodbye(overflow.sorry());
        }
    }
}
