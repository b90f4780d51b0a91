package io.tandem.telephony.rtp;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TickScheduleTest {
    private static final long MS = 1_000_000;

    @Test
    void lateWakeUpsDoNotAccumulateIntoDrift() {
        TickSchedule s = new TickSchedule(0, 20 * MS);
        long deadline = 0;
        for (int i = 0; i < 1000; i++) {
            deadline = s.next();
            // every wake-up is 3 ms late, as a busy machine delivers them
            assertThat(s.skipped(deadline + 3 * MS)).isZero();
        }
        // 1000 ticks later the schedule is exactly 20 s on, not 1000 × 23 ms
        assertThat(deadline).isEqualTo(1000 * 20 * MS);
    }

    @Test
    void aStallSkipsTheMissedTicksInsteadOfBurstingThem() {
        TickSchedule s = new TickSchedule(0, 20 * MS);
        long d1 = s.next(); // 20 ms
        // the thread wakes 110 ms late (a GC pause): 5 whole periods missed
        long now = d1 + 110 * MS;
        assertThat(s.skipped(now)).isEqualTo(5);
        long d2 = s.next();
        // the next tick is in the future, one period after the last skipped deadline: no back-to-back ticks
        assertThat(d2).isGreaterThan(now);
        assertThat(d2 - now).isLessThanOrEqualTo(20 * MS);
        assertThat(d2).isEqualTo(140 * MS);
    }

    @Test
    void upToOnePeriodLateRunsImmediatelyWithoutSkipping() {
        TickSchedule s = new TickSchedule(0, 20 * MS);
        long d = s.next();
        assertThat(s.skipped(d + 20 * MS)).isZero();
        assertThat(s.next()).isEqualTo(40 * MS);
    }
}
