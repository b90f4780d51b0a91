package io.tandem.telephony.fuzz;

/** What the node does with an input; anything else (an unexpected exception, a hang) is a finding. */
public enum ParseOutcome {
    /** parsed and handed on (a request to the features, a response to the transactions, RTP to the relay) */
    ACCEPTED,
    /** refused with a 4xx (or 505) response the node builds and sends */
    REJECTED,
    /** discarded and counted (an unparseable response, a request without the headers to answer it, bad RTP) */
    DROPPED
}
