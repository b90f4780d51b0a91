package io.tandem.backend.call;

import io.tandem.backend.TestNode;
import io.tandem.telephony.peers.FreePorts;
import io.tandem.telephony.testing.RedisServer;
import java.util.ArrayList;
import java.util.List;

/** Nodes of one test cluster: one Redis, one secret, each node its own SIP and RTP ports. */
final class Cluster {

    static final String SECRET = "call-it-cluster-secret-0123456789";

    private Cluster() {
    }

    /** A node of the demo tenant; {@code extra} properties override the defaults. */
    static TestNode node(RedisServer redis, String id, String... extra) {
        int rtp = FreePorts.alignedBlock(40);
        List<String> properties = new ArrayList<>(List.of("tandem.redis.uri=" + redis.uri(), "tandem.node.id=" + id,
                "tandem.node.cluster-secret=" + SECRET, "tandem.registrar.flood-threshold=1000",
                "tandem.sip.rtp-port-min=" + rtp, "tandem.sip.rtp-port-max=" + (rtp + 39)));
        properties.addAll(List.of(extra));
        return TestNode.start(properties.toArray(String[]::new));
    }
}
