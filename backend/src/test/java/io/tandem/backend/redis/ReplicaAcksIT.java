package io.tandem.backend.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.telephony.testing.SentinelGroup;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link Redis#awaitReplicas} against a real master with two replicas behind Sentinel: a decision the replicas
 * acknowledge is no miss; asking for more replicas than exist waits the timeout, then counts a miss and goes on;
 * without Sentinel the node never waits.
 */
class ReplicaAcksIT {

    @RegisterExtension
    static final SentinelGroup redis = new SentinelGroup();

    /** A generous timeout: WAIT returns as soon as the replicas acknowledge, so only a miss waits it out. */
    static RedisProperties properties(String uri, int replicaAcks, Duration timeout) {
        return new RedisProperties(uri, 0, Duration.ofSeconds(10), 1000, 10_000, replicaAcks, timeout);
    }

    @Test
    void aDecisionTheReplicasHoldIsNoMiss() {
        try (Redis node = Redis.connect(properties(redis.uri(), 2, Duration.ofSeconds(5)))) {
            node.commands().set("tandem:replica-acks:probe", "claimed");
            node.awaitReplicas("claim");
            assertThat(node.replicaAcksMissed()).isZero();
        }
    }

    @Test
    void tooFewReplicasAreCountedAndTheNodeGoesOn() {
        try (Redis node = Redis.connect(properties(redis.uri(), 3, Duration.ofMillis(300)))) {
            node.commands().set("tandem:replica-acks:probe", "answered");
            node.awaitReplicas("answer");
            node.awaitReplicas("call end");
            assertThat(node.replicaAcksMissed()).isEqualTo(2);
            assertThat(node.commands().get("tandem:replica-acks:probe")).isEqualTo("answered");
        }
    }

    @Test
    void withoutSentinelTheNodeNeverWaits() {
        try (Redis node = Redis.connect(properties("redis://127.0.0.1:" + redis.masterPort(), 3, Duration.ofSeconds(5)))) {
            node.commands().set("tandem:replica-acks:probe", "direct");
            node.awaitReplicas("claim");
            assertThat(node.replicaAcksMissed()).isZero();
        }
    }
}
