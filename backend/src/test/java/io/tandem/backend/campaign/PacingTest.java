package io.tandem.backend.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.util.ArrayDeque;
import java.util.Deque;
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
            pacing.calls(predictive, 10, 0, new Pacing.Totals(answered, 0), 0);
        }
        assertThat(pacing.ratio()).as("no abandons, enough evidence").isGreaterThan(1.2);
        double before = pacing.ratio();
        pacing.calls(predictive, 10, 0, new Pacing.Totals(answered + 10, 5), 0);
        assertThat(pacing.abandonRate()).isGreaterThan(0.03);
        assertThat(pacing.ratio()).isLessThan(before);
    }

    @Test
    void theLaterSlicesOfATickDialAtTheRatioItsFirstSetAndLeaveTheWindowAlone() {
        Pacing pacing = new Pacing(10);
        Campaign predictive = campaign(Campaign.Mode.PREDICTIVE);
        long answered = 0;
        for (int tick = 0; tick < 3; tick++) {
            answered += 10;
            pacing.calls(predictive, 10, 0, new Pacing.Totals(answered, 0), 0, true);
        }
        double set = pacing.ratio();
        for (int slice = 1; slice < 10; slice++) {
            pacing.calls(predictive, 10, 0, new Pacing.Totals(answered + 10L * slice, 0), 0, false);
        }
        assertThat(pacing.ratio()).as("no rise before the next tick").isEqualTo(set);
        pacing.calls(predictive, 10, 0, new Pacing.Totals(answered + 100, 0), 0, true);
        assertThat(pacing.ratio()).as("the next tick adapts").isGreaterThan(set);
    }

    @Test
    void theRatioNeverFallsUnderOneNorRisesWithoutEvidence() {
        Pacing pacing = new Pacing(10);
        Campaign predictive = campaign(Campaign.Mode.PREDICTIVE);
        pacing.calls(predictive, 10, 0, new Pacing.Totals(0, 0), 0);
        pacing.calls(predictive, 10, 0, new Pacing.Totals(3, 0), 0);
        assertThat(pacing.ratio()).as("3 calls prove nothing").isEqualTo(1.0);
        for (int tick = 0; tick < 20; tick++) {
            pacing.calls(predictive, 10, 0, new Pacing.Totals(3 + tick, 10L * tick), 0);
        }
        assertThat(pacing.ratio()).isEqualTo(1.0);
    }

    @Test
    void theWindowRollsSoOldAbandonsAreForgotten() {
        Pacing pacing = new Pacing(3);
        Campaign predictive = campaign(Campaign.Mode.PREDICTIVE);
        pacing.calls(predictive, 10, 0, new Pacing.Totals(0, 0), 0);
        pacing.calls(predictive, 10, 0, new Pacing.Totals(10, 10), 0);
        assertThat(pacing.abandonRate()).isEqualTo(0.5);
        pacing.calls(predictive, 10, 0, new Pacing.Totals(40, 10), 0);
        pacing.calls(predictive, 10, 0, new Pacing.Totals(70, 10), 0);
        assertThat(pacing.abandonRate()).as("the abandons left the window").isZero();
    }

    @Test
    void withoutLiveCallsToAffordItPredictiveDialsOnlyOneCallPerAvailableAgent() {
        Pacing pacing = new Pacing(300);
        Campaign predictive = campaign(Campaign.Mode.PREDICTIVE);
        long answered = 0;
        for (int tick = 0; tick < 30; tick++) {
            answered += 1; // the ratio rises on this evidence ...
            pacing.calls(predictive, 6, 0, new Pacing.Totals(answered, 0), 0);
        }
        assertThat(pacing.ratio()).isGreaterThan(1.5);
        // ... but 31 live calls afford no abandon at 3 %: nothing beyond one call per agent
        assertThat(pacing.calls(predictive, 6, 0, new Pacing.Totals(answered, 0), 0)).isEqualTo(6);
    }

    @Test
    void evenWhenEveryOverDialledCallIsAbandonedTheWindowStaysAtOrUnderTheCap() {
        Pacing pacing = new Pacing(300);
        Campaign predictive = campaign(Campaign.Mode.PREDICTIVE);
        Cluster cluster = new Cluster(20);
        for (int tick = 0; tick < 300; tick++) {
            cluster.tick(pacing, predictive, 6);
            cluster.assertAtOrUnderTheCapEvenIfEveryExposedCallIsAbandoned(tick);
        }
        assertThat(cluster.overDialled).as("it still over-dials once it can afford to").isPositive();
    }

    @Test
    void overDialsStillExposedShrinkTheBudgetWhoeverDialledThem() {
        Pacing pacing = new Pacing(300);
        Campaign predictive = campaign(Campaign.Mode.PREDICTIVE);
        long answered = 0;
        for (int tick = 0; tick < 60; tick++) {
            answered += 10;
            pacing.calls(predictive, 6, 0, new Pacing.Totals(answered, 0), 0);
        }
        Pacing.Totals totals = new Pacing.Totals(answered, 0);
        assertThat(pacing.abandonBudget(0.03, 0)).as("600 live calls afford 18 abandons").isEqualTo(18);
        assertThat(pacing.abandonBudget(0.03, 10)).as("10 exposed elsewhere leave 8").isEqualTo(8);
        assertThat(pacing.abandonBudget(0.03, 30)).as("the budget is spent").isZero();
        assertThat(pacing.calls(predictive, 6, 0, totals, 30)).as("one call per agent only").isEqualTo(6);
        assertThat(Pacing.overDialled(6, 2, 7)).as("4 calls for the free agents, 3 beyond").isEqualTo(3);
        assertThat(Pacing.overDialled(6, 2, 3)).isZero();
    }

    @Test
    void twoNodesTakingTurnsWithTheClustersExposedCallsStayAtOrUnderTheCap() {
        // each node keeps its own window and ratio; the exposed over-dials are the cluster's (Redis)
        Pacing one = new Pacing(300);
        Pacing two = new Pacing(300);
        Campaign predictive = campaign(Campaign.Mode.PREDICTIVE);
        Cluster cluster = new Cluster(20);
        for (int tick = 0; tick < 400; tick++) {
            cluster.tick(tick % 3 == 0 ? two : one, predictive, 6);
            cluster.assertAtOrUnderTheCapEvenIfEveryExposedCallIsAbandoned(tick);
        }
        assertThat(cluster.overDialled).as("the cluster still over-dials once it can afford to").isPositive();
    }

    /**
     * The worst case for the cap: each tick one call per agent is answered and taken by its agent, and every call
     * beyond that is abandoned {@code exposedTicks} later, exposed until then (as in Redis, every pacer's).
     */
    private static final class Cluster {
        final int exposedTicks;
        final Deque<Integer> exposed = new ArrayDeque<>();
        long answered;
        long abandoned;
        long overDialled;

        Cluster(int exposedTicks) {
            this.exposedTicks = exposedTicks;
        }

        void tick(Pacing pacer, Campaign campaign, int agents) {
            long pending = exposed.stream().mapToLong(Integer::longValue).sum();
            int calls = pacer.calls(campaign, agents, 0, new Pacing.Totals(answered, abandoned), pending);
            int over = Pacing.overDialled(agents, 0, calls);
            overDialled += over;
            answered += calls - over;
            exposed.addLast(over);
            if (exposed.size() > exposedTicks) {
                abandoned += exposed.removeFirst();
            }
        }

        void assertAtOrUnderTheCapEvenIfEveryExposedCallIsAbandoned(int tick) {
            long pending = exposed.stream().mapToLong(Integer::longValue).sum();
            long live = answered + abandoned + pending;
            assertThat(live == 0 ? 0 : (double) (abandoned + pending) / live).as("tick " + tick)
                    .isLessThanOrEqualTo(0.03);
        }
    }
}
