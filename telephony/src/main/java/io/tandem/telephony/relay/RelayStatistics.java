package io.tandem.telephony.relay;

/**
 * Counters of one direction of an {@link RtpRelay} (packets received on one leg and sent
 * out of the other).
 *
 * @param packetsForwarded  RTP packets sent on (telephone-events included)
 * @param bytesForwarded    RTP bytes sent on, headers included
 * @param packetsTranscoded of those, packets whose G.711 payload was converted (PCMU ↔ PCMA)
 * @param packetsDropped    valid RTP not forwarded: unknown payload type, no destination yet,
 *                          a codec pair that cannot be converted, or a full socket buffer
 * @param packetsMalformed  datagrams on the RTP or RTCP port that were not RTP/RTCP
 * @param rtcpForwarded     RTCP datagrams passed through to the other leg
 * @param srtpRefused       SRTP/SRTCP datagrams from an SRTP party refused before anything else looked at them:
 *                          failed authentication (forged, tampered, wrong key), replayed, or too short (RFC 3711 §3.3)
 */
public record RelayStatistics(long packetsForwarded, long bytesForwarded, long packetsTranscoded,
                              long packetsDropped, long packetsMalformed, long rtcpForwarded,
                              long srtpRefused) {
}
