package io.tandem.telephony.media;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Records a call leg (or a conference mix) to an 8 kHz WAV file without ever touching the disk
 * on the media thread: {@link #write} copies the frame into a pooled half-second chunk, and
 * full chunks are written by one shared I/O thread ({@code wav-recorder-io}, FIFO, so chunks
 * land in order). If the disk falls more than {@value #CHUNKS} chunks (4 s) behind, frames are
 * dropped and counted rather than blocking the call.
 *
 * <p>Bounded: after {@code maxDuration} further frames are dropped and counted, so a recorder
 * somebody forgot to close cannot fill the disk. An I/O error (disk full) stops the recording
 * with one log line; it never reaches the media thread.
 *
 * <p>Threading: {@code write} (media thread) and {@link #close()} (any thread) are serialised
 * by {@code lock}; the {@link WavWriter} is confined to the I/O thread after construction, and
 * close waits until that thread has written the last chunk and the final header.
 */
public final class WavRecorder implements MediaSink {
    private static final Logger log = LoggerFactory.getLogger(WavRecorder.class);
    private static final int N = AudioFrames.SAMPLES_PER_FRAME;
    /** Frames per chunk handed to the I/O thread: 0.5 s, 8 KB. */
    private static final int CHUNK_FRAMES = 25;
    /** Chunks per recorder; with 0.5 s each, the disk may stall 4 s before frames are dropped. */
    private static final int CHUNKS = 8;
    /** How long close waits for the I/O thread. */
    private static final long CLOSE_TIMEOUT_SECONDS = 30;
    private static final ExecutorService IO = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "wav-recorder-io");
        t.setDaemon(true);
        return t;
    });

    private final Path file;
    private final long maxFrames;
    /** Confined to the I/O thread once constructed. */
    private final WavWriter writer;
    /** Empty chunks; the media thread takes, the I/O thread gives back. */
    private final ArrayBlockingQueue<short[]> free = new ArrayBlockingQueue<>(CHUNKS);
    private final CompletableFuture<Void> finished = new CompletableFuture<>();
    private final Object lock = new Object();
    /** Guarded by lock: the chunk being filled (null when none is taken yet). */
    private short[] filling;
    /** Guarded by lock. */
    private int fillingFrames;
    /** Guarded by lock. */
    private long framesAccepted;
    /** Guarded by lock. */
    private boolean closed;
    /** Set by the I/O thread on the first write error. */
    private volatile boolean failed;
    private final AtomicLong framesDropped = new AtomicLong();

    public WavRecorder(Path file, Duration maxDuration) throws IOException {
        if (maxDuration.isNegative() || maxDuration.isZero()) {
            throw new IllegalArgumentException("maxDuration must be positive: " + maxDuration);
        }
        this.file = file;
        this.maxFrames = Math.max(1, maxDuration.toMillis() / AudioFrames.FRAME_MILLIS);
        for (int i = 0; i < CHUNKS; i++) {
            free.add(new short[CHUNK_FRAMES * N]);
        }
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
            if (closed || failed || framesAccepted >= maxFrames) {
                framesDropped.incrementAndGet();
                return;
            }
            if (filling == null) {
                filling = free.poll();
                if (filling == null) {
                    framesDropped.incrementAndGet(); // the disk is more than 4 s behind
                    return;
                }
            }
            System.arraycopy(frame, 0, filling, fillingFrames * N, N);
            fillingFrames++;
            framesAccepted++;
            if (fillingFrames == CHUNK_FRAMES) {
                handOff();
            }
        }
    }

    /** Guarded by lock: queues the filling chunk for the I/O thread. */
    private void handOff() {
        short[] chunk = filling;
        int frames = fillingFrames;
        filling = null;
        fillingFrames = 0;
        IO.execute(() -> writeChunk(chunk, frames));
    }

    /** On the I/O thread. */
    private void writeChunk(short[] chunk, int frames) {
        try {
            if (!failed) {
                writer.write(chunk, 0, frames * N);
            }
        } catch (IOException | RuntimeException e) {
            failed = true;
            log.warn("recording to {} stopped: {}", file, e.toString());
        } finally {
            free.offer(chunk);
        }
    }

    /** On the I/O thread, after every chunk: the final header. */
    private void finish() {
        try {
            writer.close();
        } catch (IOException | RuntimeException e) {
            log.warn("closing recording {} failed: {}", file, e.toString());
        } finally {
            finished.complete(null);
        }
    }

    /** Frames recorded so far (queued for the disk, or on it). */
    public long framesWritten() {
        synchronized (lock) {
            return framesAccepted;
        }
    }

    /** Frames refused: after close, beyond the maximum duration, malformed, disk too slow or failed. */
    public long framesDropped() {
        return framesDropped.get();
    }

    /** True once the maximum duration is reached. */
    public boolean isFull() {
        synchronized (lock) {
            return framesAccepted >= maxFrames;
        }
    }

    /** True when a disk error stopped the recording. */
    public boolean hasFailed() {
        return failed;
    }

    public Duration recorded() {
        return Duration.ofMillis(framesWritten() * AudioFrames.FRAME_MILLIS);
    }

    /**
     * Writes what is buffered and the final header, and waits (up to 30 s) until the file is
     * complete. Idempotent, callable from any thread — but not meant for the media thread,
     * since it waits for the disk.
     */
    @Override
    public void close() {
        synchronized (lock) {
            if (!closed) {
                closed = true;
                if (fillingFrames > 0) {
                    handOff();
                } else if (filling != null) {
                    free.offer(filling);
                    filling = null;
                }
                IO.execute(this::finish);
            }
        }
        try {
            finished.get(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("recording {} not finished after {} s: {}", file, CLOSE_TIMEOUT_SECONDS, e.toString());
        }
    }
}
