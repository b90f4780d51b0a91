package io.tandem.backend.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DialerLimitsTest {

    private static final DialerLimits DEFAULTS = new DialerLimits(0, 0);

    @Test
    void eachLayerSetsOnlyWhatItNames() {
        DialerLimits limits = DEFAULTS.layered(Map.of("nodeCaps", "20", "nodeChannels", "40"),
                Map.of("nodeCaps", "10"), Map.of());
        assertThat(limits).isEqualTo(new DialerLimits(10, 40));
    }

    @Test
    void theNodeLayerChangesOnlyTheNodesConcurrency() {
        DialerLimits limits = DEFAULTS.layered(Map.of("nodeCaps", "20", "nodeChannels", "40"), Map.of(),
                Map.of("nodeChannels", "3", "nodeCaps", "1"));
        assertThat(limits).isEqualTo(new DialerLimits(20, 3));
    }

    @Test
    void anUnreadableValueKeepsTheLayerAbove() {
        DialerLimits limits = new DialerLimits(5, 6).layered(Map.of("nodeCaps", "many"),
                Map.of("nodeChannels", "-1"), Map.of());
        assertThat(limits).isEqualTo(new DialerLimits(5, 6));
    }
}
