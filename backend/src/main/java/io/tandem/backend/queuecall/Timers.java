package io.tandem.backend.queuecall;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a task later unless it is cancelled first: the timers of a queue call, behind an interface so its state
 * machine is driven on fake time in a unit test and on the node's timer thread in production.
 */
interface Timers {

    /** A task that is due; cancelling a task that already ran does nothing. */
    interface Timer {
        void cancel();
    }

    Timer after(Duration delay, Runnable task);

    /** Timers on a scheduled executor (the node's queue-call timer thread). */
    static Timers on(ScheduledExecutorService executor) {
        return (delay, task) -> {
            ScheduledFuture<?> future = executor.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
            return () -> future.cancel(false);
        };
    }
}
