package io.tandem.backend.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.backend.acd.queues.Strategy;
import io.tandem.backend.directory.Role;
import io.tandem.protocol.AgentState;
import org.junit.jupiter.api.Test;

class EnumValuesTest {

    @Test
    void valuesAreSpelledAsInTheJsonBody() {
        assertThat(EnumValues.wireNames(Strategy.class)).startsWith("ring-all", "longest-idle").contains("skills-based");
        assertThat(EnumValues.wireNames(AgentState.class)).contains("not-ready", "wrap-up");
        assertThat(EnumValues.wireNames(Role.class)).as("no annotation: the Java name")
                .containsExactly("AGENT", "SUPERVISOR", "ADMIN");
    }
}
