package io.tandem.telephony.rtp;

import io.tandem.telephony.media.AudioFrames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The 20 ms heartbeat of all streams of one factory, on a {@link TickSchedule}: absolute
 * deadlines, so wake-up latency never accumulates into drift, and when the thread falls more
 * than one tick behind (GC pause, overloaded machine) the missed ticks are skipped, not
 * replayed in a burst; each stream's RTP timestamp moves on by the time that passed.
 */
final class MediaClock implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(MediaClock.class);
    static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(AudioFrames.FRAME_MILLIS);

    private final CopyOnWriteArrayList<RtpMediaStream> streams = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long skippedTicks;
    private volatile long ticks;

    MediaClock(String name) {
        thread = new Thread(this, name);
        thread.setDaemon(true);
        thread.setPriority(Thread.MAX_PRIORITY);
        thread.start();
    }

    void add(RtpMediaStream stream) {
        streams.addIfAbsent(stream);
    }

    void remove(RtpMediaStream stream) {
        streams.remove(stream);
    }

    long ticks() {
        return ticks;
    }

    long skippedTicks() {
        return skippedTicks;
    }

    @Override
    public void run() {
        TickSchedule schedule = new TickSchedule(System.nanoTime(), TICK_NANOS);
        while (running) {
            long deadline = schedule.next();
            long now;
            while ((now = System.nanoTime()) - deadline < 0 && running) {
                LockSupport.parkNanos(deadline - now);
            }
            long missed = schedule.skipped(now);
            if (missed > 0) {
                skippedTicks += missed;
                for (RtpMediaStream s : streams) {
                    s.skipTicks(missed);
                }
            }
            ticks++;
            for (RtpMediaStream s : streams) {
                try {
                    s.tick(now);
                } catch (RuntimeException e) {
                    log.error("media tick failed for RTP stream {}", s.localAddress(), e);
                }
            }
        }
    }

    void close() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
