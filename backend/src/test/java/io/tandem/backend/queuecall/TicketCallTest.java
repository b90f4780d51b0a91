package io.tandem.backend.queuecall;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What a customer's final answer to a callback means for the ticket's attempt (RFC 3261 §21). */
class TicketCallTest {

    @Test
    void busyAndDeclineAreTheCustomers() {
        assertThat(TicketCall.reasonOf(486)).isEqualTo("busy");
        assertThat(TicketCall.reasonOf(600)).isEqualTo("busy");
        assertThat(TicketCall.reasonOf(603)).isEqualTo("declined");
    }

    @Test
    void timeoutsAndCancelsAreNoAnswer() {
        assertThat(TicketCall.reasonOf(408)).isEqualTo("no-answer");
        assertThat(TicketCall.reasonOf(480)).isEqualTo("no-answer");
        assertThat(TicketCall.reasonOf(487)).isEqualTo("no-answer");
    }

    @Test
    void anUnknownNumberIsUnreachableAndTheRestFailed() {
        assertThat(TicketCall.reasonOf(404)).isEqualTo("unreachable");
        assertThat(TicketCall.reasonOf(503)).isEqualTo("failed");
        assertThat(TicketCall.reasonOf(488)).isEqualTo("failed");
    }

    @Test
    void aTicketsEntryHasAnIdOfItsOwn() {
        assertThat(TicketCall.entryId("r-1")).isEqualTo("ticket-r-1");
    }
}
