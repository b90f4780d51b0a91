package io.tandem.agent.audio;

import io.tandem.telephony.media.AudioFrames;
import io.tandem.telephony.media.MediaSource;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.LineUnavailableException;
import javax.sound.sampled.TargetDataLine;

/**
 * Microphone frames for the media thread. A capture thread blocks on the sound card and queues 20 ms frames; the
 * media thread's {@link #read} only polls (never blocks): an empty queue gives silence, a full one drops the oldest
 * frame (counted) so latency stays bounded at {@value #DEPTH} frames.
 */
final class CaptureSource implements MediaSource {
    private static final int N = AudioFrames.SAMPLES_PER_FRAME;
    private static final int DEPTH = 5;

    private final TargetDataLine line;
    private final ArrayBlockingQueue<short[]> frames = new ArrayBlockingQueue<>(DEPTH);
    private final AtomicLong dropped = new AtomicLong();
    private final Thread thread;
    private volatile boolean closed;

    private CaptureSource(TargetDataLine line) {
        this.line = line;
        this.thread = new Thread(this::run, "phone-capture");
        this.thread.setDaemon(true);
    }

    static CaptureSource open(TargetDataLine line, AudioFormat format) throws LineUnavailableException {
        line.open(format, N * 2 * 4);
        line.start();
        CaptureSource source = new CaptureSource(line);
        source.thread.start();
        return source;
    }

    private void run() {
        byte[] bytes = new byte[N * 2];
        while (!closed) {
            int got = line.read(bytes, 0, bytes.length);
            if (got < bytes.length) {
                continue; // closed under us, or a short read at stop
            }
            short[] frame = new short[N];
            for (int i = 0; i < N; i++) {
                frame[i] = (short) ((bytes[2 * i] & 0xff) | (bytes[2 * i + 1] << 8));
            }
            while (!frames.offer(frame)) {
                frames.poll();
                dropped.incrementAndGet();
            }
        }
    }

    @Override
    public boolean read(short[] frame) {
        short[] next = frames.poll();
        if (next == null) {
            Arrays.fill(frame, 0, N, (short) 0);
        } else {
            System.arraycopy(next, 0, frame, 0, N);
        }
        return !closed;
    }

    long dropped() {
        return dropped.get();
    }

    @Override
    public void close() {
        closed = true;
        line.stop();
        line.close();
    }
}
