package io.tandem.backend.queuecall;

import io.tandem.backend.acd.dispatch.Callers;
import io.tandem.backend.acd.queues.QueueDefinition;
import java.time.Duration;

/**
 * A caller's wait in one queue, as the queue defines it: the maximum wait (then the caller leaves for the overflow
 * destination), the position and wait announcements (first after a delay, then every so often), and the exit key
 * (the caller leaves for the exit destination). Which destination, and when, is decided here; what leaving or an
 * announcement does is the caller's. A new wait starts when the caller moves to another queue; guarded by the
 * caller's lock (the timers take it).
 */
final class QueueWait {

    /** What the wait asks of the caller. */
    interface Caller {
        boolean waiting();

        /** Leave the queue without an agent (EXITWITHKEY / EXITWITHTIMEOUT) for {@code destination}. */
        void leave(Callers.Exit exit, String key, Destination destination, String cause);

        /** Tell the caller what {@code what} says to (position, estimated wait). */
        void announce(QueueDefinition.Announcements what);
    }

    private final QueueDefinition queue;
    private final Timers timers;
    private final Caller caller;
    private final Object lock;
    private final AnnouncementTimes announcements;
    private Timers.Timer maxWait;
    private Timers.Timer park;
    private boolean stopped;

    QueueWait(QueueDefinition queue, Timers timers, Caller caller, Object lock) {
        this.queue = queue;
        this.timers = timers;
        this.caller = caller;
        this.lock = lock;
        this.announcements = new AnnouncementTimes(queue.announcements(), timers, lock, caller::waiting,
                () -> caller.announce(queue.announcements()));
    }

    /**
     * Arms the maximum wait (0 = none), the wait after which the caller is parked (when the queue parks after a
     * wait) and the first announcement (when the queue makes any).
     */
    void start() {
        QueueDefinition.Park parking = queue.park();
        if (parking.enabled() && parking.afterSeconds() > 0) {
            park = timers.after(Duration.ofSeconds(parking.afterSeconds()), this::parkAfterWait);
        }
        if (queue.maxWaitSeconds() > 0) {
            maxWait = timers.after(Duration.ofSeconds(queue.maxWaitSeconds()), this::maxWaitReached);
        }
        announcements.start(Duration.ZERO);
    }

    /** An RFC 4733 digit from the caller: the queue's exit key leaves for the exit destination. */
    void digit(char digit) {
        if (stopped || !caller.waiting() || queue.exitKey().isEmpty() || queue.exitKey().charAt(0) != digit) {
            return;
        }
        if (queue.park().enabled() && queue.park().onExitKey()) {
            caller.leave(Callers.Exit.PARK, String.valueOf(digit), new Destination.Park("key"), "park");
            return;
        }
        caller.leave(Callers.Exit.EXIT_KEY, String.valueOf(digit), Destination.of(queue.exitDestination()),
                "exit-key");
    }

    /** The wait is over (connected, left, moved to another queue, ended): nothing more fires. */
    void stop() {
        stopped = true;
        if (maxWait != null) {
            maxWait.cancel();
        }
        announcements.stop();
        if (park != null) {
            park.cancel();
        }
    }

    private void parkAfterWait() {
        synchronized (lock) {
            if (!stopped && caller.waiting()) {
                caller.leave(Callers.Exit.PARK, "", new Destination.Park("wait"), "park");
            }
        }
    }

    private void maxWaitReached() {
        synchronized (lock) {
            if (!stopped && caller.waiting()) {
                caller.leave(Callers.Exit.TIMEOUT, "", Destination.of(queue.overflow()), "timeout");
            }
        }
    }
}
