package io.tandem.backend.acd;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.backend.acd.agents.AgentSessions;
import io.tandem.backend.acd.dispatch.Claims;
import io.tandem.backend.acd.dispatch.OfferGrant;
import io.tandem.backend.acd.queues.QueueDefinition;
import io.tandem.backend.acd.queues.Strategy;
import io.tandem.backend.redis.RedisProperties;
import io.tandem.protocol.AgentState;
import io.tandem.telephony.testing.SentinelGroup;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Which ACD decisions wait for a replica under Sentinel: the node asks for three replicas where the group has two,
 * so each wait runs out and is counted, one per decision. A caller's entry, a claim, an answer and a call's end each
 * wait; a decision that changed nothing (a claim with no agent free) does not.
 */
class ReplicatedDecisionsIT {

    @RegisterExtension
    static final SentinelGroup redis = new SentinelGroup();

    @Test
    void theFourDecisionsANodeActsOnWaitForAReplica() {
        RedisProperties tooManyReplicas = new RedisProperties(redis.uri(), 0, Duration.ofSeconds(10), 1000, 10_000, 3,
                Duration.ofMillis(200));
        try (AcdFixture node = new AcdFixture(tooManyReplicas, "n1", Clock.systemUTC(), AcdFixture.properties())) {
            QueueDefinition q = Scenarios.queue("7400", Strategy.LONGEST_IDLE, "1041");
            node.queues.save(AcdFixture.TENANT, q, false);
            node.sessions.login(AcdFixture.TENANT, "1041", List.of("7400"));
            long before = node.redis.replicaAcksMissed();

            assertThat(node.claims.claim(AcdFixture.TENANT, q, Set.of("n1"))).as("no caller yet").isEmpty();
            assertThat(node.redis.replicaAcksMissed()).as("after an empty claim").isEqualTo(before);

            node.enqueue("7400", "r1", 0);
            assertThat(node.redis.replicaAcksMissed()).as("after the caller's entry").isEqualTo(before + 1);

            node.sessions.change(AcdFixture.TENANT, "1041", AgentState.AVAILABLE, "", AgentSessions.Actor.AGENT);
            OfferGrant offer = node.claims.claim(AcdFixture.TENANT, q, Set.of("n1")).orElseThrow();
            assertThat(node.redis.replicaAcksMissed()).as("after the claim").isEqualTo(before + 2);

            assertThat(node.claims.accept(AcdFixture.TENANT, q, offer.offerId(), "1041",
                    offer.agents().get(0).version())).isEqualTo(Claims.Answer.CONNECTED);
            assertThat(node.redis.replicaAcksMissed()).as("after the answer").isEqualTo(before + 3);

            assertThat(node.claims.callEnded(AcdFixture.TENANT, q, "1041", false)).isTrue();
            assertThat(node.redis.replicaAcksMissed()).as("after the call's end").isEqualTo(before + 4);
        }
    }
}
