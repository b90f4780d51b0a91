package io.tandem.bench.phone;

import io.tandem.agent.audio.AudioPath;
import io.tandem.agent.audio.FileAudio;
import io.tandem.telephony.media.MediaSink;
import io.tandem.telephony.media.MediaSource;
import io.tandem.telephony.media.WavRecorder;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The Java engine's file mode ({@link FileAudio}) with the time each received frame is handed to the recorder: the
 * engine's media clock writes one frame per 20 ms tick out of its jitter buffer, which is where a speaker would get it.
 */
final class TimedAudio implements AudioPath {
    private final FileAudio files;
    private final Map<String, TimedSink> sinks = new ConcurrentHashMap<>();

    TimedAudio(FileAudio files) {
        this.files = files;
    }

    @Override
    public MediaSource capture(String callId) throws IOException {
        return files.capture(callId);
    }

    @Override
    public MediaSink playback(String callId) throws IOException {
        TimedSink sink = new TimedSink((WavRecorder) files.playback(callId));
        sinks.put(callId, sink);
        return sink;
    }

    @Override
    public MediaSink ringtone() {
        return null;
    }

    @Override
    public String describe() {
        return files.describe() + " (frames timed)";
    }

    TimedSink sink(String callId) {
        TimedSink sink = sinks.remove(callId);
        if (sink == null) {
            throw new IllegalStateException("no recording for call " + callId);
        }
        return sink;
    }

    /** The recorder of one call, noting {@link System#nanoTime()} as each frame arrives (media clock thread). */
    static final class TimedSink implements MediaSink {
        private final WavRecorder recorder;
        private final CountDownLatch closed = new CountDownLatch(1);
        /** Written by the media clock thread only; read after {@link #closed}. */
        private long[] times = new long[3000];
        private int frames;

        TimedSink(WavRecorder recorder) {
            this.recorder = recorder;
        }

        @Override
        public void write(short[] frame) {
            long now = System.nanoTime();
            if (frames == times.length) {
                times = Arrays.copyOf(times, times.length * 2);
            }
            times[frames++] = now;
            recorder.write(frame);
        }

        @Override
        public void close() {
            recorder.close();
            closed.countDown();
        }

        void awaitClosed(Duration timeout) throws InterruptedException {
            if (!closed.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("the engine did not close the recording within " + timeout);
            }
        }

        Path file() {
            return recorder.file();
        }

        RecordingClock clock() {
            return RecordingClock.ofFrameTimes(Arrays.copyOf(times, frames), recorder.framesDropped());
        }
    }
}
