package io.tandem.backend.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class VotingPropertiesTest {

    private static final Duration TWO = Duration.ofSeconds(2);

    @Test
    void aVoteMustOutliveTheTimeBetweenTwoVotesOfOneVoter() {
        assertThat(new VotingProperties(true, TWO, TWO, 2, Duration.ofSeconds(10)).voteTtl())
                .isEqualTo(Duration.ofSeconds(10));
        assertThatThrownBy(() -> new VotingProperties(true, TWO, TWO, 2, Duration.ofSeconds(4)))
                .hasMessageContaining("tandem.cluster.voting.vote-ttl");
    }

    @Test
    void durationsMustBePositive() {
        assertThatThrownBy(() -> new VotingProperties(true, Duration.ZERO, TWO, 2, Duration.ofSeconds(10)))
                .hasMessageContaining("tandem.cluster.voting.probe-interval");
        assertThatThrownBy(() -> new VotingProperties(true, TWO, Duration.ofSeconds(-1), 2, Duration.ofSeconds(10)))
                .hasMessageContaining("tandem.cluster.voting.probe-timeout");
    }
}
