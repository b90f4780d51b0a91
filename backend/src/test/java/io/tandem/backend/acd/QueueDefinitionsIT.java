package io.tandem.backend.acd;

import static io.tandem.backend.acd.AcdFixture.TENANT;
import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.backend.acd.queues.QueueDefinition;
import io.tandem.backend.acd.queues.Queues;
import io.tandem.backend.acd.queues.Strategy;
import io.tandem.backend.redis.Keys;
import org.junit.jupiter.api.Test;

/**
 * Nodes keep the definitions they decoded and ask Redis only for a digest: a change made through any node is what
 * every node reads next, also after Redis lost its data and the queue was written again.
 */
class QueueDefinitionsIT extends TwoAcdNodes {

    @Test
    void aChangeOnOneNodeIsReadOnTheOther() {
        n1.queues.save(TENANT, Scenarios.queue("7000", Strategy.LONGEST_IDLE, "2001", "2002"), false);
        assertThat(n2.queues.find(TENANT, "7000").orElseThrow().strategy()).isEqualTo(Strategy.LONGEST_IDLE);

        n1.queues.save(TENANT, Scenarios.queue("7000", Strategy.ROUND_ROBIN, "2001", "2002", "2003"), false);
        QueueDefinition changed = n2.queues.find(TENANT, "7000").orElseThrow();
        assertThat(changed.strategy()).isEqualTo(Strategy.ROUND_ROBIN);
        assertThat(changed.members()).hasSize(3);
        assertThat(n2.queues.list(TENANT)).extracting(QueueDefinition::strategy).containsExactly(Strategy.ROUND_ROBIN);

        assertThat(n1.queues.delete(TENANT, "7000")).isEqualTo(Queues.Deleted.DELETED);
        assertThat(n2.queues.find(TENANT, "7000")).isEmpty();
        assertThat(n2.queues.list(TENANT)).isEmpty();
        assertThat(n1.redis.commands().hexists(Keys.queueDigests(TENANT), "7000")).isFalse();
    }

    @Test
    void aQueueWrittenAgainAfterRedisLostItsDataIsReadAnew() {
        n1.queues.save(TENANT, Scenarios.queue("7001", Strategy.LINEAR, "2001"), false);
        assertThat(n2.queues.find(TENANT, "7001").orElseThrow().strategy()).isEqualTo(Strategy.LINEAR);

        n1.redis.commands().flushall(); // as a Redis restarted without persistence
        assertThat(n2.queues.find(TENANT, "7001")).isEmpty();
        n1.queues.save(TENANT, Scenarios.queue("7001", Strategy.FEWEST_CALLS, "2001", "2002"), false);
        assertThat(n2.queues.find(TENANT, "7001").orElseThrow().strategy()).isEqualTo(Strategy.FEWEST_CALLS);
    }

    @Test
    void aDefinitionWrittenWithoutADigestIsStillRead() {
        // As written by a node of the version before digests: the definition alone.
        n1.queues.save(TENANT, Scenarios.queue("7002", Strategy.RANDOM, "2001"), false);
        n1.redis.commands().hdel(Keys.queueDigests(TENANT), "7002");
        assertThat(n2.queues.find(TENANT, "7002").orElseThrow().strategy()).isEqualTo(Strategy.RANDOM);
        String json = n1.redis.commands().get(Keys.queue(TENANT, "7002")).replace("\"random\"", "\"linear\"");
        n1.redis.commands().set(Keys.queue(TENANT, "7002"), json);
        assertThat(n2.queues.find(TENANT, "7002").orElseThrow().strategy()).isEqualTo(Strategy.LINEAR);
        assertThat(n2.queues.list(TENANT)).extracting(QueueDefinition::strategy).containsExactly(Strategy.LINEAR);
    }
}
