package io.tandem.telephony.srtp;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * SDES key exchange in SDP offer/answer (RFC 4568 §7): the offerer lists {@code a=crypto} lines, the answerer takes
 * one it supports and answers with the same tag and suite and a key of its own. Each side encrypts with its own key
 * and decrypts with the other's.
 */
public final class Sdes {

    /**
     * The keys of one negotiated SRTP stream.
     *
     * @param local  ours: what we protect with, the one we put in our SDP
     * @param remote theirs: what the peer protects with, so what we unprotect with
     */
    public record Keys(CryptoAttribute local, CryptoAttribute remote) {
    }

    private Sdes() {
    }

    /** Our offer: one fresh key per suite we support, tags from 1, the preferred suite first (RFC 4568 §7.1.1). */
    public static List<CryptoAttribute> offer(SecureRandom random) {
        List<CryptoAttribute> lines = new ArrayList<>();
        int tag = 1;
        for (SrtpSuite suite : SrtpSuite.values()) {
            lines.add(CryptoAttribute.generate(tag++, suite, random));
        }
        return lines;
    }

    /**
     * Our answer to the {@code a=crypto} values of an offer: the first line we can use, in the offerer's order of
     * preference (RFC 4568 §7.1.1), answered with its tag and suite and our own new key.
     *
     * @throws SdesException when no line is usable (the caller answers 488); the message names why the first failed
     */
    public static Keys answer(List<String> offered, SecureRandom random) throws SdesException {
        if (offered.isEmpty()) {
            throw new SdesException("SRTP offer without a crypto attribute");
        }
        SdesException first = null;
        for (String value : offered) {
            try {
                CryptoAttribute theirs = CryptoAttribute.parse(value);
                return new Keys(CryptoAttribute.generate(theirs.tag(), theirs.suite(), random), theirs);
            } catch (SdesException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        throw first;
    }

    /**
     * Reads the answer to our {@code offer}: exactly one {@code a=crypto} whose tag and suite are one of ours
     * (RFC 4568 §7.1.2).
     *
     * @throws SdesException when the answer has none, several, or one we did not offer
     */
    public static Keys accept(List<CryptoAttribute> offer, List<String> answered) throws SdesException {
        if (answered.size() != 1) {
            throw new SdesException("SRTP answer must carry one crypto attribute, not " + answered.size());
        }
        CryptoAttribute theirs = CryptoAttribute.parse(answered.get(0));
        for (CryptoAttribute ours : offer) {
            if (ours.tag() == theirs.tag() && ours.suite() == theirs.suite()) {
                return new Keys(ours, theirs);
            }
        }
        throw new SdesException("SRTP answer chose " + theirs + ", which was not offered");
    }
}
