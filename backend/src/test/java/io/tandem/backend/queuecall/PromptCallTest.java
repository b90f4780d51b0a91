package io.tandem.backend.queuecall;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.backend.trunk.Did;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PromptCallTest {

    private static final Duration TEN_SECONDS = Duration.ofSeconds(10);

    @Test
    void aPromptPlayedOnceEndsTheCallAtItsEndAndTheLastPacketsAfter() {
        Did once = new Did("+4930555002", Did.Target.PROMPT, "beep", false, 0);
        assertThat(PromptCall.playTime(once, TEN_SECONDS)).isEqualTo(TEN_SECONDS.plus(PromptCall.DRAIN));
    }

    @Test
    void aTimeLimitCutsALongPromptShortButNeverStretchesAShortOne() {
        assertThat(PromptCall.playTime(new Did("+4930555002", Did.Target.PROMPT, "beep", false, 3), TEN_SECONDS))
                .isEqualTo(Duration.ofSeconds(3));
        assertThat(PromptCall.playTime(new Did("+4930555002", Did.Target.PROMPT, "beep", false, 60), TEN_SECONDS))
                .isEqualTo(TEN_SECONDS.plus(PromptCall.DRAIN));
    }

    @Test
    void aLoopedPromptPlaysForItsWholeTimeLimit() {
        assertThat(PromptCall.playTime(new Did("+4930555002", Did.Target.PROMPT, "beep", true, 30),
                Duration.ofMillis(430))).isEqualTo(Duration.ofSeconds(30));
    }
}
