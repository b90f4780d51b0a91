package io.tandem.callback.room;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.protocol.callback.PushBinding;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The order of a tiered wake and the setting the node copies into the room's hash. */
class TierPlanTest {

    @Test
    void theLowestTierComesFirstThenByPenaltyThenInMemberOrder() {
        // In member order, as WakeList finds them; 1014 has two devices.
        List<Woken> devices = List.of(device("1011"), device("1012"), device("1013"), device("1014", "a"),
                device("1014", "b"), device("1015"));
        Map<String, String> tiers = Map.of("1011", "2|0", "1012", "1|5", "1013", "3|0", "1014", "1|0", "1015", "2|0");

        TierPlan plan = TierPlan.of(devices, tiers);

        assertThat(plan.devices()).extracting(d -> d.binding().device())
                .containsExactly("1014-a", "1014-b", "1012", "1011", "1015", "1013");
        assertThat(plan.firstTier()).isEqualTo(OptionalInt.of(1));
        assertThat(plan.tierAfter(1)).isEqualTo(OptionalInt.of(2));
        assertThat(plan.tierAfter(2)).isEqualTo(OptionalInt.of(3));
        assertThat(plan.tierAfter(3)).isEmpty();
        assertThat(plan.upTo(1)).extracting(Woken::user).containsExactly("1014", "1014", "1012");
        assertThat(plan.upTo(2)).extracting(Woken::user).containsExactly("1014", "1014", "1012", "1011", "1015");
        assertThat(plan.upTo(9)).hasSize(6);
    }

    @Test
    void tiersWithNobodyAsleepAreSkipped() {
        TierPlan plan = TierPlan.of(List.of(device("1011"), device("1012")), Map.of("1011", "2|0", "1012", "5|0"));

        assertThat(plan.firstTier()).isEqualTo(OptionalInt.of(2));
        assertThat(plan.upTo(1)).isEmpty();
        assertThat(plan.tierAfter(2)).isEqualTo(OptionalInt.of(5));
        assertThat(plan.tierAfter(1)).isEqualTo(OptionalInt.of(2));
    }

    @Test
    void aMemberWithoutAReadableTierIsInTheFirstTier() {
        TierPlan plan = TierPlan.of(List.of(device("1011"), device("1012"), device("1013")),
                Map.of("1011", "3|0", "1013", "garbage"));

        assertThat(plan.upTo(1)).extracting(Woken::user).containsExactly("1012", "1013");
        assertThat(TierPlan.placing("4|17")).isEqualTo(new TierPlan.Placing(4, 17));
        assertThat(TierPlan.placing(null)).isEqualTo(TierPlan.DEFAULT_PLACING);
    }

    @Test
    void nobodyAsleepIsAnEmptyPlan() {
        TierPlan plan = TierPlan.of(List.of(), Map.of("1011", "1|0"));

        assertThat(plan.firstTier()).isEmpty();
        assertThat(plan.tierAfter(0)).isEmpty();
        assertThat(plan.upTo(9)).isEmpty();
    }

    @Test
    void theRoomSaysTiersAndTheDelayElseEveryoneIsWokenAtOnce() {
        assertThat(WakeSetting.of("r1", Map.of("wake", "tiers", "wakeTierDelay", "45000")))
                .isEqualTo(new WakeSetting(true, Duration.ofSeconds(45)));
        assertThat(WakeSetting.of("r1", Map.of("wake", "all", "wakeTierDelay", "45000"))).isEqualTo(WakeSetting.ALL);
        assertThat(WakeSetting.of("r1", Map.of("deadline", "1"))).as("a room from a node before tiers")
                .isEqualTo(WakeSetting.ALL);
        assertThat(WakeSetting.of("r1", Map.of("wake", "sometimes"))).isEqualTo(WakeSetting.ALL);
        assertThat(WakeSetting.of("r1", Map.of("wake", "tiers", "wakeTierDelay", "soon")))
                .isEqualTo(new WakeSetting(true, WakeSetting.DEFAULT_TIER_DELAY));
    }

    private static Woken device(String user) {
        return new Woken(user, binding(user, user));
    }

    private static Woken device(String user, String suffix) {
        return new Woken(user, binding(user + "-" + suffix, user));
    }

    private static PushBinding binding(String device, String user) {
        return new PushBinding(device, "apns", "token-" + device, "TEAM.app.voip", "n1", 0, Long.MAX_VALUE);
    }
}
