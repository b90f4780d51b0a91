package io.tandem.telephony.srtp;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * One SDES {@code a=crypto} attribute (RFC 4568 §9.1): {@code tag suite inline:key-salt[|lifetime]}. We take one
 * inline key without MKI and no session parameters: an MKI would put an index in every packet (RFC 3711 §3.1),
 * which no phone we meet sends, and a session parameter such as {@code UNENCRYPTED_SRTP} weakens what SDES is for.
 * Such a line is refused as {@link SdesException}, so the answerer may pick another line of the offer.
 *
 * @param tag     the offer's tag, echoed in the answer (RFC 4568 §6.1)
 * @param suite   the crypto suite
 * @param keySalt master key followed by master salt
 */
public record CryptoAttribute(int tag, SrtpSuite suite, byte[] keySalt) {

    public CryptoAttribute {
        Objects.requireNonNull(suite, "suite");
        if (tag < 0 || tag > 999_999_999) {
            throw new IllegalArgumentException("crypto tag must be 1 to 9 digits (RFC 4568 §9.1)");
        }
        if (keySalt.length != suite.keySaltLength()) {
            throw new IllegalArgumentException(suite + " needs " + suite.keySaltLength() + " bytes of key and salt");
        }
        keySalt = keySalt.clone();
    }

    /** A fresh random master key and salt for {@code suite} (RFC 4568 §6.1: each direction its own key). */
    public static CryptoAttribute generate(int tag, SrtpSuite suite, SecureRandom random) {
        byte[] keySalt = new byte[suite.keySaltLength()];
        random.nextBytes(keySalt);
        return new CryptoAttribute(tag, suite, keySalt);
    }

    /**
     * Parses the value of an {@code a=crypto} attribute (after {@code crypto:}).
     *
     * @throws SdesException for a line we cannot use: malformed, unknown suite, bad key, MKI, session parameters
     */
    public static CryptoAttribute parse(String value) throws SdesException {
        String[] fields = value.trim().split("[ \t]+");
        if (fields.length < 3) {
            throw new SdesException("crypto attribute needs a tag, a suite and a key");
        }
        if (fields.length > 3) {
            throw new SdesException("crypto session parameters are not supported: " + fields[3]);
        }
        int tag;
        try {
            if (fields[0].length() > 9) {
                throw new NumberFormatException();
            }
            tag = Integer.parseInt(fields[0]);
        } catch (NumberFormatException e) {
            throw new SdesException("crypto tag is not 1 to 9 digits: " + fields[0]);
        }
        SrtpSuite suite = SrtpSuite.named(fields[1])
                .orElseThrow(() -> new SdesException("unsupported crypto suite " + fields[1]));
        String keyParams = fields[2];
        if (keyParams.contains(";")) {
            throw new SdesException("more than one key per crypto attribute is not supported");
        }
        if (!keyParams.regionMatches(true, 0, "inline:", 0, 7)) {
            throw new SdesException("crypto key method is not inline");
        }
        String[] keyInfo = keyParams.substring(7).split("\\|", -1);
        if (keyInfo.length > 2 || keyInfo.length == 2 && keyInfo[1].contains(":")) {
            throw new SdesException("crypto MKI is not supported");
        }
        if (keyInfo.length == 2 && !keyInfo[1].matches("(2\\^)?[0-9]+")) {
            throw new SdesException("crypto key lifetime is not a number: " + keyInfo[1]);
        }
        byte[] keySalt;
        try {
            keySalt = Base64.getDecoder().decode(keyInfo[0]);
        } catch (IllegalArgumentException e) {
            throw new SdesException("crypto key is not base64");
        }
        if (keySalt.length != suite.keySaltLength()) {
            throw new SdesException("crypto key of " + suite + " must be " + suite.keySaltLength() + " bytes, not "
                    + keySalt.length);
        }
        return new CryptoAttribute(tag, suite, keySalt);
    }

    /** The attribute's value, e.g. {@code 1 AES_CM_128_HMAC_SHA1_80 inline:...}. */
    public String format() {
        return tag + " " + suite.name() + " inline:" + Base64.getEncoder().encodeToString(keySalt);
    }

    /** A copy of the master key and salt. */
    @Override
    public byte[] keySalt() {
        return keySalt.clone();
    }

    byte[] masterKey() {
        return Arrays.copyOfRange(keySalt, 0, SrtpSuite.KEY_LENGTH);
    }

    byte[] masterSalt() {
        return Arrays.copyOfRange(keySalt, SrtpSuite.KEY_LENGTH, keySalt.length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CryptoAttribute c && c.tag == tag && c.suite == suite && Arrays.equals(c.keySalt, keySalt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(tag, suite, Arrays.hashCode(keySalt));
    }

    /** Never the key: this text may end up in a log. */
    @Override
    public String toString() {
        return "crypto " + tag + " " + suite;
    }
}
