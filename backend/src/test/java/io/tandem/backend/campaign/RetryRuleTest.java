package io.tandem.backend.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetryRuleTest {

    private static final Campaign CAMPAIGN = new Campaign("c", "7000", Campaign.Mode.PROGRESSIVE,
            new Campaign.Window(LocalTime.MIN, LocalTime.MAX, List.of(DayOfWeek.values())), 3,
            new Campaign.Retry(60, 120, 300), 20, 0.03, 0, List.of());
    private static final long NOW = 1_000_000;

    private static AttemptResult result(Outcome outcome, boolean reached) {
        return new AttemptResult(outcome, 0, reached, "a", 0);
    }

    @Test
    void busyNoAnswerAndFailuresAreRetriedAfterTheirOwnDelay() {
        assertThat(RetryRule.retryAt(CAMPAIGN, 1, result(Outcome.BUSY, true), NOW)).hasValue(NOW + 60_000);
        assertThat(RetryRule.retryAt(CAMPAIGN, 1, result(Outcome.NO_ANSWER, true), NOW)).hasValue(NOW + 120_000);
        assertThat(RetryRule.retryAt(CAMPAIGN, 2, result(Outcome.FAILED, false), NOW)).hasValue(NOW + 300_000);
    }

    @Test
    void theLastAttemptIsTheLast() {
        assertThat(RetryRule.retryAt(CAMPAIGN, 3, result(Outcome.BUSY, true), NOW)).isEmpty();
    }

    @Test
    void aCallThatReachedOrMayHaveReachedTheCustomerIsNeverRetried() {
        assertThat(RetryRule.retryAt(CAMPAIGN, 1, result(Outcome.ANSWERED, true), NOW)).isEmpty();
        assertThat(RetryRule.retryAt(CAMPAIGN, 1, result(Outcome.ABANDONED, true), NOW)).isEmpty();
        assertThat(RetryRule.retryAt(CAMPAIGN, 1, result(Outcome.FAILED, true), NOW))
                .as("a failure after a 18x").isEmpty();
    }

    @Test
    void invalidAndDoNotCallNumbersAreNeverRetried() {
        assertThat(RetryRule.retryAt(CAMPAIGN, 1, result(Outcome.INVALID, false), NOW)).isEmpty();
        assertThat(RetryRule.retryAt(CAMPAIGN, 0, result(Outcome.DO_NOT_CALL, false), NOW)).isEmpty();
    }

    @Test
    void sipStatusesMapToOutcomes() {
        assertThat(Outcome.ofFailure(486)).isEqualTo(Outcome.BUSY);
        assertThat(Outcome.ofFailure(480)).isEqualTo(Outcome.NO_ANSWER);
        assertThat(Outcome.ofFailure(404)).isEqualTo(Outcome.INVALID);
        assertThat(Outcome.ofFailure(503)).isEqualTo(Outcome.FAILED);
    }
}
