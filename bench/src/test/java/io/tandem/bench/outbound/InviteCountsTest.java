package io.tandem.bench.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InviteCountsTest {

    @Test
    void aSlidingSecondCatchesABurstAcrossTwoClockSeconds() {
        // 3 INVITEs at the end of one clock second and 3 at the start of the next: 3 per clock second, 6 in 1000 ms
        long[] times = {10_900, 10_950, 10_999, 11_000, 11_050, 11_100, 12_500};
        assertThat(InviteCounts.mostInAnySlidingSecond(times)).isEqualTo(6);
        assertThat(InviteCounts.mostInAClockSecond(times)).isEqualTo(3);
    }

    @Test
    void arrivalsExactlyOneSecondApartAreInDifferentWindows() {
        long[] times = {1_000, 2_000, 3_000};
        assertThat(InviteCounts.mostInAnySlidingSecond(times)).isEqualTo(1);
    }

    @Test
    void innerSecondsLeaveOutThePartialFirstAndLast() {
        long[] times = {1_500, 2_100, 2_200, 3_300, 4_900};
        assertThat(InviteCounts.innerSeconds(InviteCounts.perClockSecond(times))).containsOnlyKeys(2L, 3L);
    }
}
