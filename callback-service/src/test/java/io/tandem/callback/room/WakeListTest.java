package io.tandem.callback.room;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.protocol.callback.PushBinding;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WakeListTest {

    private static final long NOW = 1_800_000_000_000L;

    @Test
    void onlyLoggedOutAndNotReadyAgentsAreAsleepInTheNodesWireNames() {
        // The names the nodes write in the agent hash's state field (protocol's AgentState).
        assertThat(WakeList.ASLEEP).containsExactlyInAnyOrder("logged-out", "not-ready");
    }

    @Test
    void aSoftphoneSeenJustNowOnALiveNodeIsWokenOverTheWebSocketAsTheAgentOfTheTenant() {
        Map<String, String> agent = Map.of("state", "not-ready", "node", "n1", "seen", Long.toString(NOW - 1_500));

        PushBinding device = WakeList.softphone("demo", "1011", agent, true, NOW).orElseThrow();

        assertThat(device.provider()).isEqualTo("websocket");
        assertThat(device.prid()).isEqualTo("1011");
        assertThat(device.param()).isEqualTo("demo");
        assertThat(device.device()).isEqualTo("softphone:1011");
        assertThat(device.node()).isEqualTo("n1");
    }

    @Test
    void aSoftphoneNotSeenRecentlyOrOnADeadNodeOrNeverSeenIsNotWoken() {
        long stale = NOW - WakeList.SOFTPHONE_SEEN_WITHIN.toMillis() - 1;
        assertThat(WakeList.softphone("demo", "1011", Map.of("node", "n1", "seen", Long.toString(stale)), true, NOW))
                .isEmpty();
        assertThat(WakeList.softphone("demo", "1011", Map.of("node", "n1", "seen", Long.toString(NOW)), false, NOW))
                .isEmpty();
        assertThat(WakeList.softphone("demo", "1011", Map.of("state", "logged-out"), true, NOW)).isEmpty();
    }
}
