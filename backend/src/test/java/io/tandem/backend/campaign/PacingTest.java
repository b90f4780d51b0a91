package io.tandem.backend.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class PacingTest {

    private static Campaign campaign(Campaign.Mode mode) {
        return new Campaign("c", "7000", mode, new Campaign.Window(LocalTime.MIN, LocalTime.MAX,
                List.of(DayOfWeek.values())), 3, new Campaign.Retry(60, 120, 300), 20, 0.03, 0, List.of());
    }

    @Test
    void previewDialsNothingByItself() {
        assertThat(Pacing.calls(Campaign.Mode.PREVIEW, 5, 0, 1.0)).isZero();
    }

    @Test
    void progressiveDialsOneCallPerAvailableAgentLessThoseUnderWay() {
        assertThat(Pacing.calls(Campaign.Mode.PROGRESSIVE, 5, 0, 2.0)).isEqualTo(5);
        assertThat(Pacing.calls(Campaign.Mode.PROGRESSIVE, 5, 3, 2.0)).isEqualTo(2);
        assertThat(Pacing.calls(Campaign.Mode.PROGRESSIVE, 2, 3, 2.0)).isZero();
    }

    @Test
    void predictiveDialsTheRatioTimesTheAvailableAgents() {
        assertThat(Pacing.calls(Campaign.Mode.PREDICTIVE, 4, 1, 1.5)).isEqualTo(5);
    }

    @Test
    void theRatioRisesWhileAbandonsStayUnderHalfTheCapAndFallsAtOnceAboveIt() {
        Pacing pacing = new Pacing(10);
        Campaign predictive = campaign(Campaign.Mode.PREDICTIVE);
        long answered = 0;
        for (int tick = 0; tick < 5; tick++) {
            answered += 10;
            pacing.calls(predictive, 10, 0, new Pacing.Totals(answered, 0));
        }
        assertThat(pacing.ratio()).as("no abandons, enough evidence").isGreaterThan(1.2);
        double before = pacing.ratio();
        pacing.calls(predictive, 10, 0, new Pacing.Totals(answered + 10, 5));
        assertThat(pacing.abandonRate()).isGreaterThan(0.03);
        assertThat(pacing.ratio()).isLessThan(before);
    }

    @Test
    void theRatioNeverFallsUnderOneNorRisesWithoutEvidence() {
        Pacing pacing = new Pacing(10);
        Campaign predictive = campaign(Campaign.Mode.PREDICTIVE);
        pacing.calls(predictive, 10, 0, new Pacing.Totals(0, 0));
        pacing.calls(predictive, 10, 0, new Pacing.Totals(3, 0));
        assertThat(pacing.ratio()).as("3 calls prove nothing").isEqualTo(1.0);
        for (int tick = 0; tick < 20; tick++) {
            pacing.calls(predictive, 10, 0, new Pacing.Totals(3 + tick, 10L * tick));
        }
        assertThat(pacing.ratio()).isEqualTo(1.0);
    }

    @Test
    void theWindowRollsSoOldAbandonsAreForgotten() {
        Pacing pacing = new Pacing(3);
        Campaign predictive = campaign(Campaign.Mode.PREDICTIVE);
        pacing.calls(predictive, 10, 0, new Pacing.Totals(0, 0));
        pacing.calls(predictive, 10, 0, new Pacing.Totals(10, 10));
        assertThat(pacing.abandonRate()).isEqualTo(0.5);
        pacing.calls(predictive, 10, 0, new Pacing.Totals(40, 10));
        pacing.calls(predictive, 10, 0, new Pacing.Totals(70, 10));
        assertThat(pacing.abandonRate()).as("the abandons left the window").isZero();
    }

    @Test
    void withoutLiveCallsToAffordItPredictiveDialsOnlyOneCallPerAvailableAgent() {
        Pacing pacing = new Pacing(300);
        Campaign predictive = campaign(Campaign.Mode.PREDICTIVE);
        long answered = 0;
        for (int tick = 0; tick < 30; tick++) {
            answered += 1; // the ratio rises on this evidence ...
            pacing.calls(predictive, 6, 0, new Pacing.Totals(answered, 0));
        }
        assertThat(pacing.ratio()).isGreaterThan(1.5);
        // ... but 31 live calls afford no abandon at 3 %: nothing beyond one call per agent
        assertThat(pacing.calls(predictive, 6, 0, new Pacing.Totals(answered, 0))).isEqualTo(6);
    }

    @Test
    void evenWhenEveryOverDialledCallIsAbandonedTheWindowStaysAtOrUnderTheCap() {
        Pacing pacing = new Pacing(300);
        Campaign predictive = campaign(Campaign.Mode.PREDICTIVE);
        long answered = 0;
        long abandoned = 0;
        long overDialled = 0;
        for (int tick = 0; tick < 300; tick++) {
            int calls = pacing.calls(predictive, 6, 0, new Pacing.Totals(answered, abandoned));
            int over = Math.max(0, calls - 6);
            overDialled += over;
            answered += calls - over; // one call per agent is taken by its agent
            abandoned += over; // the worst case: every call beyond that is abandoned
            assertThat((double) abandoned / (answered + abandoned)).as("tick " + tick).isLessThanOrEqualTo(0.03);
        }
        assertThat(overDialled).as("it still over-dials once it can afford to").isPositive();
    }
}
