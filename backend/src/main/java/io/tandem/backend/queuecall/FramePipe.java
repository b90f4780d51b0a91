package io.tandem.backend.queuecall;

import io.tandem.telephony.media.AudioFrames;
import io.tandem.telephony.media.MediaSink;
import io.tandem.telephony.media.MediaSource;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One direction of a two-party bridge: the frames one RTP stream receives are what the other stream sends. A
 * preallocated single-producer / single-consumer ring (the producer copies into a free slot, then publishes it by a
 * release-store of {@code head}), so the media threads never block or allocate; when the reader falls behind by
 * more than the ring, the oldest frames are skipped (latency stays bounded) and counted.
 */
final class FramePipe implements MediaSink, MediaSource {

    private static final int N = AudioFrames.SAMPLES_PER_FRAME;
    private static final int SLOTS = 8;

    private final short[] slots = new short[SLOTS * N];
    private final AtomicLong head = new AtomicLong();
    private final AtomicLong tail = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();

    @Override
    public void write(short[] frame) {
        long h = head.get();
        if (h - tail.get() >= SLOTS) {
            skipped.incrementAndGet(); // the reader is a ring behind: drop this frame rather than overwrite
            return;
        }
        System.arraycopy(frame, 0, slots, (int) (h % SLOTS) * N, N);
        head.lazySet(h + 1);
    }

    @Override
    public boolean read(short[] frame) {
        long t = tail.get();
        if (t == head.get()) {
            Arrays.fill(frame, 0, N, (short) 0);
            return true; // nothing new: silence, never the previous frame again
        }
        System.arraycopy(slots, (int) (t % SLOTS) * N, frame, 0, N);
        tail.lazySet(t + 1);
        return true;
    }

    @Override
    public void close() {
        // nothing to release: the ring is plain memory
    }

    /** Frames dropped because the reader fell a ring behind. */
    long skipped() {
        return skipped.get();
    }
}
