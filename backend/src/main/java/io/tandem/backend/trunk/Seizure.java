package io.tandem.backend.trunk;

import java.util.List;

/**
 * A channel of a trunk held for one outgoing INVITE (and its place in the trunk's second): where the INVITE goes
 * and as whom. Given back with {@link TrunkHunt#release}.
 *
 * @param trunk        the trunk's id
 * @param callId       the Call-ID the INVITE must carry (the channel is held under it)
 * @param requestUri   {@code sip:<E.164>@host:port}, with the transport when not UDP
 * @param transport    {@code udp} or {@code tcp}
 * @param callerNumber the From user the carrier sees, by the trunk's caller-id rule
 * @param codecs       the codecs the carrier takes, in preference order
 * @param seizedAt     when its place in the trunk's second was taken (Redis time, epoch ms); once the INVITE is
 *                     sent the limits count it from then ({@link TrunkHunt#sent})
 * @param seizedNanos  this node's {@link System#nanoTime} just before the seizure was asked for: the send deadline
 *                     counts from here ({@link TrunkHunt#sendable})
 * @param credentials  what answers the carrier's challenge to this INVITE (a registration trunk's digest
 *                     credentials; none for an address-authenticated trunk), one instance per INVITE branch
 */
public record Seizure(String trunk, String callId, String requestUri, String transport, String callerNumber,
        List<String> codecs, long seizedAt, long seizedNanos, CarrierCredentials credentials) {

    /** The call's carrier side, for its record. */
    public CarrierLeg leg() {
        return new CarrierLeg(trunk, "");
    }
}
