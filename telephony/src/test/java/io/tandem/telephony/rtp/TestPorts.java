package io.tandem.telephony.rtp;

import java.util.concurrent.ThreadLocalRandom;

/**
 * A random even port range below the Linux ephemeral range, so parallel test runs of other
 * helpers rarely meet; the allocator skips any port that is taken anyway.
 */
final class TestPorts {
    private TestPorts() {
    }

    static int base(int width) {
        return 20000 + 2 * ThreadLocalRandom.current().nextInt((12000 - width) / 2);
    }
}
