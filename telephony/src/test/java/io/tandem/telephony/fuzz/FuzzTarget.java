package io.tandem.telephony.fuzz;

import java.util.List;

/**
 * One parser, driven the way the node drives it on a received message. {@link #parse} returns what the node would do
 * with the input; it throws only when the parser misbehaves, and that is a finding.
 */
public interface FuzzTarget {
    String name();

    /** The inputs mutations start from: the torture corpus and captured traffic. */
    List<byte[]> seeds();

    /** true when inputs are binary datagrams (RTP, RTCP) rather than text. */
    boolean binary();

    ParseOutcome parse(byte[] input) throws Exception;
}
