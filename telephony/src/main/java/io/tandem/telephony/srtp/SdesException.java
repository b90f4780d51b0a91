package io.tandem.telephony.srtp;

/**
 * An SDES offer or answer we cannot use: a malformed {@code a=crypto} line, a key of the wrong length, no suite we
 * support. A B2BUA answers the INVITE that carried it 488 Not Acceptable Here (RFC 4568 §7.1.1, RFC 3261 §21.4.26)
 * with this message as the reason.
 */
public final class SdesException extends Exception {

    public SdesException(String message) {
        super(message);
    }
}
