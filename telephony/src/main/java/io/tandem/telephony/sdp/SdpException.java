package io.tandem.telephony.sdp;

/** An SDP body that cannot be parsed (RFC 4566 §5 grammar); the message names the offending line. */
public class SdpException extends Exception {
    public SdpException(String message) {
        super(message);
    }
}
