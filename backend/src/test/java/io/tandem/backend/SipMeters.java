package io.tandem.backend;

import io.micrometer.core.instrument.MeterRegistry;

/** What a test node's SIP layer counts (`NodeMetrics`), read by the ITs that check retransmissions and transactions. */
public record SipMeters(TestNode node) {

    private MeterRegistry registry() {
        return node.bean(MeterRegistry.class);
    }

    /** Server transactions the stack holds now. */
    public double serverTransactions() {
        return registry().get("tandem.sip.server.transactions").gauge().value();
    }

    /** Responses sent of {@code statusClass} ("2xx", "4xx", …). */
    public double responses(String statusClass) {
        return registry().get("tandem.sip.responses").tag("class", statusClass).counter().count();
    }

    /** Retransmissions by {@code outcome}: "repeated" (the kept answer sent again) or "absorbed". */
    public double retransmissions(String outcome) {
        return registry().get("tandem.sip.retransmissions").tag("outcome", outcome).counter().count();
    }

    /** All of it in one line, and the failed sends, for a failure's message. */
    public String summary() {
        StringBuilder state = new StringBuilder();
        registry().find("tandem.sip.retransmissions").counters().forEach(c -> state.append("retransmissions ")
                .append(c.getId().getTag("outcome")).append(' ').append(c.count()).append(", "));
        registry().find("tandem.sip.send.failures").counters().forEach(c -> state.append("send failures ")
                .append(c.getId().getTag("reason")).append(' ').append(c.count()).append(", "));
        return state.append("stateless answers kept ")
                .append(registry().get("tandem.sip.stateless.answers").gauge().value()).append(", server transactions ")
                .append(serverTransactions()).toString();
    }
}
