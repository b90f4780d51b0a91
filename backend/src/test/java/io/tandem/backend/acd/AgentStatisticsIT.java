package io.tandem.backend.acd;

import static io.tandem.backend.acd.AcdFixture.TENANT;
import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.backend.acd.agents.AgentSessions;
import io.tandem.backend.acd.agents.AgentStatisticsService;
import io.tandem.backend.acd.dispatch.Claims;
import io.tandem.backend.acd.dispatch.OfferGrant;
import io.tandem.backend.acd.dispatch.QueueStatistics;
import io.tandem.backend.acd.queues.QueueDefinition;
import io.tandem.backend.acd.queues.Strategy;
import io.tandem.backend.redis.Keys;
import io.tandem.protocol.AgentState;
import io.tandem.protocol.AgentStatistics;
import io.tandem.protocol.QueueFigures;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Per-agent statistics and the queue's average handle time on a scripted sequence of transitions with a controlled
 * clock, against a real Redis: exact seconds in each state, the current state counted up to now, days split at UTC
 * midnight, and two nodes reading the same figures.
 */
class AgentStatisticsIT extends TwoAcdNodes {

    private static AgentStatisticsService statistics(AcdFixture node) {
        return new AgentStatisticsService(node.scripts);
    }

    private void after(int seconds) {
        clock.advance(Duration.ofSeconds(seconds));
    }

    @Test
    void aScriptedDayGivesExactSecondsInEachStateCallsTalkAndHandleTime() {
        // ring 15 s, no retry delay, wrap-up 30 s, not-ready after 1 miss
        QueueDefinition q = new QueueDefinition("7000", "support", Strategy.LONGEST_IDLE, 0, 0, true, false, 15, 0,
                30, 1, 20, 0, List.of(QueueDefinition.Member.of("1001")), null, null, null, null, null);
        n1.queues.save(TENANT, q, false);
        n1.sessions.login(TENANT, "1001", List.of("7000"));                              // not-ready (login)
        after(10);
        n1.sessions.change(TENANT, "1001", AgentState.AVAILABLE, "", AgentSessions.Actor.AGENT);
        after(25);
        n1.enqueue("7000", "c1", 0);
        after(5);
        OfferGrant first = n1.claims.claim(TENANT, q, ALIVE).orElseThrow();                // reserved
        after(5);
        // The answer is reported by the other node: the figures live in Redis, not in a node.
        assertThat(n2.claims.accept(TENANT, q, first.offerId(), "1001", first.agents().get(0).version()))
                .isEqualTo(Claims.Answer.CONNECTED);                                         // on-call
        after(60);
        n1.claims.callEnded(TENANT, q, "1001", false);                                    // wrap-up
        after(20);
        n2.sessions.change(TENANT, "1001", AgentState.AVAILABLE, "", AgentSessions.Actor.AGENT); // done early
        after(5);
        n1.enqueue("7000", "c2", 0);
        OfferGrant second = n1.claims.claim(TENANT, q, ALIVE).orElseThrow();               // reserved
        after(15);
        assertThat(n1.claims.noAnswer(TENANT, q, second.offerId(), "1001")).isEqualTo("not-ready");
        after(15);
        n1.sessions.change(TENANT, "1001", AgentState.NOT_READY, "break", AgentSessions.Actor.SUPERVISOR);
        after(60);                                                                         // still on break: counted

        LocalDate today = LocalDate.parse("2026-11-29");
        AgentStatistics one = statistics(n1).one(TENANT, "1001", today);
        assertThat(one.state()).isEqualTo(AgentState.NOT_READY);
        assertThat(one.reason()).isEqualTo("break");
        assertThat(one.callsAnswered()).isEqualTo(1);
        assertThat(one.missedOffers()).isEqualTo(1);
        assertThat(one.availableSeconds()).isEqualTo(35.0);
        assertThat(one.reservedSeconds()).isEqualTo(20.0);
        assertThat(one.onCallSeconds()).isEqualTo(60.0);
        assertThat(one.talkSeconds()).isEqualTo(60.0);
        assertThat(one.wrapUpSeconds()).isEqualTo(20.0);
        assertThat(one.notReadySeconds()).isEqualTo(Map.of("login", 10.0, "no-answer", 15.0, "break", 60.0));
        assertThat(one.averageHandleTimeSeconds()).isEqualTo(80.0);
        assertThat(one.at()).isEqualTo(clock.instant());

        // A day's figures are kept 400 days after the day, then Redis drops them (they do not pile up for good).
        for (String key : List.of(Keys.queueStats(TENANT, "7000", today.toString()),
                Keys.agentStats(TENANT, "1001", today.toString()), Keys.agentsWithStats(TENANT, today.toString()))) {
            assertThat(n1.redis.commands().pttl(key)).as(key)
                    .isBetween(Duration.ofDays(400).toMillis(), Duration.ofDays(401).toMillis());
        }

        // Both nodes answer with the same figures, for one agent and for the tenant.
        assertThat(statistics(n2).one(TENANT, "1001", today)).isEqualTo(one);
        assertThat(statistics(n2).all(TENANT, today)).containsExactly(one);
        assertThat(statistics(n1).all(TENANT, today)).containsExactly(one);

        // The queue's handle time: the call's 60 s of talk and 20 s of wrap-up over one completed call.
        QueueFigures figures = new QueueStatistics(n2.redis, n2.callers, n2.queues)
                .figures(TENANT, q, clock.instant());
        assertThat(figures.answered()).isEqualTo(1);
        assertThat(figures.averageHandleTimeSeconds()).isEqualTo(80.0);

        // Time keeps counting in the current state, and stops once logged out.
        after(30);
        assertThat(statistics(n2).one(TENANT, "1001", today).notReadySeconds()).containsEntry("break", 90.0);
        n2.sessions.change(TENANT, "1001", AgentState.LOGGED_OUT, "", AgentSessions.Actor.AGENT);
        after(600);
        AgentStatistics out = statistics(n1).one(TENANT, "1001", today);
        assertThat(out.state()).isEqualTo(AgentState.LOGGED_OUT);
        assertThat(out.notReadySeconds()).containsEntry("break", 90.0);
        assertThat(out.availableSeconds()).isEqualTo(35.0);
    }

    @Test
    void timeIsSplitAtUtcMidnightAndAnotherDayIsAskedForByDate() {
        clock.advance(Duration.between(clock.instant(), Instant.parse("2026-11-29T23:59:00Z")));
        n1.available("1002");
        after(120);                                                                        // 00:01 next day
        LocalDate before = LocalDate.parse("2026-11-29");
        LocalDate after = LocalDate.parse("2026-11-30");
        assertThat(statistics(n1).one(TENANT, "1002", before).availableSeconds()).isEqualTo(60.0);
        assertThat(statistics(n1).one(TENANT, "1002", after).availableSeconds()).isEqualTo(60.0);
        after(60);
        n2.sessions.change(TENANT, "1002", AgentState.NOT_READY, "lunch", AgentSessions.Actor.AGENT);
        after(10);
        assertThat(statistics(n2).one(TENANT, "1002", before).availableSeconds()).isEqualTo(60.0);
        AgentStatistics today = statistics(n2).one(TENANT, "1002", after);
        assertThat(today.availableSeconds()).isEqualTo(120.0);
        assertThat(today.notReadySeconds()).isEqualTo(Map.of("lunch", 10.0));
        assertThat(today.callsAnswered()).isZero();
        assertThat(today.averageHandleTimeSeconds()).isZero();
        // A day before the agent existed: nobody in the list, zeros for the agent.
        LocalDate earlier = LocalDate.parse("2026-11-01");
        assertThat(statistics(n1).all(TENANT, earlier)).isEmpty();
        assertThat(statistics(n1).one(TENANT, "1002", earlier).availableSeconds()).isZero();
        assertThat(statistics(n1).all(TENANT, after)).extracting(AgentStatistics::agentId).containsExactly("1002");
    }
}
