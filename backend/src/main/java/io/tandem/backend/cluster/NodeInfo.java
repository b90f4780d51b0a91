package io.tandem.backend.cluster;

import java.time.Instant;

/**
 * One node as its heartbeat describes it.
 *
 * @param id        node id
 * @param sip       SIP URI of its listening points
 * @param http      base URL of its REST API
 * @param version   Tandem version
 * @param startedAt when the node started
 * @param lastBeat  when it last refreshed its heartbeat (its own clock)
 * @param calls     calls with a leg on that node
 * @param registrations SIP contacts registered on that node (as of its last beat)
 */
public record NodeInfo(String id, String sip, String http, String version, Instant startedAt, Instant lastBeat,
        int calls, int registrations) {
}
