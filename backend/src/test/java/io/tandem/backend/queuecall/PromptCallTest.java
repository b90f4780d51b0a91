package io.tandem.backend.queuecall;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.backend.trunk.Did;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PromptCallTest {

    private static final Duration TEN_SECONDS = Duration.ofSeconds(10);

    @Test
    void aPromptPlayedOnceIsHeardToItsEndWhateverTheWallClockSays() {
        // no time limit: the media thread's reading of the prompt and its tail ends the call (Goodbye), never a timer
        Did once = new Did("+4930555002", Did.Target.PROMPT, "beep", false, 0);
        assertThat(PromptCall.timeLimit(once, TEN_SECONDS)).isEmpty();
    }

    @Test
    void aTimeLimitCutsALongPromptShortButNeverStretchesAShortOne() {
        assertThat(PromptCall.timeLimit(new Did("+4930555002", Did.Target.PROMPT, "beep", false, 3), TEN_SECONDS))
                .contains(Duration.ofSeconds(3));
        assertThat(PromptCall.timeLimit(new Did("+4930555002", Did.Target.PROMPT, "beep", false, 60), TEN_SECONDS))
                .isEmpty();
        // a limit inside the goodbye's tail still cuts: the prompt is longer than the DID allows
        assertThat(PromptCall.timeLimit(new Did("+4930555002", Did.Target.PROMPT, "beep", false, 10), TEN_SECONDS))
                .contains(TEN_SECONDS);
    }

    @Test
    void aLoopedPromptPlaysForItsWholeTimeLimit() {
        assertThat(PromptCall.timeLimit(new Did("+4930555002", Did.Target.PROMPT, "beep", true, 30),
                Duration.ofMillis(430))).contains(Duration.ofSeconds(30));
    }
}
