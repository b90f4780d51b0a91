package io.tandem.telephony.sip;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OverloadEpisodeTest {

    private static final long MS = 1_000_000L;
    private final OverloadEpisode episode = new OverloadEpisode();

    @Test
    void aStackHoveringAtItsLimitIsOneEpisodeEndedOnlyAfterASecondWithoutRefusals() {
        assertThat(episode.admitted(0)).isEqualTo(-1); // no episode: nothing to end
        assertThat(episode.refused(10 * MS)).isTrue();
        // Refusing one request, admitting the next, for 3 s: one start, no end.
        for (long t = 20; t < 3_000; t += 20) {
            assertThat(episode.admitted(t * MS)).isEqualTo(-1);
            assertThat(episode.refused((t + 10) * MS)).isFalse();
        }
        assertThat(episode.admitted(3_500 * MS)).isEqualTo(-1);
        long refused = episode.admitted(4_000 * MS);
        assertThat(refused).isEqualTo(150);
        assertThat(episode.lastedMillis()).isEqualTo(2_990 - 10);
        assertThat(episode.admitted(4_001 * MS)).isEqualTo(-1); // ended once
        assertThat(episode.refused(5_000 * MS)).isTrue(); // the next overload is a new episode
    }
}
