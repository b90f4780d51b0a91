package io.tandem.backend.queuecall;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.Range;
import io.tandem.backend.TestNode;
import io.tandem.backend.acd.agents.AgentStatisticsService;
import io.tandem.backend.acd.queues.Queues;
import io.tandem.backend.acd.queues.Strategy;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.Redis;
import io.tandem.telephony.testing.Await;
import io.tandem.telephony.testing.RedisServer;
import io.tandem.telephony.ua.Call;
import io.tandem.telephony.ua.CallState;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * 60 callers into one queue spread across three nodes, 20 agents spread across the nodes answering after random
 * delays and hanging up after a short talk: every caller is answered exactly once, no agent ever has two offers
 * ringing, and the queue's statistics count what happened.
 */
class QueueLoadIT {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    private static final int CALLERS = 60;
    private static final int AGENTS = 20;

    static TestNode[] nodes;

    @BeforeAll
    static void start() {
        nodes = new TestNode[] {QueueNodes.node(redis, "l1"), QueueNodes.node(redis, "l2"), QueueNodes.node(redis, "l3")};
    }

    @AfterAll
    static void stop() {
        for (TestNode node : nodes) {
            node.close();
        }
    }

    /** What one agent's phone lived through. */
    static final class Ringing {
        final AtomicInteger now = new AtomicInteger();
        final AtomicInteger most = new AtomicInteger();
        final AtomicInteger answered = new AtomicInteger();
    }

    @Test
    void sixtyCallersTwentyAgentsThreeNodesEveryCallerAnsweredOnce() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < AGENTS; i++) {
            ids.add(Integer.toString(1041 + i));
        }
        nodes[0].bean(Queues.class).save("demo", QueueNodes.queue("7500", Strategy.LONGEST_IDLE, 10, 1, 0, 0, ids),
                false);
        ScheduledExecutorService timers = Executors.newScheduledThreadPool(2);
        List<QueuePhone> agents = new ArrayList<>();
        List<AgentDesk> desks = new ArrayList<>();
        List<QueuePhone> callers = new ArrayList<>();
        Map<String, Ringing> rings = new ConcurrentHashMap<>();
        try {
            for (int i = 0; i < AGENTS; i++) {
                String id = ids.get(i);
                TestNode node = nodes[i % 3];
                Ringing ringing = new Ringing();
                rings.put(id, ringing);
                QueuePhone phone = QueuePhone.agent(node, id, 440, 1000);
                phone.onIncoming(call -> {
                    ringing.most.accumulateAndGet(ringing.now.incrementAndGet(), Math::max);
                    timers.schedule(() -> {
                        ringing.now.decrementAndGet();
                        ringing.answered.incrementAndGet();
                        call.answer();
                        timers.schedule(call::hangup, 1000 + ThreadLocalRandom.current().nextInt(1000),
                                TimeUnit.MILLISECONDS);
                    }, ThreadLocalRandom.current().nextInt(1500), TimeUnit.MILLISECONDS);
                });
                agents.add(phone);
                desks.add(AgentDesk.available(node, id));
            }
            for (int i = 0; i < 3; i++) {
                callers.add(QueuePhone.caller(Integer.toString(1061 + i), 1000, 440));
            }
            List<Call> calls = new ArrayList<>();
            Map<Call, QueuePhone> callerOf = new HashMap<>();
            for (int i = 0; i < CALLERS; i++) {
                QueuePhone caller = callers.get(i % 3);
                Call call = caller.dial(nodes[i % 3], "7500");
                calls.add(call);
                callerOf.put(call, caller);
            }
            Await.until("every caller answered by an agent and done", Duration.ofSeconds(240),
                    () -> calls.stream().allMatch(c -> c.state() == CallState.ENDED));
            for (Call call : calls) {
                assertThat(call.endStatus()).as("caller " + call.id() + " ended by the agent's BYE").isEqualTo(200);
            }
            Map<String, Long> connects = new HashMap<>();
            for (var m : nodes[0].bean(Redis.class).commands().xrange(Keys.queueLog("demo"), Range.create("-", "+"))) {
                if ("7500".equals(m.getBody().get("queue")) && "CONNECT".equals(m.getBody().get("event"))) {
                    connects.merge(m.getBody().get("callid"), 1L, Long::sum);
                }
            }
            assertThat(connects).hasSize(CALLERS);
            assertThat(connects.values()).allMatch(n -> n == 1);
            assertThat(calls).allMatch(c -> connects.containsKey(c.id()));
            rings.forEach((id, r) -> assertThat(r.most.get()).as(id + " offers ringing at once").isLessThanOrEqualTo(1));
            assertThat(rings.values().stream().mapToInt(r -> r.answered.get()).sum()).isEqualTo(CALLERS);
            String day = LocalDate.now(ZoneOffset.UTC).toString();
            Await.until("every call completed in the statistics", Duration.ofSeconds(30),
                    () -> "60".equals(nodes[0].bean(Redis.class).commands()
                            .hget(Keys.queueStats("demo", "7500", day), "completed")));
            Map<String, String> stats = nodes[0].bean(Redis.class).commands().hgetall(
                    Keys.queueStats("demo", "7500", day));
            assertThat(stats).containsEntry("answered", "60").containsEntry("completed", "60");
            assertThat(stats.getOrDefault("abandoned", "0")).isEqualTo("0");
            // Per-agent statistics (read on another node) count each agent's answered calls as its phone saw them.
            Map<String, Long> answeredBy = new HashMap<>();
            for (var figures : nodes[1].bean(AgentStatisticsService.class).all("demo",
                    LocalDate.parse(day))) {
                answeredBy.put(figures.agentId(), figures.callsAnswered());
            }
            rings.forEach((id, r) -> assertThat(answeredBy.getOrDefault(id, 0L)).as(id + " calls answered")
                    .isEqualTo(r.answered.get()));
            for (TestNode node : nodes) {
                // A figure for the report, not an assertion: enqueue → first offer INVITE on this node.
                var snapshot = node.bean(io.micrometer.core.instrument.MeterRegistry.class)
                        .get("tandem.queue.dispatch").timer().takeSnapshot();
                System.out.printf("queue dispatch latency %s: n=%d %s%n", node.bean(
                        io.tandem.backend.node.NodeIdentity.class).id(), snapshot.count(),
                        java.util.Arrays.toString(snapshot.percentileValues()));
            }
        } finally {
            timers.shutdownNow();
            callers.forEach(QueuePhone::close);
            desks.forEach(AgentDesk::close);
            agents.forEach(QueuePhone::close);
        }
    }
}
