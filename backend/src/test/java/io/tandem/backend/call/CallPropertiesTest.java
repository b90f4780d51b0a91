package io.tandem.backend.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CallPropertiesTest {

    private static final Duration THIRTY = Duration.ofSeconds(30);
    private static final Duration FIVE_MINUTES = Duration.ofMinutes(5);

    @Test
    void aWakeWaitThatIsNotPositiveIsRefusedNamingTheProperty() {
        assertThatThrownBy(() -> new CallProperties(THIRTY, THIRTY, Duration.ZERO, FIVE_MINUTES))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tandem.call.wake-wait");
        assertThatThrownBy(() -> new CallProperties(THIRTY, THIRTY, Duration.ofSeconds(-1), FIVE_MINUTES))
                .hasMessageContaining("tandem.call.wake-wait");
    }

    @Test
    void aPositiveWakeWaitIsKept() {
        assertThat(new CallProperties(THIRTY, THIRTY, Duration.ofSeconds(45), FIVE_MINUTES).wakeWait())
                .isEqualTo(Duration.ofSeconds(45));
    }

    @Test
    void aDialogTtlTooShortToRefreshIsRefusedNamingTheProperty() {
        assertThatThrownBy(() -> new CallProperties(THIRTY, THIRTY, THIRTY, Duration.ofSeconds(2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tandem.call.dialog-ttl");
    }
}
