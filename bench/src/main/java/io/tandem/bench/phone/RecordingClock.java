package io.tandem.bench.phone;

import io.tandem.telephony.media.AudioFrames;
import java.util.List;

/**
 * When a sample of a recording was handed to the recorder, as {@link System#nanoTime()} (one clock for every process
 * on the machine: CLOCK_MONOTONIC). A frame's samples arrive together; sample {@code k} of a frame is placed
 * {@code k} × 125 µs after the frame, where a speaker would play it.
 */
interface RecordingClock {
    long NANOS_PER_FRAME = AudioFrames.FRAME_MILLIS * 1_000_000L;
    long NANOS_PER_SAMPLE = 1_000_000_000L / AudioFrames.SAMPLE_RATE;

    long nanosOfSample(long sample);

    /** One word for the report: how the times were taken. */
    String describe();

    /** Every frame's own arrival time (the Java engine); the recorder must have dropped none. */
    static RecordingClock ofFrameTimes(long[] times, long dropped) {
        if (dropped > 0) {
            throw new IllegalStateException("the recorder dropped " + dropped + " frames: samples no longer match frames");
        }
        return new RecordingClock() {
            @Override
            public long nanosOfSample(long sample) {
                int frame = (int) (sample / AudioFrames.SAMPLES_PER_FRAME);
                if (frame >= times.length) {
                    throw new IllegalArgumentException("sample " + sample + " past the " + times.length + " frames timed");
                }
                return times[frame] + sample % AudioFrames.SAMPLES_PER_FRAME * NANOS_PER_SAMPLE;
            }

            @Override
            public String describe() {
                return "frames";
            }
        };
    }

    /**
     * From the recorder's flushes to disk (pjsua2): PJSIP's WAV writer buffers frames and writes the buffer out inside
     * the {@code put_frame} of the frame that no longer fits, on the bridge's clock tick, before taking that frame. A
     * flush seen at {@code nanos} with {@code framesBefore} frames in the file therefore marks the tick of frame
     * {@code framesBefore}; a frame before it is placed one 20 ms tick per frame earlier than the next flush after it.
     * The last flush (the recorder's deletion, after the call) is no tick and is not given.
     */
    static RecordingClock ofFlushes(List<long[]> flushes) {
        if (flushes.isEmpty()) {
            throw new IllegalStateException("no flush of the recording was seen");
        }
        return new RecordingClock() {
            @Override
            public long nanosOfSample(long sample) {
                long frame = sample / AudioFrames.SAMPLES_PER_FRAME;
                long[] anchor = flushes.get(flushes.size() - 1);
                for (long[] flush : flushes) {
                    if (flush[1] > frame) {
                        anchor = flush;
                        break;
                    }
                }
                return anchor[0] - (anchor[1] - frame) * NANOS_PER_FRAME
                        + sample % AudioFrames.SAMPLES_PER_FRAME * NANOS_PER_SAMPLE;
            }

            @Override
            public String describe() {
                return "flushes";
            }
        };
    }
}
