package io.tandem.backend.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CallPropertiesTest {

    private static final Duration THIRTY = Duration.ofSeconds(30);

    @Test
    void aWakeWaitThatIsNotPositiveIsRefusedNamingTheProperty() {
        assertThatThrownBy(() -> new CallProperties(THIRTY, THIRTY, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tandem.call.wake-wait");
        assertThatThrownBy(() -> new CallProperties(THIRTY, THIRTY, Duration.ofSeconds(-1)))
                .hasMessageContaining("tandem.call.wake-wait");
    }

    @Test
    void aPositiveWakeWaitIsKept() {
        assertThat(new CallProperties(THIRTY, THIRTY, Duration.ofSeconds(45)).wakeWait())
                .isEqualTo(Duration.ofSeconds(45));
    }
}
