package io.tandem.callback.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CallbackPropertiesTest {

    private static CallbackProperties with(String name, String secret, Duration parkTimeout) {
        return with(name, secret, parkTimeout, Duration.ofSeconds(1));
    }

    private static CallbackProperties with(String name, String secret, Duration parkTimeout, Duration wakeTierCheck) {
        return new CallbackProperties("redis://127.0.0.1:6379", name, secret, parkTimeout, Duration.ofSeconds(10),
                Duration.ofSeconds(2), 50, Duration.ofSeconds(15), Duration.ofSeconds(5), Duration.ofSeconds(5),
                wakeTierCheck, Duration.ofDays(1), 100_000, 100_000, "demo", 64);
    }

    @Test
    void theClusterSecretIsRequiredAndLongEnough() {
        assertThatThrownBy(() -> with("a", null, Duration.ofSeconds(90)))
                .hasMessageContaining("tandem.callback.cluster-secret");
        assertThatThrownBy(() -> with("a", "fifteen-chars!!", Duration.ofSeconds(90)))
                .hasMessageContaining("at least 16");
        assertThat(with("a", "sixteen-chars!!!", Duration.ofSeconds(90)).clusterSecret()).hasSize(16);
    }

    @Test
    void withoutANameTheInstanceIsNamedAfterItsHostAndPid() {
        assertThat(with("", "sixteen-chars!!!", Duration.ofSeconds(90)).name())
                .endsWith("-" + ProcessHandle.current().pid())
                .matches("[A-Za-z0-9][A-Za-z0-9._-]*");
    }

    @Test
    void aNameThatCannotBeAConsumerNameOrANonPositiveDurationIsRefusedByName() {
        assertThatThrownBy(() -> with("two words", "sixteen-chars!!!", Duration.ofSeconds(90)))
                .hasMessageContaining("tandem.callback.name");
        assertThatThrownBy(() -> with("a", "sixteen-chars!!!", Duration.ZERO))
                .hasMessageContaining("tandem.callback.park-timeout");
        assertThatThrownBy(() -> with("a", "sixteen-chars!!!", Duration.ofSeconds(90), Duration.ZERO))
                .hasMessageContaining("tandem.callback.wake-tier-check");
    }

    @Test
    void theSecretNeverShowsInItsDescription() {
        assertThat(with("a", "sixteen-chars!!!", Duration.ofSeconds(90)).toString()).doesNotContain("sixteen");
    }
}
