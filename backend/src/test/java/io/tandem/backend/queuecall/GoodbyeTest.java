package io.tandem.backend.queuecall;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.telephony.media.AudioFrames;
import io.tandem.telephony.media.MediaSource;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class GoodbyeTest {

    private static final int TAIL_FRAMES = (int) (Goodbye.TAIL.toMillis() / AudioFrames.FRAME_MILLIS);
    private final ManualTimers timers = new ManualTimers();
    private final AtomicInteger hungUp = new AtomicInteger();
    private final short[] frame = new short[AudioFrames.SAMPLES_PER_FRAME];

    /** A prompt of {@code frames} 20 ms frames. */
    private static MediaSource prompt(int frames) {
        AtomicInteger left = new AtomicInteger(frames);
        return frame -> left.getAndDecrement() > 0;
    }

    @Test
    void theCallerIsLetGoOnlyOnceThePromptAndItsTailHaveBeenSentHoweverLateTheMediaClockRuns() {
        Goodbye goodbye = new Goodbye(prompt(50), Duration.ofSeconds(1));
        goodbye.afterHeard(timers, hungUp::incrementAndGet);

        // The machine stalls: a wall-clock timer would have hung up at 1.4 s with most of the prompt unsent.
        timers.advance(goodbye.length().plusSeconds(1));
        assertThat(hungUp).hasValue(0);
        for (int i = 0; i < 50; i++) {
            assertThat(goodbye.source().read(frame)).isTrue();
        }
        for (int i = 0; i < TAIL_FRAMES - 1; i++) {
            assertThat(goodbye.source().read(frame)).as("the tail is silence").isFalse();
        }
        timers.advance(Duration.ZERO);
        assertThat(hungUp).as("not before the tail's last frame").hasValue(0);
        goodbye.source().read(frame);
        timers.advance(Duration.ZERO);
        assertThat(hungUp).hasValue(1);

        goodbye.source().read(frame);
        timers.advance(Duration.ofMinutes(1)); // past the deadline: already let go, not twice
        assertThat(hungUp).hasValue(1);
        assertThat(timers.pending()).isZero();
    }

    @Test
    void aPromptNobodyReadsLetsTheCallerGoAtTheDeadline() {
        Goodbye goodbye = new Goodbye(prompt(50), Duration.ofSeconds(1));
        goodbye.afterHeard(timers, hungUp::incrementAndGet);
        Duration deadline = goodbye.length().multipliedBy(2).plus(Goodbye.GRACE);

        timers.advance(deadline.minusMillis(1));
        assertThat(hungUp).hasValue(0);
        timers.advance(Duration.ofMillis(1));
        assertThat(hungUp).hasValue(1);
    }

    @Test
    void missingPromptsStillGiveTheTailBeforeTheCallerIsLetGo() {
        Goodbye goodbye = new Goodbye(prompt(0), Duration.ZERO);
        goodbye.afterHeard(timers, hungUp::incrementAndGet);
        for (int i = 0; i < TAIL_FRAMES; i++) {
            timers.advance(Duration.ZERO);
            assertThat(hungUp).hasValue(0);
            goodbye.source().read(frame);
        }
        timers.advance(Duration.ZERO);
        assertThat(hungUp).hasValue(1);
    }
}
