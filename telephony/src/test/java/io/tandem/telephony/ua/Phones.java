package io.tandem.telephony.ua;

import io.tandem.telephony.peers.FreePorts;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Our own user agents for a test, each with its own RTP port range (and RTP engine); closes them all. */
final class Phones implements AutoCloseable {
    private final List<AutoCloseable> resources = new ArrayList<>();

    UserAgent start(UserAgentConfig config, UserAgentListener listener) throws IOException {
        int rtp = FreePorts.alignedBlock(20);
        UserAgent ua = UserAgent.start(config.withRtpPorts(rtp, rtp + 19), listener);
        resources.add(ua);
        return ua;
    }

    UserAgent start(String user, UserAgentListener listener) throws IOException {
        return start(UserAgentConfig.of(user, "tandem.test").withTimeouts(java.time.Duration.ofSeconds(3),
                java.time.Duration.ofSeconds(1)), listener);
    }

    static String uriOf(UserAgent ua) {
        return ua.contactUri("udp");
    }

    @Override
    public void close() {
        for (AutoCloseable r : resources) {
            try {
                r.close();
            } catch (Exception e) {
                // closing best effort in tests
            }
        }
    }
}
