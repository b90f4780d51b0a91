package io.tandem.telephony.rtp;

/** A datagram on the RTCP port that is not a valid compound RTCP packet (RFC 3550 §6.1, Appendix A.2). */
public final class RtcpFormatException extends Exception {
    public RtcpFormatException(String message) {
        // no stack trace: thrown for every garbage datagram, caught one frame up
        super(message, null, false, false);
    }
}
