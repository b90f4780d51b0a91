package io.tandem.backend.queuecall;

import io.tandem.backend.acd.queues.QueueDefinition;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * When a caller is told its position and estimated wait, as its queue says: first after {@code firstAfterSeconds},
 * then every {@code everySeconds} (0 = once), while the caller still waits. A queue caller ({@link QueueWait}) and a
 * parked caller ({@link ParkedCaller}) are told on the same times; what the announcement says is theirs. Guarded by
 * the caller's lock (the timers take it).
 */
final class AnnouncementTimes {

    private final QueueDefinition.Announcements times;
    private final Timers timers;
    private final Object lock;
    private final BooleanSupplier waiting;
    private final Runnable announce;
    private Timers.Timer next;
    private boolean stopped;

    /**
     * @param waiting  whether the caller still waits when an announcement is due (checked under {@code lock})
     * @param announce tells the caller (called under {@code lock})
     */
    AnnouncementTimes(QueueDefinition.Announcements times, Timers timers, Object lock, BooleanSupplier waiting,
            Runnable announce) {
        this.times = times;
        this.timers = timers;
        this.lock = lock;
        this.waiting = waiting;
        this.announce = announce;
    }

    /**
     * Arms the first announcement, not sooner than {@code notBefore} (a prompt the caller hears first), when the
     * queue makes any.
     */
    void start(Duration notBefore) {
        if (times.position() || times.estimatedWait()) {
            Duration first = Duration.ofSeconds(times.firstAfterSeconds());
            next = timers.after(first.compareTo(notBefore) < 0 ? notBefore : first, this::due);
        }
    }

    /** The wait is over: nothing more is announced. */
    void stop() {
        stopped = true;
        if (next != null) {
            next.cancel();
        }
    }

    private void due() {
        synchronized (lock) {
            if (stopped || !waiting.getAsBoolean()) {
                return;
            }
            announce.run();
            if (times.everySeconds() > 0) {
                next = timers.after(Duration.ofSeconds(times.everySeconds()), this::due);
            }
        }
    }
}
