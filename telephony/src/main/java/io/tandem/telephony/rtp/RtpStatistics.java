package io.tandem.telephony.rtp;

/**
 * A snapshot of one RTP stream's counters.
 *
 * @param packetsSent      RTP packets sent
 * @param bytesSent        RTP payload bytes sent
 * @param packetsReceived  valid RTP packets received
 * @param bytesReceived    RTP payload bytes received
 * @param packetsLost      RFC 3550 §6.4.1 cumulative number of packets lost (expected − received)
 * @param packetsLate      packets that arrived after their play-out time and were dropped
 * @param packetsMalformed datagrams that were not valid RTP/RTCP and were dropped
 * @param jitterMillis     RFC 3550 §6.4.1 interarrival jitter, in milliseconds
 */
public record RtpStatistics(
        long packetsSent,
        long bytesSent,
        long packetsReceived,
        long bytesReceived,
        long packetsLost,
        long packetsLate,
        long packetsMalformed,
        double jitterMillis) {
}
