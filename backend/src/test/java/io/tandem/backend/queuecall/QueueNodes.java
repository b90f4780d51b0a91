package io.tandem.backend.queuecall;

import io.tandem.backend.TestNode;
import io.tandem.backend.acd.queues.QueueDefinition;
import io.tandem.backend.acd.queues.Strategy;
import io.tandem.telephony.peers.FreePorts;
import io.tandem.telephony.testing.RedisServer;
import java.util.ArrayList;
import java.util.List;

/** Nodes of a queue-call test cluster: one Redis, one secret, extensions 1001-1080, room for many RTP streams. */
final class QueueNodes {

    static final String SECRET = "queue-it-cluster-secret-0123456789";

    private QueueNodes() {
    }

    static TestNode node(RedisServer redis, String id, String... extra) {
        return node(redis.uri(), id, extra);
    }

    /** A node on the Redis at {@code redisUri} ({@code redis://…} or {@code redis-sentinel://…}). */
    static TestNode node(String redisUri, String id, String... extra) {
        int rtp = FreePorts.alignedBlock(100);
        List<String> properties = new ArrayList<>(List.of("tandem.redis.uri=" + redisUri, "tandem.node.id=" + id,
                "tandem.node.cluster-secret=" + SECRET, "tandem.registrar.flood-threshold=100000",
                "tandem.demo.last-extension=1080", "tandem.acd.dispatch-interval=1s",
                "tandem.sip.rtp-port-min=" + rtp, "tandem.sip.rtp-port-max=" + (rtp + 99)));
        properties.addAll(List.of(extra));
        return TestNode.start(properties.toArray(String[]::new));
    }

    /** A queue of {@code members} with the given ring timeout, retry delay, wrap-up and misses before not-ready. */
    static QueueDefinition queue(String number, Strategy strategy, int ringSeconds, int retrySeconds,
            int wrapUpSeconds, int maxMisses, List<String> members) {
        return new QueueDefinition(number, "q" + number, strategy, 0, 0, true, false, ringSeconds, retrySeconds,
                wrapUpSeconds, maxMisses, 20, 30, members.stream().map(QueueDefinition.Member::of).toList(),
                QueueDefinition.Announcements.DEFAULT, "default", "", QueueDefinition.Destination.NONE,
                QueueDefinition.Destination.NONE);
    }
}
