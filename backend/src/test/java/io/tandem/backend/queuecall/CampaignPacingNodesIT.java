package io.tandem.backend.queuecall;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.api.sync.RedisCommands;
import io.tandem.backend.TestNode;
import io.tandem.backend.acd.queues.Queues;
import io.tandem.backend.acd.queues.Strategy;
import io.tandem.backend.campaign.CampaignScheduler;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.Redis;
import io.tandem.telephony.testing.Await;
import io.tandem.telephony.testing.RedisServer;
import io.tandem.telephony.testing.TestPhone;
import io.tandem.telephony.ua.UserAgentConfig;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A progressive campaign on two nodes whose schedulers tick at the same moment (driven by the test, released
 * together by a barrier, their own loops off): its inputs — the queue's available agents, the campaign's calls in
 * flight — are cluster-wide, so without one pacer at a time each node dialled one call per available agent, twice
 * the agents. The carrier lets every call ring (longer than the test), so each call stays in flight and the count of
 * claimed contacts is the count of calls at once.
 */
class CampaignPacingNodesIT {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    private static final String TENANT = "/api/v1/tenants/demo";
    private static final List<String> AGENTS = List.of("1002", "1003", "1004");
    private static final int ROUNDS = 5;

    /** A carrier whose customers never answer: each INVITE rings (180) and is counted by the number called. */
    private static final class Carrier implements AutoCloseable {
        final TestPhone phone;
        final Map<String, Integer> invites = new ConcurrentHashMap<>();

        Carrier() throws Exception {
            phone = TestPhone.start(UserAgentConfig.of("carrier", "127.0.0.1"), 440, 1000);
            phone.onIncoming(call -> {
                String to = call.inviteHeader("To");
                int start = to.indexOf("sip:") + 4;
                invites.merge(to.substring(start, to.indexOf('@', start)), 1, Integer::sum);
            });
        }

        @Override
        public void close() {
            phone.close();
        }
    }

    @Test
    void twoNodesTickingTogetherNeverDialMoreCallsThanTheQueueHasAvailableAgents() throws Exception {
        List<QueuePhone> phones = new ArrayList<>();
        List<AgentDesk> desks = new ArrayList<>();
        ExecutorService pair = Executors.newFixedThreadPool(2);
        try (TestNode one = node("one"); TestNode two = node("two"); Carrier carrier = new Carrier()) {
            one.bean(Queues.class).save("demo", QueueNodes.queue("7000", Strategy.LONGEST_IDLE, 15, 1, 0, 3, AGENTS),
                    false);
            for (String agent : AGENTS) {
                phones.add(QueuePhone.agent(one, agent, 1000, 440));
                desks.add(AgentDesk.available(one, agent));
            }
            put(one, TENANT + "/trunks/a", "{\"host\":\"127.0.0.1\",\"port\":" + carrier.phone.ua.sipPort()
                    + ",\"authentication\":\"address\",\"codecs\":[\"PCMU\"],\"addresses\":[\"127.0.0.1\"],"
                    + "\"callerId\":{\"mode\":\"presented\",\"number\":\"+4930555000\"}}");
            put(one, TENANT + "/campaigns/pace", "{\"queue\":\"7000\",\"mode\":\"progressive\",\"window\":{\"start\":"
                    + "\"00:00\",\"end\":\"23:59\"},\"maxAttempts\":1,\"ringSeconds\":120}");
            StringBuilder csv = new StringBuilder("number,timezone\n");
            for (int i = 0; i < 12; i++) {
                csv.append("+49302100").append(String.format("%03d", i)).append(",UTC\n");
            }
            HttpResponse<String> uploaded = one.api().post(TENANT + "/campaigns/pace/contacts", TestNode.ADMIN,
                    TestNode.PASSWORD, "text/csv", csv.toString());
            assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(200);
            post(one, TENANT + "/campaigns/pace/start");

            RedisCommands<String, String> redis = one.bean(Redis.class).commands();
            List<CampaignScheduler> schedulers = List.of(one.bean(CampaignScheduler.class),
                    two.bean(CampaignScheduler.class));
            for (int round = 0; round < ROUNDS; round++) {
                CyclicBarrier together = new CyclicBarrier(schedulers.size());
                List<Future<?>> ticks = new ArrayList<>();
                for (CampaignScheduler scheduler : schedulers) {
                    ticks.add(pair.submit(() -> {
                        together.await();
                        scheduler.tick();
                        return null;
                    }));
                }
                for (Future<?> tick : ticks) {
                    tick.get(60, TimeUnit.SECONDS);
                }
                assertThat(redis.hlen(Keys.campaignDialling("demo", "pace")))
                        .as("round " + round + ": calls dialling or waiting for an agent, both nodes having paced")
                        .isLessThanOrEqualTo(AGENTS.size());
                // the next round is a new tick: the turn of this one is over
                Await.until("round " + round + "'s pacing turn over", Duration.ofSeconds(30),
                        () -> redis.exists(Keys.campaignPacing("demo", "pace")) == 0);
            }
            assertThat(redis.hlen(Keys.campaignDialling("demo", "pace"))).as("one call per available agent")
                    .isEqualTo(AGENTS.size());
            Await.until("the carrier has every call", Duration.ofSeconds(20),
                    () -> carrier.invites.size() >= AGENTS.size());
            assertThat(carrier.invites).as("one INVITE per available agent, each contact once").hasSize(AGENTS.size())
                    .allSatisfy((number, count) -> assertThat(count).isEqualTo(1));
            post(one, TENANT + "/campaigns/pace/stop");
        } finally {
            pair.shutdownNow();
            desks.forEach(AgentDesk::close);
            phones.forEach(QueuePhone::close);
        }
    }

    /** A node whose scheduler ticks only when the test says (its loop off), with a short tick and so a short turn. */
    private static TestNode node(String id) {
        return QueueNodes.node(redis, id, "tandem.campaigns.enabled=false", "tandem.campaigns.tick=200ms");
    }

    private static void put(TestNode node, String path, String json) {
        HttpResponse<String> response = node.api().put(path, TestNode.ADMIN, TestNode.PASSWORD, json);
        assertThat(response.statusCode()).as(response.body()).isBetween(200, 201);
    }

    private static void post(TestNode node, String path) {
        HttpResponse<String> response = node.api().post(path, TestNode.ADMIN, TestNode.PASSWORD, "");
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
    }
}
