package io.tandem.backend.queuecall;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.api.sync.RedisCommands;
import io.tandem.backend.TestNode;
import io.tandem.backend.acd.queues.Queues;
import io.tandem.backend.acd.queues.Strategy;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.Redis;
import io.tandem.telephony.testing.Await;
import io.tandem.telephony.testing.RedisServer;
import io.tandem.telephony.testing.TestPhone;
import io.tandem.telephony.ua.Call;
import io.tandem.telephony.ua.CallState;
import io.tandem.telephony.ua.UserAgentConfig;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One campaign dialled by two nodes on one Redis: a node-level layer of the dialer's limits changes that node's
 * concurrency and nothing else (counted at the carrier, by the node each INVITE came from), and a node stopped
 * mid-campaign leaves no contact dialled twice — its claims are settled by the other node once it is gone.
 */
class CampaignNodesIT {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TENANT = "/api/v1/tenants/demo";
    /** A prompt of about 20 s: each answered call holds its channels that long. */
    private static final String LONG_PROMPT = "[" + String.join(",", Collections.nCopies(8,
            "\"please-try-call-later\"")) + "]";

    /** A carrier answering every call; counts INVITEs per number and calls at once per node (by the Via's port). */
    private static final class Carrier implements AutoCloseable {
        final TestPhone phone;
        final Map<String, Integer> invites = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> now = new ConcurrentHashMap<>();
        final Map<String, Integer> most = new ConcurrentHashMap<>();

        Carrier() throws Exception {
            phone = TestPhone.start(UserAgentConfig.of("carrier", "127.0.0.1"), 440, 1000);
            phone.onIncoming(call -> {
                String to = call.inviteHeader("To");
                int start = to.indexOf("sip:") + 4;
                invites.merge(to.substring(start, to.indexOf('@', start)), 1, Integer::sum);
                String via = call.inviteHeader("Via");
                String node = via.replaceAll("^.*?:(\\d+).*$", "$1");
                int held = now.computeIfAbsent(node, n -> new AtomicInteger()).incrementAndGet();
                most.merge(node, held, Math::max);
                call.answer();
                Thread watcher = new Thread(() -> {
                    try {
                        phone.awaitState(call, CallState.ENDED);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    } finally {
                        now.get(node).decrementAndGet();
                    }
                });
                watcher.setDaemon(true);
                watcher.start();
            });
        }

        /** The calls from {@code node} the carrier has answered and not seen end. */
        int holding(TestNode node) {
            AtomicInteger held = now.get(Integer.toString(node.sipPort()));
            return held == null ? 0 : held.get();
        }

        @Override
        public void close() {
            phone.close();
        }
    }

    @Test
    void aNodeLevelOverrideChangesOnlyThatNodesConcurrency() throws Exception {
        try (TestNode one = node("limited"); TestNode two = node("unlimited"); Carrier carrier = new Carrier()) {
            RedisCommands<String, String> redis = commands(one);
            redis.hset(Keys.dialerTemplate(), Map.of("nodeChannels", "50"));
            redis.hset(Keys.dialerLimits("demo"), Map.of("nodeChannels", "4"));
            redis.hset(Keys.dialerNodeLimits("demo", "limited"), Map.of("nodeChannels", "1"));
            trunk(one, carrier.phone.ua.sipPort());
            campaign(one, "hold", 20);
            post(one, TENANT + "/campaigns/hold/start");
            // at the carrier, not only in Redis: a node takes its channels before its INVITEs are out, and on a
            // loaded machine stopping the campaign then would cancel calls the carrier has not seen yet
            Await.until("both nodes at their concurrency, at the carrier", Duration.ofSeconds(60),
                    () -> redis.hlen(Keys.outboundNodeChannels("demo", "unlimited")) == 4
                            && redis.hlen(Keys.outboundNodeChannels("demo", "limited")) == 1
                            && carrier.holding(two) == 4 && carrier.holding(one) == 1,
                    () -> "carrier holds " + carrier.now);
            post(one, TENANT + "/campaigns/hold/stop");
            assertThat(carrier.most.get(Integer.toString(one.sipPort())))
                    .as("the node layer's concurrency: at most 1 call at once from node 'limited'").isEqualTo(1);
            assertThat(carrier.most.get(Integer.toString(two.sipPort())))
                    .as("the tenant layer's concurrency on the other node").isEqualTo(4);
        }
    }

    @Test
    void aNodeStoppedMidCampaignLeavesNoContactDialledTwice() throws Exception {
        try (TestNode survivor = node("survivor"); Carrier carrier = new Carrier()) {
            TestNode doomed = node("doomed");
            commands(survivor).hset(Keys.dialerLimits("demo"), Map.of("nodeChannels", "3"));
            trunk(survivor, carrier.phone.ua.sipPort());
            campaign(survivor, "kill", 16);
            post(survivor, TENANT + "/campaigns/kill/start");
            Await.until("the doomed node holds calls", Duration.ofSeconds(60),
                    () -> commands(survivor).hlen(Keys.outboundNodeChannels("demo", "doomed")) >= 2);
            doomed.close();
            // What the doomed node still had claimed when it stopped: a call it had not settled itself as it went
            // down (how many depends on how far each call had got), which only the survivor's sweep may settle.
            Set<String> leftByDoomed = commands(survivor).hgetall(Keys.campaignDialling("demo", "kill")).entrySet()
                    .stream().filter(claim -> "doomed".equals(claim.getValue())).map(Map.Entry::getKey)
                    .collect(Collectors.toSet());
            Await.until("every contact ended", Duration.ofSeconds(120), () -> records(survivor).values().stream()
                    .allMatch(r -> "done".equals(r.path("state").asText())));
            Map<String, JsonNode> records = records(survivor);
            for (Map.Entry<String, JsonNode> record : records.entrySet()) {
                int dialled = carrier.invites.getOrDefault(record.getKey(), 0);
                assertThat(dialled).as(record.getKey() + " dialled at most once").isLessThanOrEqualTo(1);
                if ("answered".equals(record.getValue().path("lastOutcome").asText())) {
                    assertThat(dialled).as(record.getKey() + " answered: dialled once").isEqualTo(1);
                }
            }
            for (String contact : leftByDoomed) {
                assertThat(records.get(contact).path("lastOutcome").asText())
                        .as(contact + ", left claimed by the doomed node: failed (node-lost), never dialled again")
                        .isEqualTo("failed");
            }
            Map<String, Long> outcomes = records.values().stream().collect(Collectors.groupingBy(
                    r -> r.path("lastOutcome").asText(), Collectors.counting()));
            assertThat(outcomes.getOrDefault("answered", 0L) + outcomes.getOrDefault("failed", 0L))
                    .as("every contact has an outcome: " + outcomes).isEqualTo(16);
            post(survivor, TENANT + "/campaigns/kill/stop");
        }
    }

    private static TestNode node(String id) {
        TestNode node = QueueNodes.node(redis, id);
        node.bean(Queues.class).save("demo", QueueNodes.queue("7000", Strategy.LONGEST_IDLE, 15, 1, 0, 3,
                List.of("1002")), false);
        return node;
    }

    private static void trunk(TestNode node, int port) {
        put(node, TENANT + "/trunks/a", "{\"host\":\"127.0.0.1\",\"port\":" + port + ",\"authentication\":"
                + "\"address\",\"codecs\":[\"PCMU\",\"PCMA\"],\"addresses\":[\"127.0.0.1\"],\"priority\":1,"
                + "\"caps\":10,\"callerId\":{\"mode\":\"presented\",\"number\":\"+4930555000\"}}");
    }

    private static void campaign(TestNode node, String id, int contacts) {
        put(node, TENANT + "/campaigns/" + id, "{\"queue\":\"7000\",\"mode\":\"broadcast\",\"window\":{\"start\":"
                + "\"00:00\",\"end\":\"23:59\"},\"maxAttempts\":1,\"ringSeconds\":15,\"prompt\":" + LONG_PROMPT + "}");
        StringBuilder csv = new StringBuilder("number,timezone\n");
        for (int i = 0; i < contacts; i++) {
            csv.append("+49302000").append(String.format("%03d", i)).append(",UTC\n");
        }
        HttpResponse<String> response = node.api().post(TENANT + "/campaigns/" + id + "/contacts", TestNode.ADMIN,
                TestNode.PASSWORD, "text/csv", csv.toString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    private static Map<String, JsonNode> records(TestNode node) {
        return commands(node).hgetall(Keys.campaignContacts("demo", "kill")).entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> {
                    try {
                        return JSON.readTree(e.getValue());
                    } catch (Exception ex) {
                        throw new AssertionError(ex);
                    }
                }));
    }

    private static void put(TestNode node, String path, String json) {
        HttpResponse<String> response = node.api().put(path, TestNode.ADMIN, TestNode.PASSWORD, json);
        assertThat(response.statusCode()).as(response.body()).isBetween(200, 201);
    }

    private static void post(TestNode node, String path) {
        HttpResponse<String> response = node.api().post(path, TestNode.ADMIN, TestNode.PASSWORD, "");
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
    }

    private static RedisCommands<String, String> commands(TestNode node) {
        return node.bean(Redis.class).commands();
    }
}
