package io.tandem.bench.phone;

import io.tandem.telephony.media.AudioFrames;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Watches a WAV file that pjsua2's recorder port writes and notes, every 0.5 ms, when it grows. PJSIP's WAV writer
 * keeps {@value #FLUSH_FRAMES} frames ({@code PJMEDIA_FILE_PORT_BUFSIZE} 4000 bytes, whole 320-byte frames) and hands
 * them to pjlib's file layer on the bridge tick of the frame that no longer fits; that layer is stdio
 * ({@code file_io_ansi.c}), whose 4096-byte buffer reaches the kernel inside the hand-over that overflows it. So a
 * growth of the file to {@code S} bytes happened on the tick of the {@code k}-th hand-over, the first whose bytes
 * ({@value #HEADER_BYTES}-byte header included) reach {@code S}, which is the tick of frame {@code k × 12} (see
 * {@link RecordingClock#ofFlushes}). Runs only while the latency is measured, on its own thread, never in the CPU
 * windows.
 */
final class FlushWatch {
    private static final long POLL_NANOS = 500_000;
    /** PJSIP's WAV writer writes a 44-byte RIFF header first (pjmedia/src/pjmedia/wav_writer.c). */
    private static final int HEADER_BYTES = 44;
    private static final int FRAME_BYTES = AudioFrames.SAMPLES_PER_FRAME * 2;
    /** Frames in one hand-over of the WAV writer's buffer (pjmedia/config.h: PJMEDIA_FILE_PORT_BUFSIZE 4000). */
    private static final int FLUSH_FRAMES = 4000 / FRAME_BYTES;
    private static final int FLUSH_BYTES = FLUSH_FRAMES * FRAME_BYTES;

    private final Path file;
    private final List<long[]> sizes = new ArrayList<>();
    private final Thread thread;
    private volatile boolean stopped;

    FlushWatch(Path file) {
        this.file = file;
        this.thread = new Thread(this::watch, "flush-watch");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void watch() {
        long last = -1;
        while (!stopped) {
            long now = System.nanoTime();
            long size = sizeOf(file);
            if (size != last) {
                sizes.add(new long[] {now, size});
                last = size;
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1; // not created yet
        }
    }

    void stop() throws InterruptedException {
        stopped = true;
        thread.join();
    }

    /**
     * Waits until PJSIP has closed the recording: its header then gives the data's length. The bridge removes a port
     * asynchronously (on its next tick), so the recorder may still be open when the engine reports the call ended.
     */
    void awaitClosed(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!closed()) {
            if (System.nanoTime() > deadline) {
                throw new IOException(file + " not closed by PJSIP within " + timeout);
            }
            Thread.sleep(20); // PJSIP closes the file on its own clock: nothing to wait on but the file
        }
    }

    private boolean closed() throws IOException {
        long size = sizeOf(file);
        if (size <= HEADER_BYTES) {
            return false;
        }
        byte[] header = new byte[HEADER_BYTES];
        try (InputStream in = Files.newInputStream(file)) {
            if (in.readNBytes(header, 0, HEADER_BYTES) < HEADER_BYTES) {
                return false;
            }
        }
        long declared = ByteBuffer.wrap(header, HEADER_BYTES - 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt()
                & 0xffffffffL;
        return declared == size - HEADER_BYTES;
    }

    /** The growths seen as (nanoTime, frame whose tick it was), the file's creation and its closing left out. */
    RecordingClock clock() {
        List<long[]> flushes = new ArrayList<>();
        for (long[] seen : sizes) {
            long data = seen[1] - HEADER_BYTES;
            if (data > 0) {
                long handOver = (data + FLUSH_BYTES - 1) / FLUSH_BYTES;
                flushes.add(new long[] {seen[0], handOver * FLUSH_FRAMES});
            }
        }
        if (flushes.size() < 2) {
            throw new IllegalStateException("too few flushes of " + file + " seen: sizes " + sizes.stream()
                    .map(s -> Long.toString(s[1])).limit(20).toList());
        }
        flushes.remove(flushes.size() - 1);
        return RecordingClock.ofFlushes(flushes);
    }
}
