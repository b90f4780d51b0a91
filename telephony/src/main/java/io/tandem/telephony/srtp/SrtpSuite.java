package io.tandem.telephony.srtp;

import org.jitsi.srtp.SrtpPolicy;

import java.util.Locale;
import java.util.Optional;

/**
 * The SDES crypto suites we speak (RFC 4568 §6.2): AES counter mode with a 128-bit key and HMAC-SHA1, with an 80- or
 * a 32-bit tag on SRTP. Both take a 16-byte master key and a 14-byte master salt (RFC 3711 §8.2).
 */
public enum SrtpSuite {
    /** RFC 4568 §6.2.1: the suite every SDES endpoint must support; listed first in our offers. */
    AES_CM_128_HMAC_SHA1_80(10),
    /** RFC 4568 §6.2.2: 4-byte SRTP tag for low-bandwidth links; SRTCP keeps the 10-byte tag. */
    AES_CM_128_HMAC_SHA1_32(4);

    /** Master key length in bytes. */
    public static final int KEY_LENGTH = 16;
    /** Master salt length in bytes. */
    public static final int SALT_LENGTH = 14;
    /** RFC 3711 §4.2: HMAC-SHA1 session authentication key length in bytes. */
    private static final int AUTH_KEY_LENGTH = 20;
    /** RFC 4568 §6.2.2: SRTCP is always authenticated with an 80-bit tag. */
    private static final int SRTCP_TAG_LENGTH = 10;

    private final int srtpTagLength;

    SrtpSuite(int srtpTagLength) {
        this.srtpTagLength = srtpTagLength;
    }

    /** The suite named {@code name} in an {@code a=crypto} line (RFC 4568 §9.1: case matters not in practice). */
    public static Optional<SrtpSuite> named(String name) {
        try {
            return Optional.of(valueOf(name.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException unknown) {
            return Optional.empty();
        }
    }

    /** Master key plus master salt: the bytes an {@code inline:} key carries. */
    public int keySaltLength() {
        return KEY_LENGTH + SALT_LENGTH;
    }

    /** Bytes SRTP adds to an RTP packet (no MKI). */
    public int srtpTagLength() {
        return srtpTagLength;
    }

    SrtpPolicy srtpPolicy() {
        return new SrtpPolicy(SrtpPolicy.AESCM_ENCRYPTION, KEY_LENGTH, SrtpPolicy.HMACSHA1_AUTHENTICATION,
                AUTH_KEY_LENGTH, srtpTagLength, SALT_LENGTH);
    }

    SrtpPolicy srtcpPolicy() {
        return new SrtpPolicy(SrtpPolicy.AESCM_ENCRYPTION, KEY_LENGTH, SrtpPolicy.HMACSHA1_AUTHENTICATION,
                AUTH_KEY_LENGTH, SRTCP_TAG_LENGTH, SALT_LENGTH);
    }
}
