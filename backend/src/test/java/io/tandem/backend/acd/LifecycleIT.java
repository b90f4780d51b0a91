package io.tandem.backend.acd;

import io.tandem.telephony.testing.MutableClock;
import static io.tandem.backend.acd.AcdFixture.TENANT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.Range;
import io.tandem.telephony.testing.RedisServer;
import io.tandem.backend.acd.agents.AgentSessions;
import io.tandem.backend.acd.dispatch.Callers;
import io.tandem.backend.acd.dispatch.Claims;
import io.tandem.backend.acd.dispatch.OfferGrant;
import io.tandem.backend.acd.dispatch.QueueEntry;
import io.tandem.backend.acd.queues.QueueDefinition;
import io.tandem.backend.acd.queues.Strategy;
import io.tandem.backend.redis.Keys;
import io.tandem.protocol.AgentState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Leases, misses, wrap-up, abandon and refused transitions on fake time, against a real Redis. */
class LifecycleIT {

    @RegisterExtension
    static final RedisServer redisServer = new RedisServer();

    private static final Set<String> ALIVE = Set.of("n1");
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-29T10:00:00Z"));
    private AcdFixture n1;

    @BeforeEach
    void start() {
        n1 = new AcdFixture(redisServer.uri(), "n1", clock);
        n1.redis.commands().flushall();
    }

    @AfterEach
    void stop() {
        n1.close();
    }

    private List<String> queueLogEvents() {
        return n1.redis.commands().xrange(Keys.queueLog(TENANT), Range.create("-", "+")).stream()
                .map(m -> m.getBody().get("event")).toList();
    }

    @Test
    void aLeaseThatRunsOutMakesTheAgentAvailableAndTheCallerIsOfferedAgain() {
        QueueDefinition q = Scenarios.queue("7000", Strategy.LONGEST_IDLE, "1001");
        n1.queues.save(TENANT, q, false);
        n1.available("1001");
        n1.enqueue("7000", "c1", 0);
        OfferGrant first = n1.claims.claim(TENANT, q, ALIVE).orElseThrow();
        assertThat(n1.state("1001")).isEqualTo("reserved");
        // The ringing node dies: nobody reports. Before the lease ends nothing moves.
        clock.advance(Duration.ofSeconds(19));
        assertThat(n1.claims.sweep(TENANT, 100, 0)).isEmpty();
        assertThat(n1.state("1001")).isEqualTo("reserved");
        clock.advance(Duration.ofSeconds(1)); // ring 15 s + margin 5 s
        assertThat(n1.claims.sweep(TENANT, 100, 0)).containsExactly("1001");
        assertThat(n1.state("1001")).isEqualTo("available");
        OfferGrant second = n1.claims.claim(TENANT, q, ALIVE).orElseThrow();
        assertThat(second.callId()).isEqualTo("c1");
        assertThat(second.offerId()).isNotEqualTo(first.offerId());
        // A late answer to the lapsed offer is fenced off.
        assertThat(n1.claims.accept(TENANT, q, first.offerId(), "1001", first.agents().get(0).version()))
                .isEqualTo(Claims.Answer.LOST);
        assertThat(n1.claims.accept(TENANT, q, second.offerId(), "1001", second.agents().get(0).version()))
                .isEqualTo(Claims.Answer.CONNECTED);
    }

    @Test
    void anAgentWhoMissesMaxMissesOffersGoesNotReadyAndTheCallerKeepsItsPlace() {
        QueueDefinition q = new QueueDefinition("7000", "support", Strategy.LONGEST_IDLE, 0, 0, true, false, 15, 5,
                0, 2, 20, 0, List.of(QueueDefinition.Member.of("1001")), null, null, null, null, null);
        n1.queues.save(TENANT, q, false);
        n1.available("1001");
        n1.enqueue("7000", "c1", 0);
        n1.enqueue("7000", "c2", 0);
        OfferGrant g1 = n1.claims.claim(TENANT, q, ALIVE).orElseThrow();
        assertThat(n1.claims.noAnswer(TENANT, q, g1.offerId(), "1001")).isEqualTo("available");
        // c1 waits out the retry delay; c2 behind it gets the agent meanwhile and is missed too.
        OfferGrant g2 = n1.claims.claim(TENANT, q, ALIVE).orElseThrow();
        assertThat(g2.callId()).isEqualTo("c2");
        assertThat(n1.claims.noAnswer(TENANT, q, g2.offerId(), "1001")).isEqualTo("not-ready");
        assertThat(n1.sessions.status(TENANT, "1001").reason()).isEqualTo("no-answer");
        assertThat(n1.callers.waiting(TENANT, "7000").stream().map(QueueEntry::callId)).containsExactly("c1", "c2");
        assertThat(queueLogEvents()).contains("RINGNOANSWER", "PAUSE");
        // Back to available: misses start again, and after the delay c1 is first.
        clock.advance(Duration.ofSeconds(5));
        n1.sessions.change(TENANT, "1001", AgentState.AVAILABLE, "", AgentSessions.Actor.AGENT);
        assertThat(n1.claims.claim(TENANT, q, ALIVE).orElseThrow().callId()).isEqualTo("c1");
    }

    @Test
    void aCallerWhoHangsUpWhileRingingCancelsTheOfferAndIsLoggedAsAbandon() {
        QueueDefinition q = Scenarios.queue("7000", Strategy.RING_ALL, "1001", "1002");
        n1.queues.save(TENANT, q, false);
        n1.available("1001");
        n1.available("1002");
        n1.enqueue("7000", "c1", 0);
        OfferGrant g = n1.claims.claim(TENANT, q, ALIVE).orElseThrow();
        assertThat(g.agents()).hasSize(2);
        assertThat(n1.callers.leave(TENANT, "7000", "c1", Callers.Exit.ABANDON, null)).isTrue();
        assertThat(n1.state("1001")).isEqualTo("available");
        assertThat(n1.state("1002")).isEqualTo("available");
        assertThat(n1.redis.commands().exists(Keys.offer(TENANT, g.offerId()))).isZero();
        assertThat(queueLogEvents()).containsSubsequence("ENTERQUEUE", "ABANDON");
        assertThat(n1.claims.accept(TENANT, q, g.offerId(), "1001", g.agents().get(0).version()))
                .isEqualTo(Claims.Answer.LOST);
    }

    @Test
    void wrapUpEndsByItselfOrWhenTheAgentSaysDone() {
        QueueDefinition q = new QueueDefinition("7000", "support", Strategy.LONGEST_IDLE, 0, 0, true, false, 15, 0,
                30, 3, 20, 0, List.of(QueueDefinition.Member.of("1001")), null, null, null, null, null);
        n1.queues.save(TENANT, q, false);
        n1.available("1001");
        for (String call : List.of("c1")) {
            n1.enqueue("7000", call, 0);
            OfferGrant g = n1.claims.claim(TENANT, q, ALIVE).orElseThrow();
            n1.claims.accept(TENANT, q, g.offerId(), "1001", g.agents().get(0).version());
            assertThat(n1.state("1001")).isEqualTo("on-call");
            assertThatThrownBy(() -> n1.sessions.change(TENANT, "1001", AgentState.NOT_READY, "break",
                    AgentSessions.Actor.SUPERVISOR)).isInstanceOf(AgentSessions.RefusedException.class);
            n1.claims.callEnded(TENANT, q, "1001", false);
            assertThat(n1.state("1001")).isEqualTo("wrap-up");
        }
        n1.sessions.change(TENANT, "1001", AgentState.AVAILABLE, "", AgentSessions.Actor.AGENT); // done early
        assertThat(n1.state("1001")).isEqualTo("available");
        n1.enqueue("7000", "c3", 0);
        OfferGrant g = n1.claims.claim(TENANT, q, ALIVE).orElseThrow();
        n1.claims.accept(TENANT, q, g.offerId(), "1001", g.agents().get(0).version());
        n1.claims.callEnded(TENANT, q, "1001", true);
        clock.advance(Duration.ofSeconds(30));
        assertThat(n1.claims.sweep(TENANT, 100, 0)).containsExactly("1001");
        assertThat(n1.state("1001")).isEqualTo("available");
        assertThat(queueLogEvents()).contains("CONNECT", "COMPLETECALLER", "COMPLETEAGENT");
    }

    @Test
    void anAgentMayNotCutARingingOfferButASupervisorMay() {
        QueueDefinition q = Scenarios.queue("7000", Strategy.LONGEST_IDLE, "1001");
        n1.queues.save(TENANT, q, false);
        n1.available("1001");
        n1.enqueue("7000", "c1", 0);
        n1.claims.claim(TENANT, q, ALIVE).orElseThrow();
        assertThatThrownBy(() -> n1.sessions.change(TENANT, "1001", AgentState.LOGGED_OUT, "",
                AgentSessions.Actor.AGENT)).isInstanceOfSatisfying(AgentSessions.RefusedException.class,
                        e -> assertThat(e.refusal()).isEqualTo(AgentSessions.Refusal.RINGING));
        n1.sessions.change(TENANT, "1001", AgentState.LOGGED_OUT, "", AgentSessions.Actor.SUPERVISOR);
        assertThat(n1.state("1001")).isEqualTo("logged-out");
        assertThat(n1.callers.find(TENANT, "7000", "c1").orElseThrow().offerId()).isEmpty();
        assertThat(queueLogEvents()).contains("AGENTLOGIN", "UNPAUSE", "AGENTLOGOFF");
        assertThatThrownBy(() -> n1.sessions.change(TENANT, "1001", AgentState.AVAILABLE, "",
                AgentSessions.Actor.AGENT)).isInstanceOfSatisfying(AgentSessions.RefusedException.class,
                        e -> assertThat(e.refusal()).isEqualTo(AgentSessions.Refusal.NOT_LOGGED_IN));
    }

    @Test
    void ringingCallersAtTheHeadDoNotHideTheCallersBehindThem() {
        // More callers ring at once than one claim scans (claim-scan-limit 50): claims skip ringing callers for free.
        List<QueueDefinition.Member> members = new java.util.ArrayList<>();
        for (int i = 0; i < 70; i++) {
            members.add(QueueDefinition.Member.of(Integer.toString(3000 + i)));
        }
        QueueDefinition q = Scenarios.queue("7000", Strategy.LONGEST_IDLE, 0, members);
        n1.queues.save(TENANT, q, false);
        for (QueueDefinition.Member m : members) {
            n1.available(m.agent());
        }
        for (int i = 0; i < 70; i++) {
            n1.enqueue("7000", "c" + i, 0);
            clock.advance(Duration.ofMillis(1)); // FIFO is to the millisecond (the score holds ms)
        }
        for (int i = 0; i < 70; i++) {
            assertThat(n1.claims.claim(TENANT, q, ALIVE).orElseThrow().callId()).isEqualTo("c" + i);
        }
        assertThat(n1.claims.claim(TENANT, q, ALIVE)).isEmpty();
        assertThat(n1.redis.commands().zcard(Keys.queueReady(TENANT, "7000"))).isZero();
        assertThat(n1.redis.commands().zcard(Keys.queueWait(TENANT, "7000"))).isEqualTo(70);
    }

    @Test
    void aSupervisorMovesACallerToTheHeadOrToAnotherQueue() {
        QueueDefinition support = Scenarios.queue("7000", Strategy.LONGEST_IDLE, "1001");
        QueueDefinition sales = Scenarios.queue("7001", Strategy.LONGEST_IDLE, "1002");
        n1.queues.save(TENANT, support, false);
        n1.queues.save(TENANT, sales, false);
        for (String c : List.of("c1", "c2", "c3")) {
            n1.enqueue("7000", c, 0);
            clock.advance(Duration.ofMillis(1));
        }
        assertThat(n1.callers.move(TENANT, "c3", null)).hasValue(1);
        assertThat(n1.callers.waiting(TENANT, "7000").stream().map(QueueEntry::callId)).containsExactly("c3", "c1", "c2");
        n1.available("1001");
        OfferGrant ringing = n1.claims.claim(TENANT, support, ALIVE).orElseThrow();
        assertThat(ringing.callId()).isEqualTo("c3");
        // Moving a ringing caller cancels its offer and frees the agent.
        assertThat(n1.callers.move(TENANT, "c3", "7001")).hasValue(1);
        assertThat(n1.state("1001")).isEqualTo("available");
        assertThat(n1.callers.waiting(TENANT, "7000").stream().map(QueueEntry::callId)).containsExactly("c1", "c2");
        n1.available("1002");
        assertThat(n1.claims.claim(TENANT, sales, ALIVE).orElseThrow().callId()).isEqualTo("c3");
        assertThat(queueLogEvents()).contains("TRANSFER");
    }

    @Test
    void aMovedCallerLeavesTheQueueItWasMovedTo() {
        n1.queues.save(TENANT, Scenarios.queue("7000", Strategy.LONGEST_IDLE, "1001"), false);
        n1.queues.save(TENANT, Scenarios.queue("7001", Strategy.LONGEST_IDLE, "1002"), false);
        n1.enqueue("7000", "c1", 0);
        assertThat(n1.callers.move(TENANT, "c1", "7001")).hasValue(1);
        // The caller's node still has it in 7000 (the move happened elsewhere) when the caller hangs up.
        assertThat(n1.callers.leave(TENANT, "7000", "c1", Callers.Exit.ABANDON, null)).isTrue();
        assertThat(n1.callers.waiting(TENANT, "7001")).isEmpty();
        assertThat(n1.redis.commands().zcard(Keys.queueReady(TENANT, "7001"))).isZero();
    }

    @Test
    void positionAndEstimatedWaitComeFromRedis() {
        QueueDefinition q = new QueueDefinition("7000", "support", Strategy.LONGEST_IDLE, 0, 2, false, false, 15, 0,
                0, 3, 20, 0, List.of(QueueDefinition.Member.of("1001"), QueueDefinition.Member.of("1002")), null,
                null, null, null, null);
        n1.queues.save(TENANT, q, false);
        assertThat(n1.enqueue("7000", "c0", 0).refused()).isEqualTo(Callers.Refused.QUEUE_EMPTY);
        n1.sessions.login(TENANT, "1001", List.of("7000"));
        n1.sessions.login(TENANT, "1002", List.of("7000"));
        assertThat(n1.enqueue("7000", "c1", 0).position()).isEqualTo(1);
        assertThat(n1.enqueue("7000", "c2", 0).position()).isEqualTo(2);
        assertThat(n1.enqueue("7000", "c3", 0).refused()).isEqualTo(Callers.Refused.QUEUE_FULL);
        // No call completed today: 3 minutes per call, shared by the two logged-in members.
        assertThat(n1.callers.estimatedWait(TENANT, "7000", 2, clock.instant())).isEqualTo(Duration.ofMinutes(3));
    }
}
