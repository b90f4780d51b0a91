package io.tandem.agent.engine.pjsua2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class RegistrarFailoverTest {
    private static final String N1 = "sip:10.0.0.1:5060";
    private static final String N2 = "sip:10.0.0.2:5060";
    private static final String N3 = "sip:10.0.0.3:5060";

    @Test
    void movesDownTheListAndWrapsRoundToThePreferredNode() {
        RegistrarFailover failover = new RegistrarFailover(List.of(N1, N2, N3));
        assertThat(failover.current()).isEqualTo(N1);
        assertThat(failover.onPreferred()).isTrue();

        assertThat(failover.next()).as("wrapped").isFalse();
        assertThat(failover.current()).isEqualTo(N2);
        assertThat(failover.onPreferred()).isFalse();
        assertThat(failover.next()).isFalse();
        assertThat(failover.current()).isEqualTo(N3);
        assertThat(failover.next()).as("every node failed once").isTrue();
        assertThat(failover.current()).isEqualTo(N1);
    }

    @Test
    void goesBackToThePreferredNode() {
        RegistrarFailover failover = new RegistrarFailover(List.of(N1, N2));
        failover.next();
        failover.backToPreferred();
        assertThat(failover.current()).isEqualTo(N1);
        assertThat(failover.preferred()).isEqualTo(N1);
    }

    @Test
    void aSilentOrBrokenNodeIsANodeFailureAWrongPasswordIsNot() {
        assertThat(RegistrarFailover.nodeFailure(408)).isTrue();
        assertThat(RegistrarFailover.nodeFailure(503)).isTrue();
        assertThat(RegistrarFailover.nodeFailure(500)).isTrue();
        assertThat(RegistrarFailover.nodeFailure(401)).isFalse();
        assertThat(RegistrarFailover.nodeFailure(403)).isFalse();
        assertThat(RegistrarFailover.refusedForGood(403)).isTrue();
        assertThat(RegistrarFailover.refusedForGood(401)).isTrue();
        assertThat(RegistrarFailover.refusedForGood(503)).isFalse();
    }

    @Test
    void anEmptyListIsRefused() {
        assertThatThrownBy(() -> new RegistrarFailover(List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
