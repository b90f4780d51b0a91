package io.tandem.callback.room;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WakeListTest {

    @Test
    void onlyLoggedOutAndNotReadyAgentsAreAsleepInTheNodesWireNames() {
        // The names the nodes write in the agent hash's state field (protocol's AgentState).
        assertThat(WakeList.ASLEEP).containsExactlyInAnyOrder("logged-out", "not-ready");
    }
}
