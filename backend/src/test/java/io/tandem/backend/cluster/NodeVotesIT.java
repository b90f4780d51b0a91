package io.tandem.backend.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.backend.cluster.NodeVotes.Decision;
import io.tandem.backend.cluster.NodeVotes.Vote;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.Redis;
import io.tandem.backend.redis.RedisProperties;
import io.tandem.telephony.testing.RedisServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

/**
 * The majority rule of {@code cluster/vote.lua}, run where it runs: in a real Redis (the rule is the script, so that
 * a vote and the decision it leads to are one atomic step; a copy of it in Java would be a second mechanism to keep
 * in step). Votes are cast through {@link NodeVotes}; an expired vote is one written with an old Redis time.
 */
class NodeVotesIT {

    @RegisterExtension
    static final RedisServer server = new RedisServer();

    private static final Duration TTL = Duration.ofSeconds(10);
    private static final Set<String> THREE = Set.of("a", "b", "c");

    private Redis redis;
    private NodeVotes votes;
    private final List<Decision> told = new CopyOnWriteArrayList<>();

    @BeforeEach
    void connect() {
        redis = Redis.connect(new RedisProperties(server.uri(), 0, Duration.ofSeconds(5), 1000, 10_000));
        redis.commands().flushall();
        StaticListableBeanFactory listeners = new StaticListableBeanFactory();
        listeners.addBean("told", (NodeVotes.Listener) told::add);
        votes = new NodeVotes(redis, new VotingProperties(true, Duration.ofSeconds(2), Duration.ofSeconds(2), 2, TTL),
                listeners.getBeanProvider(NodeVotes.Listener.class));
    }

    @AfterEach
    void disconnect() {
        redis.close();
    }

    @Test
    void aStrictMajorityOfTheLiveVotersTakesANodeOutAndOneBringsItBack() {
        assertThat(votes.vote("c", "a", Vote.UNREACHABLE, THREE).dialling())
                .as("one of two voters is no majority").isTrue();
        Decision out = votes.vote("c", "b", Vote.UNREACHABLE, THREE);
        assertThat(out).isEqualTo(new Decision("c", false, true, 2,
                Map.of("a", Vote.UNREACHABLE, "b", Vote.UNREACHABLE)));
        assertThat(votes.dialling("c")).isFalse();
        assertThat(votes.dialling("a")).isTrue();

        assertThat(votes.vote("c", "a", Vote.REACHABLE, THREE).dialling())
                .as("a tie (one reachable, one unreachable) leaves it out").isFalse();
        Decision back = votes.vote("c", "b", Vote.REACHABLE, THREE);
        assertThat(back.dialling()).isTrue();
        assertThat(back.changed()).isTrue();
        assertThat(told).extracting(Decision::dialling).containsExactly(false, true);
    }

    @Test
    void aTieLeavesAnInNodeIn() {
        votes.vote("c", "a", Vote.UNREACHABLE, THREE);
        Decision tie = votes.vote("c", "b", Vote.REACHABLE, THREE);
        assertThat(tie.dialling()).isTrue();
        assertThat(tie.changed()).isFalse();
        assertThat(told).isEmpty();
    }

    @Test
    void aDeadVoterLeavesTheMajorityToTheLiveOnes() {
        Set<String> five = Set.of("a", "b", "c", "d", "e");
        votes.vote("e", "a", Vote.UNREACHABLE, five);
        assertThat(votes.vote("e", "b", Vote.UNREACHABLE, five).dialling()).as("2 of 4 voters").isTrue();
        // d has died: its heartbeat is gone, so three voters are left, and two of them are a majority
        assertThat(votes.decide("e", Set.of("a", "b", "c", "e")).dialling()).isFalse();
    }

    @Test
    void anExpiredVoteDoesNotCountAndIsDeleted() {
        long longAgo = redisMillis() - TTL.toMillis() - 1_000;
        redis.commands().hset(Keys.nodeVotes(), "vote:c:a", "unreachable " + longAgo);
        Decision decision = votes.vote("c", "b", Vote.UNREACHABLE, THREE);
        assertThat(decision.dialling()).as("b's fresh vote alone is 1 of 2").isTrue();
        assertThat(decision.votes()).containsOnlyKeys("b");
        assertThat(redis.commands().hexists(Keys.nodeVotes(), "vote:c:a")).isFalse();
    }

    @Test
    void aNodeWithNoVoterIsIn() {
        redis.commands().hset(Keys.nodeVotes(), "out:solo", "1");
        Decision alone = votes.decide("solo", Set.of("solo"));
        assertThat(alone.dialling()).as("the only node left: no one to say otherwise").isTrue();
        assertThat(alone.changed()).isTrue();
        assertThat(alone.voters()).isZero();
        assertThat(votes.dialling("solo")).isTrue();
    }

    @Test
    void aNodeOutOfDiallingHasNoSayOnTheOthers() {
        Set<String> two = Set.of("a", "b");
        assertThat(votes.vote("b", "a", Vote.UNREACHABLE, two).dialling()).isFalse();
        // b cannot reach a either (a partition between the two), but b is out: a stays in, one node still dials
        Decision onA = votes.vote("a", "b", Vote.UNREACHABLE, two);
        assertThat(onA.dialling()).isTrue();
        assertThat(onA.voters()).isZero();
        assertThat(votes.standings()).containsOnlyKeys("a", "b");
        assertThat(votes.standings().get("b").dialling()).isFalse();
        assertThat(votes.standings().get("b").votes()).containsOnlyKeys("a");
    }

    private long redisMillis() {
        List<String> time = redis.commands().time();
        return Long.parseLong(time.get(0)) * 1000 + Long.parseLong(time.get(1)) / 1000;
    }
}
