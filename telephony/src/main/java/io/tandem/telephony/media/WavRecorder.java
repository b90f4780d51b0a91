package io.tandem.telephony.media;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Records a call leg (or a conference mix) to an 8 kHz WAV file. Frames come from a media
 * thread, {@link #close()} from whoever ends the recording; both are serialised by
 * {@code lock}, so close never races a half-written frame and the header it writes covers
 * exactly the frames on disk.
 *
 * <p>Bounded: after {@code maxDuration} further frames are dropped and counted, so a recorder
 * somebody forgot to close cannot fill the disk. An I/O error (disk full) stops the recording
 * with one log line; it never throws into the media thread.
 */
public final class WavRecorder implements MediaSink {
    private static final Logger log = LoggerFactory.getLogger(WavRecorder.class);
    private static final int N = AudioFrames.SAMPLES_PER_FRAME;

    private final Path file;
    private final long maxFrames;
    private final Object lock = new Object();
    /** Guarded by lock. */
    private final WavWriter writer;
    /** Guarded by lock. */
    private long framesWritten;
    /** Guarded by lock. */
    private boolean closed;
    /** Guarded by lock. */
    private boolean failed;
    private final AtomicLong framesDropped = new AtomicLong();

    public WavRecorder(Path file, Duration maxDuration) throws IOException {
        if (maxDuration.isNegative() || maxDuration.isZero()) {
            throw new IllegalArgumentException("maxDuration must be positive: " + maxDuration);
        }
        this.file = file;
        this.maxFrames = Math.max(1, maxDuration.toMillis() / AudioFrames.FRAME_MILLIS);
        this.writer = new WavWriter(file, WavFormat.PCM_8K);
    }

    public Path file() {
        return file;
    }

    @Override
    public void write(short[] frame) {
        if (frame == null || frame.length < N) {
            framesDropped.incrementAndGet();
            return;
        }
        synchronized (lock) {
            if (closed || failed || framesWritten >= maxFrames) {
                framesDropped.incrementAndGet();
                return;
            }
            try {
                writer.write(frame, 0, N);
                framesWritten++;
            } catch (IOException e) {
                failed = true;
                framesDropped.incrementAndGet();
                log.warn("recording to {} stopped: {}", file, e.toString());
            }
        }
    }

    /** Frames recorded so far. */
    public long framesWritten() {
        synchronized (lock) {
            return framesWritten;
        }
    }

    /** Frames refused: after close, beyond the maximum duration, malformed, or after an I/O error. */
    public long framesDropped() {
        return framesDropped.get();
    }

    /** True once the maximum duration is reached. */
    public boolean isFull() {
        synchronized (lock) {
            return framesWritten >= maxFrames;
        }
    }

    public Duration recorded() {
        return Duration.ofMillis(framesWritten() * AudioFrames.FRAME_MILLIS);
    }

    /** Writes the final header and closes the file. Idempotent, callable from any thread. */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            try {
                writer.close();
            } catch (IOException e) {
                log.warn("closing recording {} failed: {}", file, e.toString());
            }
        }
    }
}
