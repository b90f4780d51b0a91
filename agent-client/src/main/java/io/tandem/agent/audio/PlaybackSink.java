package io.tandem.agent.audio;

import io.tandem.telephony.media.AudioFrames;
import io.tandem.telephony.media.MediaSink;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.LineUnavailableException;
import javax.sound.sampled.SourceDataLine;

/**
 * The far end's frames to the speaker. The media thread's {@link #write} only copies into a bounded queue (a full
 * queue drops the frame, counted); a playback thread blocks on the sound card.
 */
final class PlaybackSink implements MediaSink {
    private static final int N = AudioFrames.SAMPLES_PER_FRAME;
    private static final int DEPTH = 10;

    private final SourceDataLine line;
    private final ArrayBlockingQueue<short[]> frames = new ArrayBlockingQueue<>(DEPTH);
    private final AtomicLong dropped = new AtomicLong();
    private final Thread thread;
    private volatile boolean closed;

    private PlaybackSink(SourceDataLine line) {
        this.line = line;
        this.thread = new Thread(this::run, "phone-playback");
        this.thread.setDaemon(true);
    }

    static PlaybackSink open(SourceDataLine line, AudioFormat format) throws LineUnavailableException {
        line.open(format, N * 2 * 4);
        line.start();
        PlaybackSink sink = new PlaybackSink(line);
        sink.thread.start();
        return sink;
    }

    @Override
    public void write(short[] frame) {
        if (closed || !frames.offer(frame.clone())) {
            dropped.incrementAndGet();
        }
    }

    private void run() {
        byte[] bytes = new byte[N * 2];
        try {
            while (!closed) {
                short[] frame = frames.poll(100, TimeUnit.MILLISECONDS);
                if (frame == null) {
                    continue;
                }
                for (int i = 0; i < N; i++) {
                    bytes[2 * i] = (byte) frame[i];
                    bytes[2 * i + 1] = (byte) (frame[i] >> 8);
                }
                line.write(bytes, 0, bytes.length);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    long dropped() {
        return dropped.get();
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        line.stop();
        line.close();
    }
}
