package io.tandem.callback.ticket;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class TicketStateTest {

    @Test
    void aTicketIsWorkedOpenOfferedDiallingConnectedDone() {
        assertThat(TicketState.OPEN.canBecome(TicketState.OFFERED)).isTrue();
        assertThat(TicketState.OFFERED.canBecome(TicketState.DIALLING)).isTrue();
        assertThat(TicketState.DIALLING.canBecome(TicketState.CONNECTED)).isTrue();
        assertThat(TicketState.CONNECTED.canBecome(TicketState.DONE)).isTrue();
    }

    @Test
    void anOfferTheAgentDidNotTakeGoesBackToOpen() {
        assertThat(TicketState.from(TicketState.OPEN))
                .containsExactlyInAnyOrder(TicketState.OPEN, TicketState.OFFERED, TicketState.RETRY_WAIT);
    }

    @Test
    void onlyADialledTicketCanWaitToRetryOrFail() {
        assertThat(TicketState.from(TicketState.RETRY_WAIT)).containsExactly(TicketState.DIALLING);
        assertThat(TicketState.from(TicketState.FAILED)).containsExactly(TicketState.DIALLING);
    }

    @Test
    void onlyAWaitingTicketIsCancelled() {
        assertThat(TicketState.from(TicketState.CANCELLED))
                .containsExactlyInAnyOrder(TicketState.OPEN, TicketState.RETRY_WAIT);
        assertThat(TicketState.DIALLING.canBecome(TicketState.CANCELLED)).isFalse();
        assertThat(TicketState.CONNECTED.canBecome(TicketState.CANCELLED)).isFalse();
    }

    @Test
    void doneFailedAndCancelledAreFinal() {
        for (TicketState state : TicketState.values()) {
            assertThat(state.isFinal()).as(state.wire())
                    .isEqualTo(EnumSet.of(TicketState.DONE, TicketState.FAILED, TicketState.CANCELLED)
                            .contains(state));
        }
    }

    @Test
    void connectedOnlyAfterDialling() {
        assertThat(TicketState.from(TicketState.CONNECTED)).containsExactly(TicketState.DIALLING);
        assertThat(TicketState.OPEN.canBecome(TicketState.CONNECTED)).isFalse();
    }
}
