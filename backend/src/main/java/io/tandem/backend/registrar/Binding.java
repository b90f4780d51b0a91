package io.tandem.backend.registrar;

import java.time.Instant;
import java.util.List;

/**
 * One registered contact of an extension, as stored in {@code tandem:{t}:reg:<ext>} (field {@code c:<contact>}).
 *
 * @param extension    the address of record's user part
 * @param node         id of the node that accepted the REGISTER and holds the phone's flow: calls go through it
 * @param contact      the Contact URI as the phone sent it
 * @param reachable    where to send requests: the contact with host and port replaced by the source of the REGISTER
 *                     when they differ (RFC 3581 {@code received}/{@code rport}: the phone is behind NAT)
 * @param transport    transport the REGISTER arrived on ({@code udp}, {@code tcp})
 * @param source       {@code ip:port} the REGISTER came from
 * @param userAgent    the phone's User-Agent, empty when absent
 * @param callId       Call-ID of the REGISTER that wrote it (RFC 3261 §10.3 step 7 orders refreshes by it and CSeq)
 * @param cseq         CSeq of that REGISTER
 * @param registeredAt when this contact was first registered
 * @param updatedAt    when it was last refreshed
 * @param expiresAt    when it expires unless refreshed
 * @param path         the REGISTER's Path entries (RFC 3327), first hop first; empty when it came straight from the
 *                     phone. A phone with a path is reached through it from any node, whichever node took its REGISTER
 */
public record Binding(String extension, String node, String contact, String reachable, String transport,
        String source, String userAgent, String callId, long cseq, Instant registeredAt, Instant updatedAt,
        Instant expiresAt, List<String> path) {

    public Binding {
        path = path == null ? List.of() : List.copyOf(path);
    }

    /** A binding made before paths were stored, or of a phone that registered straight to the node. */
    public Binding(String extension, String node, String contact, String reachable, String transport, String source,
            String userAgent, String callId, long cseq, Instant registeredAt, Instant updatedAt, Instant expiresAt) {
        this(extension, node, contact, reachable, transport, source, userAgent, callId, cseq, registeredAt, updatedAt,
                expiresAt, List.of());
    }

    /**
     * The phone registered through a proxy that asked to stay on the path (an edge): any node reaches it through
     * that proxy, so the binding does not die with the node that took the REGISTER (RFC 3327 §5.3).
     */
    public boolean viaPath() {
        return !path.isEmpty();
    }

    /** Seconds left at {@code now}, never negative (the value of the {@code expires} param in a 200). */
    public long expiresIn(Instant now) {
        return Math.max(0, (expiresAt.toEpochMilli() - now.toEpochMilli() + 999) / 1000);
    }
}
