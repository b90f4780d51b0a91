package io.tandem.backend.queuecall;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Fake time for a queue call's {@link Timers}: tasks run when {@link #advance} passes their due time, in order. */
final class ManualTimers implements Timers {

    private static final class Task {
        final long due;
        final Runnable run;
        boolean cancelled;

        Task(long due, Runnable run) {
            this.due = due;
            this.run = run;
        }
    }

    private final List<Task> tasks = new ArrayList<>();
    private long now;

    @Override
    public Timer after(Duration delay, Runnable task) {
        Task t = new Task(now + delay.toMillis(), task);
        tasks.add(t);
        return () -> t.cancelled = true;
    }

    /** Moves time on by {@code by}, running every task due by then (a task may arm the next one). */
    void advance(Duration by) {
        long until = now + by.toMillis();
        while (true) {
            Task next = tasks.stream().filter(t -> t.due <= until).min(Comparator.comparingLong(t -> t.due))
                    .orElse(null);
            if (next == null) {
                break;
            }
            tasks.remove(next);
            now = next.due;
            if (!next.cancelled) {
                next.run.run();
            }
        }
        now = until;
    }

    /** Tasks armed and neither run nor cancelled. */
    long pending() {
        return tasks.stream().filter(t -> !t.cancelled).count();
    }
}
