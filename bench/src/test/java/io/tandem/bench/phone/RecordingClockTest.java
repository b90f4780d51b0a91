package io.tandem.bench.phone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class RecordingClockTest {
    private static final long MS = 1_000_000;

    @Test
    void framesTimedOneByOneGiveTheirOwnTimePlusTheSampleOffset() {
        RecordingClock clock = RecordingClock.ofFrameTimes(new long[] {1000 * MS, 1021 * MS, 1040 * MS}, 0);

        assertThat(clock.nanosOfSample(0)).isEqualTo(1000 * MS);
        assertThat(clock.nanosOfSample(160)).isEqualTo(1021 * MS);
        assertThat(clock.nanosOfSample(168)).isEqualTo(1022 * MS); // 8 samples = 1 ms into the frame
    }

    @Test
    void droppedFramesMakeFrameTimesUseless() {
        assertThatThrownBy(() -> RecordingClock.ofFrameTimes(new long[] {1}, 2)).hasMessageContaining("dropped 2");
    }

    @Test
    void aFrameIsPlacedBackFromTheNextFlushAfterIt() {
        // flushes at the ticks of frames 12 and 24, the second one tick late (5 ms)
        RecordingClock clock = RecordingClock.ofFlushes(List.of(new long[] {2240 * MS, 12}, new long[] {2485 * MS, 24}));

        assertThat(clock.nanosOfSample(0)).isEqualTo(2000 * MS); // frame 0: 12 ticks before 2240
        assertThat(clock.nanosOfSample(11 * 160 + 80)).isEqualTo(2220 * MS + 10 * MS);
        assertThat(clock.nanosOfSample(12 * 160)).isEqualTo(2245 * MS); // frame 12 was flushed with frame 24's tick
        assertThat(clock.nanosOfSample(30 * 160)).isEqualTo(2605 * MS); // past the last flush: forward from it
    }
}
