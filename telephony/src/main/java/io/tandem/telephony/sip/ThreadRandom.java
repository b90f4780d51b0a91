package io.tandem.telephony.sip;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * Unpredictable bytes for tags, branches, cnonces and nonces, from one generator per thread. The shared default
 * ({@code NativePRNG}) reads /dev/urandom under a global lock on every call, which showed in a registrar's profile
 * under load; a DRBG (NIST SP 800-90A) seeded once per thread does not contend.
 */
public final class ThreadRandom {

    private static final ThreadLocal<SecureRandom> GENERATORS = ThreadLocal.withInitial(ThreadRandom::generator);

    private ThreadRandom() {
    }

    public static void nextBytes(byte[] bytes) {
        GENERATORS.get().nextBytes(bytes);
    }

    private static SecureRandom generator() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            return new SecureRandom();
        }
    }
}
