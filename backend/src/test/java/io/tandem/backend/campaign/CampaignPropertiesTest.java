package io.tandem.backend.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CampaignPropertiesTest {

    private static CampaignProperties of(Duration tick, int slices, int budget) {
        return new CampaignProperties(true, tick, slices, budget, 1000, 0, 0, Duration.ofSeconds(2),
                Duration.ofSeconds(5));
    }

    /** Each slice's own part of the tick's budget: what the slices up to it may have started, less the last's. */
    private static List<Integer> parts(CampaignProperties properties) {
        List<Integer> parts = new ArrayList<>();
        int before = 0;
        for (int slice = 0; slice < properties.slices(); slice++) {
            parts.add(properties.budgetThrough(slice) - before);
            before = properties.budgetThrough(slice);
        }
        return parts;
    }

    @Test
    void theSlicesShareTheTicksBudgetEvenlyAndTheLastReachesAllOfIt() {
        assertThat(parts(of(Duration.ofSeconds(1), 10, 300))).containsOnly(30);
        CampaignProperties uneven = of(Duration.ofSeconds(1), 10, 7);
        assertThat(parts(uneven)).allSatisfy(part -> assertThat(part).isBetween(0, 1));
        assertThat(uneven.budgetThrough(9)).isEqualTo(7);
        assertThat(of(Duration.ofSeconds(1), 1, 50).budgetThrough(0)).as("one slice: the tick at once")
                .isEqualTo(50);
        assertThat(of(Duration.ofSeconds(1), 10, 50).sliceMillis()).isEqualTo(100);
    }

    @Test
    void slicesOutsideTheirRangeAreRefusedNamingTheProperty() {
        assertThatThrownBy(() -> of(Duration.ofSeconds(1), 0, 50)).hasMessageContaining("tandem.campaigns.slices");
        assertThatThrownBy(() -> of(Duration.ofSeconds(1), 101, 50)).hasMessageContaining("tandem.campaigns.slices");
        assertThatThrownBy(() -> of(Duration.ofMillis(20), 10, 50)).as("2 ms slices")
                .hasMessageContaining("tandem.campaigns.slices");
        assertThatThrownBy(() -> new CampaignProperties(true, Duration.ofSeconds(1), 10, 50, 0, 0, 0,
                Duration.ofSeconds(2), Duration.ofSeconds(5))).hasMessageContaining("tandem.campaigns.dial-queue");
    }
}
