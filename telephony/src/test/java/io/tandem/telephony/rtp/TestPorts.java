package io.tandem.telephony.rtp;

import io.tandem.telephony.peers.FreePorts;

import java.util.concurrent.ThreadLocalRandom;

/**
 * A random even port range below the Linux ephemeral range, so parallel test runs of other
 * helpers rarely meet; the allocator skips any port that is taken anyway. The range is free when handed out: the
 * other failsafe fork's phones, SIPp and baresip hold ports of the same span (FreePorts), and a test that exhausts a
 * range of 4 ports on purpose fails if one of them is already taken.
 */
final class TestPorts {
    private static final int ATTEMPTS = 1_000;

    private TestPorts() {
    }

    static int base(int width) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int base = 20000 + 2 * ThreadLocalRandom.current().nextInt((12000 - width) / 2);
            if (allFree(base, width)) {
                return base;
            }
        }
        throw new IllegalStateException("no " + width + " free ports in 20000-32000 after " + ATTEMPTS + " attempts");
    }

    private static boolean allFree(int base, int width) {
        for (int p = base; p < base + width; p++) {
            if (!FreePorts.isFree(p)) {
                return false;
            }
        }
        return true;
    }
}
