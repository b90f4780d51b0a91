package io.tandem.backend.acd.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LostNodesTest {

    final AtomicLong now = new AtomicLong(1_000);
    final LostNodes lost = new LostNodes(Duration.ofSeconds(3), now::get);

    @Test
    void aNodeIsGoneOnlyAfterMissingForTheConfirmationTime() {
        lost.round(Set.of("a"));
        assertThat(lost.gone("b")).as("first seen missing").isFalse();
        now.addAndGet(2_999);
        lost.round(Set.of("a"));
        assertThat(lost.gone("b")).isFalse();
        now.addAndGet(1);
        lost.round(Set.of("a"));
        assertThat(lost.gone("b")).as("missing for a whole TTL").isTrue();
    }

    @Test
    void aLateBeatIsNoDeath() {
        lost.round(Set.of("a"));
        assertThat(lost.gone("b")).isFalse();
        now.addAndGet(2_000);
        lost.round(Set.of("a", "b")); // its beat came back
        now.addAndGet(2_000);
        lost.round(Set.of("a"));
        assertThat(lost.gone("b")).as("missing again, timed afresh").isFalse();
        now.addAndGet(3_000);
        assertThat(lost.gone("b")).isTrue();
    }
}
