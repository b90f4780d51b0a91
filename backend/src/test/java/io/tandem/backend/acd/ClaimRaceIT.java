package io.tandem.backend.acd;

import io.tandem.telephony.testing.MutableClock;
import static io.tandem.backend.acd.AcdFixture.TENANT;
import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.StreamMessage;
import io.tandem.telephony.testing.RedisServer;
import io.tandem.backend.acd.dispatch.Claims;
import io.tandem.backend.acd.dispatch.Dispatcher;
import io.tandem.backend.acd.dispatch.OfferGrant;
import io.tandem.backend.acd.queues.QueueDefinition;
import io.tandem.backend.acd.queues.Strategy;
import io.tandem.backend.redis.Keys;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Three nodes' dispatchers claiming one queue at once against one real Redis. */
class ClaimRaceIT {

    @RegisterExtension
    static final RedisServer redisServer = new RedisServer();

    private static final Set<String> NODES = Set.of("n1", "n2", "n3");
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-29T10:00:00Z"));
    private final List<AcdFixture> nodes = new ArrayList<>();

    @BeforeEach
    void start() {
        for (String id : List.of("n1", "n2", "n3")) {
            nodes.add(new AcdFixture(redisServer.uri(), id, clock));
        }
        nodes.get(0).redis.commands().flushall();
    }

    @AfterEach
    void stop() {
        nodes.forEach(AcdFixture::close);
    }

    @Test
    void everyCallerIsOfferedExactlyOnceAndNoAgentHoldsTwoOffers() throws Exception {
        int agents = 60;
        int callerCount = 300;
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < agents; i++) {
            ids.add(Integer.toString(2000 + i));
        }
        QueueDefinition queue = Scenarios.queue("7000", Strategy.LONGEST_IDLE, ids.toArray(String[]::new));
        AcdFixture first = nodes.get(0);
        first.queues.save(TENANT, queue, false);
        for (int i = 0; i < agents; i++) {
            nodes.get(i % 3).available(ids.get(i), "7000");
        }
        for (int i = 0; i < callerCount; i++) {
            assertThat(nodes.get(i % 3).enqueue("7000", "call-" + i, 0).ok()).isTrue();
        }

        Map<String, AtomicInteger> offersPerCaller = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> holding = new ConcurrentHashMap<>();
        List<String> violations = Collections.synchronizedList(new ArrayList<>());
        ExecutorService threads = Executors.newFixedThreadPool(6);
        List<Future<Integer>> results = new ArrayList<>();
        for (int t = 0; t < 6; t++) {
            AcdFixture node = nodes.get(t % 3);
            int batch = t < 3 ? 1 : Dispatcher.CLAIM_BATCH; // single claims racing the dispatcher's batches
            results.add(threads.submit(() -> {
                int claimed = 0;
                while (node.redis.commands().zcard(Keys.queueWait(TENANT, "7000")) > 0) {
                    List<OfferGrant> grants = node.claims.claim(TENANT, queue, NODES, batch);
                    if (grants.size() > batch) {
                        violations.add(grants.size() + " offers from a batch of " + batch);
                    }
                    for (OfferGrant g : grants) {
                        claimed++;
                        offersPerCaller.computeIfAbsent(g.callId(), k -> new AtomicInteger()).incrementAndGet();
                        OfferGrant.Reservation r = g.agents().get(0);
                        if (holding.computeIfAbsent(r.agentId(), k -> new AtomicInteger()).incrementAndGet() > 1) {
                            violations.add(r.agentId() + " holds two offers");
                        }
                        if (node.claims.accept(TENANT, queue, g.offerId(), r.agentId(), r.version())
                                != Claims.Answer.CONNECTED) {
                            violations.add("offer " + g.offerId() + " lost its answer");
                        }
                        holding.get(r.agentId()).decrementAndGet(); // before the end: the agent is on-call until then
                        node.claims.callEnded(TENANT, queue, r.agentId(), false);
                    }
                }
                return claimed;
            }));
        }
        int claimed = 0;
        for (Future<Integer> result : results) {
            claimed += result.get(120, TimeUnit.SECONDS);
        }
        threads.shutdown();

        assertThat(violations).isEmpty();
        assertThat(claimed).isEqualTo(callerCount);
        assertThat(offersPerCaller).hasSize(callerCount);
        assertThat(offersPerCaller.values()).allMatch(n -> n.get() == 1);
        var redis = first.redis.commands();
        assertThat(redis.zcard(Keys.queueWait(TENANT, "7000"))).isZero();
        assertThat(redis.zcard(Keys.availableAgents(TENANT))).isEqualTo(agents);
        assertThat(redis.keys("tandem:{demo}:offer:*")).isEmpty();
        List<StreamMessage<String, String>> log = redis.xrange(Keys.queueLog(TENANT), io.lettuce.core.Range.create("-", "+"));
        assertThat(log.stream().filter(m -> m.getBody().get("event").equals("CONNECT"))
                .map(m -> m.getBody().get("callid")).distinct().count()).isEqualTo(callerCount);
        assertThat(log.stream().filter(m -> m.getBody().get("event").equals("ENTERQUEUE")).count())
                .isEqualTo(callerCount);
        for (String id : ids) {
            assertThat(first.state(id)).isEqualTo("available");
        }
    }

    @Test
    void ringAllWithFiveAgentsAnsweringAtOnceConnectsOneAndReleasesFour() throws Exception {
        QueueDefinition queue = Scenarios.queue("7100", Strategy.RING_ALL, "3001", "3002", "3003", "3004", "3005");
        AcdFixture n1 = nodes.get(0);
        n1.queues.save(TENANT, queue, false);
        for (int i = 1; i <= 5; i++) {
            nodes.get(i % 3).available("300" + i, "7100");
        }
        n1.enqueue("7100", "ring-all-caller", 0);
        OfferGrant grant = n1.claims.claim(TENANT, queue, NODES).orElseThrow();
        assertThat(grant.agents()).hasSize(5);
        // While it rings, nobody else can claim the caller again.
        assertThat(nodes.get(1).claims.claim(TENANT, queue, NODES)).isEmpty();

        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(5);
        List<Future<Claims.Answer>> answers = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            OfferGrant.Reservation r = grant.agents().get(i);
            AcdFixture node = nodes.get(i % 3);
            answers.add(threads.submit(() -> {
                go.await();
                return node.claims.accept(TENANT, queue, grant.offerId(), r.agentId(), r.version());
            }));
        }
        go.countDown();
        List<Claims.Answer> outcome = new ArrayList<>();
        for (Future<Claims.Answer> answer : answers) {
            outcome.add(answer.get(30, TimeUnit.SECONDS));
        }
        threads.shutdown();
        assertThat(outcome).containsOnlyOnce(Claims.Answer.CONNECTED);
        assertThat(outcome.stream().filter(a -> a == Claims.Answer.LOST).count()).isEqualTo(4);
        int winner = outcome.indexOf(Claims.Answer.CONNECTED);
        for (int i = 0; i < 5; i++) {
            assertThat(n1.state(grant.agents().get(i).agentId())).isEqualTo(i == winner ? "on-call" : "available");
        }
        assertThat(n1.redis.commands().zcard(Keys.queueWait(TENANT, "7100"))).isZero();
    }
    /**
     * A batch decides what as many single claims in a row decide: the same callers in the same order, each with the
     * same agents. Run on two identical pictures (the clock makes idle times, talk times and positions the same).
     */
    @Test
    void aBatchClaimsWhatSingleClaimsInARowWould() {
        for (Strategy strategy : List.of(Strategy.LONGEST_IDLE, Strategy.ROUND_ROBIN, Strategy.LINEAR,
                Strategy.FEWEST_CALLS, Strategy.LEAST_TALK_TIME, Strategy.SKILLS_BASED, Strategy.RING_ALL)) {
            List<String> single = new ArrayList<>();
            QueueDefinition queue = batchPicture(strategy);
            for (Optional<OfferGrant> g = nodes.get(0).claims.claim(TENANT, queue, NODES); g.isPresent();
                    g = nodes.get(0).claims.claim(TENANT, queue, NODES)) {
                single.add(describe(g.get()));
            }
            List<String> batched = new ArrayList<>();
            batchPicture(strategy);
            List<OfferGrant> grants;
            do {
                grants = nodes.get(0).claims.claim(TENANT, queue, NODES, 3);
                assertThat(grants).hasSizeLessThanOrEqualTo(3);
                grants.forEach(g -> batched.add(describe(g)));
            } while (!grants.isEmpty());
            assertThat(batched).as(strategy.wireName()).isEqualTo(single);
            int offers = strategy == Strategy.RING_ALL ? 1 : 7; // ring-all rings every agent for the first caller
            assertThat(single).as(strategy.wireName()).hasSize(offers);
        }
    }

    /** Seven agents on three nodes, idle since different times, some with calls and talk time; ten callers. */
    private QueueDefinition batchPicture(Strategy strategy) {
        nodes.get(0).redis.commands().flushall();
        String[] agents = {"4001", "4002", "4003", "4004", "4005", "4006", "4007"};
        QueueDefinition queue = Scenarios.queue("7200", strategy, agents);
        nodes.get(0).queues.save(TENANT, queue, false);
        for (int i = agents.length - 1; i >= 0; i--) { // the last logs in first: idle order is not member order
            clock.advance(java.time.Duration.ofSeconds(2));
            nodes.get(i % 3).available(agents[i], "7200");
        }
        for (int i = 0; i < 3; i++) { // two agents took calls before: fewest-calls and least-talk-time differ
            String agent = agents[i * 2];
            var redis = nodes.get(0).redis.commands();
            redis.hset(Keys.agent(TENANT, agent), Map.of("calls", Integer.toString(i + 1),
                    "talkMs", Integer.toString(90_000 - i * 30_000)));
            redis.zadd(Keys.availableAgentsByCalls(TENANT), i + 1, agent);
            redis.zadd(Keys.availableAgentsByTalk(TENANT), 90_000 - i * 30_000, agent);
        }
        for (int i = 0; i < 10; i++) {
            clock.advance(java.time.Duration.ofSeconds(1));
            nodes.get(i % 3).enqueue("7200", "batch-" + i, i % 4 == 0 ? 5 : 0);
        }
        return queue;
    }

    private static String describe(OfferGrant grant) {
        return grant.callId() + " -> " + grant.agents().stream().map(OfferGrant.Reservation::agentId).toList();
    }
}
