package io.tandem.telephony.mixer;

import io.tandem.telephony.media.AudioFrames;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded single-producer / single-consumer queue of 20 ms frames, preallocated so that
 * neither side allocates. It is the hand-off between a party's RTP thread and the mixer's
 * clock thread (in both directions).
 *
 * <p>Memory ordering: the producer copies the samples into a free slot and only then
 * publishes it by a release-store of {@link #head}; the consumer acquire-reads {@code head},
 * copies the slot out, and only then frees it by a release-store of {@link #tail}. So a frame
 * is never read half-written and a slot is never overwritten while it is read. The queue is
 * lock-free between the two sides; callers serialise producers among themselves and consumers
 * among themselves (see {@link Party}).
 *
 * <p>Each frame is consumed exactly once: when nothing new arrived, {@link #poll} answers
 * false and the caller uses silence, never the previous frame again.
 */
final class FrameRing {
    private static final int N = AudioFrames.SAMPLES_PER_FRAME;

    private final short[] slots;
    private final int capacity;
    /** How many queued frames the consumer tolerates before it skips the oldest (latency bound). */
    private final int maxBacklog;
    /** Frames published so far; written by the producer only. */
    private final AtomicLong head = new AtomicLong();
    /** Frames consumed or skipped so far; written by the consumer only. */
    private final AtomicLong tail = new AtomicLong();
    private final AtomicLong droppedFull = new AtomicLong();
    private final AtomicLong skippedBacklog = new AtomicLong();

    FrameRing(int capacity, int maxBacklog) {
        if (capacity < 1 || maxBacklog < 1 || maxBacklog > capacity) {
            throw new IllegalArgumentException("need 1 <= maxBacklog <= capacity, got " + maxBacklog + "/" + capacity);
        }
        this.capacity = capacity;
        this.maxBacklog = maxBacklog;
        this.slots = new short[capacity * N];
    }

    /** Producer side: queues a copy of {@code frame}; false (and counted) when the ring is full. */
    boolean offer(short[] frame) {
        long h = head.get();
        if (h - tail.getAcquire() >= capacity) {
            droppedFull.incrementAndGet();
            return false;
        }
        System.arraycopy(frame, 0, slots, (int) (h % capacity) * N, N);
        head.setRelease(h + 1);
        return true;
    }

    /** Producer side, for the mixer: queues the clamped samples of {@code mix}. */
    boolean offerSaturated(int[] mix) {
        long h = head.get();
        if (h - tail.getAcquire() >= capacity) {
            droppedFull.incrementAndGet();
            return false;
        }
        int base = (int) (h % capacity) * N;
        for (int i = 0; i < N; i++) {
            int s = mix[i];
            slots[base + i] = (short) (s > Short.MAX_VALUE ? Short.MAX_VALUE : Math.max(s, Short.MIN_VALUE));
        }
        head.setRelease(h + 1);
        return true;
    }

    /** Consumer side: copies the oldest frame into {@code frame}; false when none is queued. */
    boolean poll(short[] frame) {
        int base = takeSlot();
        if (base < 0) {
            return false;
        }
        System.arraycopy(slots, base, frame, 0, N);
        tail.setRelease(tail.get() + 1);
        return true;
    }

    /** Consumer side: copies the oldest frame into {@code samples} as ints; false when none is queued. */
    boolean pollInto(int[] samples) {
        int base = takeSlot();
        if (base < 0) {
            return false;
        }
        for (int i = 0; i < N; i++) {
            samples[i] = slots[base + i];
        }
        tail.setRelease(tail.get() + 1);
        return true;
    }

    /** Offset of the frame to consume, after skipping a backlog beyond {@link #maxBacklog}; -1 when empty. */
    private int takeSlot() {
        long t = tail.get();
        long h = head.getAcquire();
        if (h == t) {
            return -1;
        }
        long backlog = h - t;
        if (backlog > maxBacklog) {
            // The two clocks drifted or the producer sent a burst: drop the oldest frames so the
            // delay through the mixer stays bounded instead of growing for the rest of the call.
            long skip = backlog - maxBacklog;
            skippedBacklog.addAndGet(skip);
            t += skip;
            tail.setRelease(t);
        }
        return (int) (t % capacity) * N;
    }

    long droppedFull() {
        return droppedFull.get();
    }

    long skippedBacklog() {
        return skippedBacklog.get();
    }
}
