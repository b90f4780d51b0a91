package io.tandem.telephony.sdp;

/**
 * An offer or answer we cannot accept (RFC 3264): no audio stream, audio disabled with port 0, no common codec,
 * a secure profile we do not implement. In SIP this becomes {@code 488 Not Acceptable Here}; {@link #getMessage()}
 * is a short reason fit for a Warning header or a log line.
 */
public class SdpNegotiationException extends Exception {
    public SdpNegotiationException(String reason) {
        super(reason);
    }

    /** The reason, for a {@code Warning: 304/305} header or a 488 reason phrase. */
    public String reason() {
        return getMessage();
    }
}
