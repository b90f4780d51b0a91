package io.tandem.backend.acd;

import static io.tandem.backend.acd.AcdFixture.TENANT;
import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.backend.acd.agents.AgentSessions;
import io.tandem.backend.acd.dispatch.Claims;
import io.tandem.backend.acd.dispatch.OfferGrant;
import io.tandem.backend.acd.dispatch.QueueEntry;
import io.tandem.backend.acd.queues.QueueDefinition;
import io.tandem.backend.acd.queues.Strategy;
import io.tandem.backend.directory.Directory;
import io.tandem.backend.directory.Role;
import io.tandem.backend.redis.Keys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Each strategy on a scripted scenario, on fake time, against a real Redis. */
class StrategiesIT extends TwoAcdNodes {

    /** Claims once, answers and ends the call at once; returns the agent. */
    private String serve(QueueDefinition queue, String callId) {
        n1.enqueue(queue.number(), callId, 0);
        OfferGrant grant = n1.claims.claim(TENANT, queue, ALIVE).orElseThrow();
        OfferGrant.Reservation r = grant.agents().get(0);
        assertThat(n1.claims.accept(TENANT, queue, grant.offerId(), r.agentId(), r.version()))
                .isEqualTo(Claims.Answer.CONNECTED);
        n1.claims.callEnded(TENANT, queue, r.agentId(), true);
        clock.advance(Duration.ofSeconds(2));
        return r.agentId();
    }

    private String offeredTo(QueueDefinition queue, String callId) {
        n1.enqueue(queue.number(), callId, 0);
        return n1.claims.claim(TENANT, queue, ALIVE).orElseThrow().agents().get(0).agentId();
    }

    @Test
    void longestIdleTakesTheAgentIdleLongest() {
        QueueDefinition q = Scenarios.queue("7000", Strategy.LONGEST_IDLE, "1001", "1002", "1003");
        n1.queues.save(TENANT, q, false);
        n1.available("1002");
        clock.advance(Duration.ofSeconds(2));
        n1.available("1001");
        clock.advance(Duration.ofSeconds(2));
        n1.available("1003");
        clock.advance(Duration.ofSeconds(1)); // 1002 ends its call a second after 1003 became idle
        assertThat(List.of(serve(q, "c1"), serve(q, "c2"), serve(q, "c3"), serve(q, "c4")))
                .containsExactly("1002", "1001", "1003", "1002");
    }

    @Test
    void linearAlwaysStartsAtTheFirstFreeMember() {
        QueueDefinition q = Scenarios.queue("7000", Strategy.LINEAR, "1003", "1001", "1002");
        n1.queues.save(TENANT, q, false);
        for (String a : List.of("1001", "1002", "1003")) {
            n1.available(a);
        }
        assertThat(serve(q, "c1")).isEqualTo("1003");
        assertThat(serve(q, "c2")).isEqualTo("1003");
        assertThat(offeredTo(q, "c3")).isEqualTo("1003"); // 1003 now rings
        assertThat(offeredTo(q, "c4")).isEqualTo("1001");
    }

    @Test
    void roundRobinRemembersItsPlaceAcrossNodes() {
        QueueDefinition q = Scenarios.queue("7000", Strategy.ROUND_ROBIN, "1001", "1002", "1003");
        n1.queues.save(TENANT, q, false);
        for (String a : List.of("1001", "1002", "1003")) {
            n1.available(a);
        }
        List<String> order = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            AcdFixture node = i % 2 == 0 ? n1 : n2; // the cursor lives in Redis, so nodes take turns fairly
            node.enqueue("7000", "c" + i, 0);
            OfferGrant grant = node.claims.claim(TENANT, q, ALIVE).orElseThrow();
            OfferGrant.Reservation r = grant.agents().get(0);
            node.claims.accept(TENANT, q, grant.offerId(), r.agentId(), r.version());
            node.claims.callEnded(TENANT, q, r.agentId(), true);
            order.add(r.agentId());
        }
        assertThat(order).containsExactly("1001", "1002", "1003", "1001", "1002");
    }

    @Test
    void fewestCallsAndLeastTalkTimeCountWhatAgentsDid() {
        QueueDefinition fewest = Scenarios.queue("7000", Strategy.FEWEST_CALLS, "1001", "1002", "1003");
        QueueDefinition least = Scenarios.queue("7001", Strategy.LEAST_TALK_TIME, "1001", "1002", "1003");
        n1.queues.save(TENANT, fewest, false);
        n1.queues.save(TENANT, least, false);
        for (String a : List.of("1001", "1002", "1003")) {
            n1.available(a);
        }
        // 1001 takes two short calls, 1002 one long call.
        QueueDefinition linear = Scenarios.queue("7002", Strategy.LINEAR, "1001", "1002");
        n1.queues.save(TENANT, linear, false);
        for (int i = 0; i < 2; i++) {
            n1.enqueue("7002", "short" + i, 0);
            OfferGrant g = n1.claims.claim(TENANT, linear, ALIVE).orElseThrow();
            n1.claims.accept(TENANT, linear, g.offerId(), "1001", g.agents().get(0).version());
            clock.advance(Duration.ofSeconds(10));
            n1.claims.callEnded(TENANT, linear, "1001", false);
        }
        n1.sessions.change(TENANT, "1001", io.tandem.protocol.AgentState.NOT_READY, "break", AgentSessions.Actor.AGENT);
        n1.enqueue("7002", "long", 0);
        OfferGrant g = n1.claims.claim(TENANT, linear, ALIVE).orElseThrow();
        assertThat(g.agents().get(0).agentId()).isEqualTo("1002");
        n1.claims.accept(TENANT, linear, g.offerId(), "1002", g.agents().get(0).version());
        clock.advance(Duration.ofSeconds(300));
        n1.claims.callEnded(TENANT, linear, "1002", false);
        n1.available("1001");

        assertThat(offeredTo(fewest, "f1")).isEqualTo("1003"); // 0 calls
        n1.sessions.change(TENANT, "1003", io.tandem.protocol.AgentState.NOT_READY, "break", AgentSessions.Actor.SUPERVISOR);
        assertThat(offeredTo(fewest, "f2")).isEqualTo("1002"); // 1 call against 2
        n1.sessions.change(TENANT, "1002", io.tandem.protocol.AgentState.NOT_READY, "lunch", AgentSessions.Actor.SUPERVISOR);
        n1.available("1002");
        assertThat(offeredTo(least, "l1")).isEqualTo("1001"); // 20 s of talk against 300 s
    }

    @Test
    void randomSpreadsOverEveryEligibleAgent() {
        QueueDefinition q = Scenarios.queue("7000", Strategy.RANDOM, "1001", "1002", "1003");
        n1.queues.save(TENANT, q, false);
        for (String a : List.of("1001", "1002", "1003")) {
            n1.available(a);
        }
        Set<String> chosen = new HashSet<>();
        for (int i = 0; i < 60; i++) {
            chosen.add(serve(q, "r" + i));
        }
        assertThat(chosen).containsExactlyInAnyOrder("1001", "1002", "1003");
    }

    @Test
    void skillsBasedPrefersLowPenaltyThenTheHighestLevel() {
        Directory directory = new Directory(n1.redis);
        directory.create(TENANT, "1001", "A", EnumSet.of(Role.AGENT), "secret1", Map.of("sales", 30));
        directory.create(TENANT, "1002", "B", EnumSet.of(Role.AGENT), "secret1", Map.of("sales", 90));
        directory.create(TENANT, "1003", "C", EnumSet.of(Role.AGENT), "secret1", Map.of("sales", 60));
        QueueDefinition q = Scenarios.queue("7000", Strategy.SKILLS_BASED, 0, List.of(
                new QueueDefinition.Member("1001", 1, 0), new QueueDefinition.Member("1002", 1, 1),
                new QueueDefinition.Member("1003", 1, 0)));
        n1.queues.save(TENANT, q, false);
        for (String a : List.of("1001", "1002", "1003")) {
            n1.available(a);
        }
        n1.callers.enqueue(TENANT, "7000", "needs-sales", "+1", "", 0, Map.of("sales", 50), Map.of());
        // 1001 lacks the level; 1002 has more skill but a penalty; 1003 wins.
        assertThat(n1.claims.claim(TENANT, q, ALIVE).orElseThrow().agents().get(0).agentId()).isEqualTo("1003");
        n1.callers.enqueue(TENANT, "7000", "needs-more", "+2", "", 0, Map.of("sales", 80), Map.of());
        assertThat(n1.claims.claim(TENANT, q, ALIVE).orElseThrow().agents().get(0).agentId()).isEqualTo("1002");
        n1.callers.enqueue(TENANT, "7000", "needs-german", "+3", "", 0, Map.of("german", 1), Map.of());
        assertThat(n1.claims.claim(TENANT, q, ALIVE)).isEmpty(); // nobody speaks German: the caller waits
    }

    @Test
    void skillsBasedWithoutSkillsIsLowestPenaltyThenTheCallersNodeThenLongestIdleWithinTheTier() {
        QueueDefinition q = Scenarios.queue("7000", Strategy.SKILLS_BASED, 10, List.of(
                new QueueDefinition.Member("1001", 1, 1), new QueueDefinition.Member("1002", 1, 0),
                new QueueDefinition.Member("1003", 1, 0), new QueueDefinition.Member("1004", 2, 0)));
        n1.queues.save(TENANT, q, false);
        n1.available("1001"); // idle longest, but a penalty
        clock.advance(Duration.ofSeconds(1));
        n1.available("1002");
        clock.advance(Duration.ofSeconds(1));
        n2.available("1003");
        clock.advance(Duration.ofSeconds(1));
        n2.available("1004"); // tier 2: joins after 10 s of a caller's wait
        n2.enqueue("7000", "on-n2", 0);
        assertThat(n2.claims.claim(TENANT, q, ALIVE).orElseThrow().agents().get(0).agentId()).isEqualTo("1003");
        n1.enqueue("7000", "on-n1", 0);
        assertThat(n1.claims.claim(TENANT, q, ALIVE).orElseThrow().agents().get(0).agentId()).isEqualTo("1002");
        n2.enqueue("7000", "again-on-n2", 0);
        assertThat(n2.claims.claim(TENANT, q, ALIVE).orElseThrow().agents().get(0).agentId()).isEqualTo("1001");
        n2.enqueue("7000", "last", 0);
        assertThat(n2.claims.claim(TENANT, q, ALIVE)).isEmpty();
        clock.advance(Duration.ofSeconds(10));
        assertThat(n2.claims.claim(TENANT, q, ALIVE).orElseThrow().agents().get(0).agentId()).isEqualTo("1004");
    }

    @Test
    void higherTiersJoinAfterTheTierDelay() {
        QueueDefinition q = Scenarios.queue("7000", Strategy.LONGEST_IDLE, 10, List.of(
                new QueueDefinition.Member("1001", 1, 0), new QueueDefinition.Member("1002", 2, 0)));
        n1.queues.save(TENANT, q, false);
        n1.available("1002");
        n1.enqueue("7000", "c1", 0);
        assertThat(n1.claims.claim(TENANT, q, ALIVE)).isEmpty();
        clock.advance(Duration.ofSeconds(10));
        assertThat(n1.claims.claim(TENANT, q, ALIVE).orElseThrow().agents().get(0).agentId()).isEqualTo("1002");
    }

    @Test
    void amongEqualsTheAgentOnTheCallersNodeWins() {
        QueueDefinition q = Scenarios.queue("7000", Strategy.LONGEST_IDLE, "1001", "1002");
        n1.queues.save(TENANT, q, false);
        n1.available("1001"); // idle first, on n1
        clock.advance(Duration.ofMillis(300)); // same second: equal for longest-idle
        n2.available("1002");
        n2.enqueue("7000", "on-n2", 0);
        assertThat(n2.claims.claim(TENANT, q, ALIVE).orElseThrow().agents().get(0).agentId()).isEqualTo("1002");
        n1.enqueue("7000", "on-n1", 0);
        assertThat(n1.claims.claim(TENANT, q, ALIVE).orElseThrow().agents().get(0).agentId()).isEqualTo("1001");
    }

    @Test
    void priorityFirstThenFirstInFirstOut() {
        QueueDefinition q = Scenarios.queue("7000", Strategy.LONGEST_IDLE, "1001");
        n1.queues.save(TENANT, q, false);
        n1.available("1001");
        int[] priorities = {0, 5, 0, 5, 0, 9};
        for (int i = 0; i < priorities.length; i++) {
            (i % 2 == 0 ? n1 : n2).enqueue("7000", "c" + i, priorities[i]);
            clock.advance(Duration.ofMillis(1));
        }
        assertThat(n1.callers.waiting(TENANT, "7000").stream().map(QueueEntry::callId))
                .containsExactly("c5", "c1", "c3", "c0", "c2", "c4");
        List<String> served = new ArrayList<>();
        for (int i = 0; i < priorities.length; i++) {
            OfferGrant g = n1.claims.claim(TENANT, q, ALIVE).orElseThrow();
            served.add(g.callId());
            n1.claims.accept(TENANT, q, g.offerId(), "1001", g.agents().get(0).version());
            n1.claims.callEnded(TENANT, q, "1001", false);
        }
        assertThat(served).containsExactly("c5", "c1", "c3", "c0", "c2", "c4");
    }

    @Test
    void callersOfDeadNodesAndAgentsOnDirectCallsAreLeftAlone() {
        QueueDefinition q = Scenarios.queue("7000", Strategy.LONGEST_IDLE, "1001");
        n1.queues.save(TENANT, q, false);
        n1.available("1001");
        n2.enqueue("7000", "on-n2", 0);
        assertThat(n1.claims.claim(TENANT, q, Set.of("n1"))).isEmpty(); // n2 is dead
        // A call's end reported before its start (a write retried after an outage) still sums to no call.
        assertThat(n1.sessions.directCall(TENANT, "1001", -1)).isFalse();
        assertThat(n1.sessions.directCall(TENANT, "1001", 1)).as("no call left").isTrue();
        assertThat(n1.sessions.directCall(TENANT, "1001", 1)).isFalse();
        assertThat(n1.claims.claim(TENANT, q, ALIVE)).isEmpty();
        // A restart of n1 forgets what it counted; counting again, the last call's end frees the agent.
        n1.sessions.clearDirectCalls(TENANT);
        assertThat(n1.sessions.directCall(TENANT, "1001", 1)).isFalse();
        assertThat(n1.claims.claim(TENANT, q, ALIVE)).isEmpty();
        assertThat(n1.sessions.directCall(TENANT, "1001", -1)).as("free and available: dispatch").isTrue();
        assertThat(n1.claims.claim(TENANT, q, ALIVE)).isPresent();
        assertThat(n1.redis.commands().hget(Keys.queueCaller(TENANT, "on-n2"), "offers")).isEqualTo("1");
    }
}
