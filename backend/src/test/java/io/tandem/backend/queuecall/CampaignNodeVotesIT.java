package io.tandem.backend.queuecall;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.sync.RedisCommands;
import io.tandem.backend.TestNode;
import io.tandem.backend.acd.queues.Queues;
import io.tandem.backend.acd.queues.Strategy;
import io.tandem.backend.cluster.NodeVotes;
import io.tandem.backend.node.sip.SipRequestRouter;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.Redis;
import io.tandem.telephony.testing.Await;
import io.tandem.telephony.testing.RedisServer;
import io.tandem.telephony.testing.TestPhone;
import io.tandem.telephony.ua.UserAgentConfig;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Three nodes dial one campaign; one of them is cut off from the other two (it drops, unanswered, every request
 * that comes from another node, the others' OPTIONS probes among them) while its heartbeat still reaches Redis. The
 * two others vote it out of dialling and the campaign goes on without it; once it answers again they vote it back
 * in and it dials again. The carrier tells the nodes' INVITEs apart by the port in their Via.
 */
class CampaignNodeVotesIT {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TENANT = "/api/v1/tenants/demo";
    private static final Duration VOTE = Duration.ofSeconds(60);
    private static final String[] FAST_VOTES = {"tandem.cluster.voting.probe-interval=500ms",
        "tandem.cluster.voting.probe-timeout=1s", "tandem.cluster.voting.vote-ttl=5s"};

    /** A carrier answering every call; counts the INVITEs of each node (by the port in the Via). */
    private static final class Carrier implements AutoCloseable {
        final TestPhone phone;
        final Map<String, Integer> invites = new ConcurrentHashMap<>();

        Carrier() throws Exception {
            phone = TestPhone.start(UserAgentConfig.of("carrier", "127.0.0.1"), 440, 1000);
            phone.onIncoming(call -> {
                String via = call.inviteHeader("Via");
                invites.merge(via.replaceAll("^.*?:(\\d+).*$", "$1"), 1, Integer::sum);
                call.answer();
            });
        }

        int from(TestNode node) {
            return invites.getOrDefault(Integer.toString(node.sipPort()), 0);
        }

        @Override
        public void close() {
            phone.close();
        }
    }

    @Test
    void theOthersVoteACutOffNodeOutOfDiallingAndBackIn() throws Exception {
        try (TestNode a = node("vote-a"); TestNode b = node("vote-b"); TestNode c = node("vote-c");
                Carrier carrier = new Carrier()) {
            RedisCommands<String, String> commands = a.bean(Redis.class).commands();
            // one INVITE a second per node: the campaign lasts well beyond the test, and each node's share shows
            commands.hset(Keys.dialerLimits("demo"), Map.of("nodeCaps", "1"));
            trunk(a, carrier.phone.ua.sipPort());
            campaign(a, 400);
            post(a, TENANT + "/campaigns/votes/start");
            Await.until("every node dials", VOTE, () -> carrier.from(a) > 0 && carrier.from(b) > 0
                    && carrier.from(c) > 0);
            NodeVotes votes = a.bean(NodeVotes.class);
            // a node starting up on a loaded machine may miss a probe's deadline and be out for a moment
            Await.until("every node in dialling", VOTE,
                    () -> List.of("vote-a", "vote-b", "vote-c").stream().allMatch(votes::dialling));

            c.bean(SipRequestRouter.class).cutOffFromNodes(true);
            Await.until("vote-c voted out of dialling", VOTE, () -> !votes.dialling("vote-c"));
            // vote-c's votes alone take no one out. With one of vote-b's probes of vote-a late on a loaded machine,
            // vote-a is out too for a moment (two votes of three, rightly); it is back with vote-b's next answered
            // probe, while votes that vote-c alone cast would keep it out for as long as vote-c is cut off.
            Await.until("vote-a and vote-b in dialling, whatever vote-c says", VOTE,
                    () -> votes.dialling("vote-a") && votes.dialling("vote-b"));
            assertThat(c.bean(Redis.class).commands().exists(Keys.node("vote-c")))
                    .as("vote-c's heartbeat still reaches Redis").isEqualTo(1L);
            JsonNode listed = nodeListed(b, "vote-c");
            assertThat(listed.path("dialling").asBoolean(true)).isFalse();
            assertThat(listed.path("votes").path("vote-a").path("vote").asText()).isEqualTo("unreachable");
            assertThat(listed.path("votes").path("vote-b").path("vote").asText()).isEqualTo("unreachable");
            // the event is written just after the decision, on the deciding node's voting thread
            Await.until("the last node.dialling event on vote-c: out, with both votes", VOTE,
                    () -> "out vote-a=unreachable,vote-b=unreachable".equals(lastDiallingEvent(commands, "vote-c")));

            // A tick under way as the vote landed may still place its calls: wait until the others have dialled on
            // (several ticks), then vote-c must place none while they dial on.
            int others = carrier.from(a) + carrier.from(b);
            Await.until("the others dial on", VOTE, () -> carrier.from(a) + carrier.from(b) >= others + 4);
            int fromC = carrier.from(c);
            Await.until("the others dial on again", VOTE, () -> carrier.from(a) + carrier.from(b) >= others + 10);
            assertThat(carrier.from(c)).as("INVITEs from vote-c while voted out").isEqualTo(fromC);
            assertThat(c.bean(SipRequestRouter.class).cutOffDropped()).as("the others' requests vote-c dropped")
                    .isPositive();

            c.bean(SipRequestRouter.class).cutOffFromNodes(false);
            Await.until("vote-c voted back in", VOTE, () -> votes.dialling("vote-c"));
            assertThat(nodeListed(a, "vote-c").path("dialling").asBoolean(false)).isTrue();
            Await.until("the last node.dialling event on vote-c: in, with both votes", VOTE,
                    () -> "in vote-a=reachable,vote-b=reachable".equals(lastDiallingEvent(commands, "vote-c")));
            Await.until("vote-c dials again", VOTE, () -> carrier.from(c) > fromC);
            post(a, TENANT + "/campaigns/votes/stop");
        }
    }

    private static TestNode node(String id) {
        TestNode node = QueueNodes.node(redis, id, FAST_VOTES);
        node.bean(Queues.class).save("demo", QueueNodes.queue("7000", Strategy.LONGEST_IDLE, 15, 1, 0, 3,
                List.of("1002")), false);
        return node;
    }

    /** {@code out|in <votes>} of the last {@code node.dialling} event on {@code subject}; null when none. */
    private static String lastDiallingEvent(RedisCommands<String, String> commands, String subject) {
        return commands.xrange(Keys.events("demo"), Range.create("-", "+")).stream().map(StreamMessage::getBody)
                .filter(event -> "node.dialling".equals(event.get("kind")) && subject.equals(event.get("subject")))
                .map(event -> event.get("dialling") + " " + event.get("votes")).reduce((first, second) -> second)
                .orElse(null);
    }

    private static JsonNode nodeListed(TestNode asked, String id) throws Exception {
        HttpResponse<String> response = asked.api().get("/api/v1/cluster/nodes", TestNode.ADMIN, TestNode.PASSWORD);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        for (JsonNode node : JSON.readTree(response.body())) {
            if (id.equals(node.path("id").asText())) {
                return node;
            }
        }
        throw new AssertionError(id + " not listed: " + response.body());
    }

    private static void trunk(TestNode node, int port) {
        put(node, TENANT + "/trunks/a", "{\"host\":\"127.0.0.1\",\"port\":" + port + ",\"authentication\":"
                + "\"address\",\"codecs\":[\"PCMU\",\"PCMA\"],\"addresses\":[\"127.0.0.1\"],\"priority\":1,"
                + "\"caps\":10,\"callerId\":{\"mode\":\"presented\",\"number\":\"+4930555000\"}}");
    }

    private static void campaign(TestNode node, int contacts) {
        put(node, TENANT + "/campaigns/votes", "{\"queue\":\"7000\",\"mode\":\"broadcast\",\"window\":{\"start\":"
                + "\"00:00\",\"end\":\"23:59\"},\"maxAttempts\":1,\"ringSeconds\":15,\"prompt\":[\"vm-goodbye\"]}");
        StringBuilder csv = new StringBuilder("number,timezone\n");
        for (int i = 0; i < contacts; i++) {
            csv.append("+49303000").append(String.format("%03d", i)).append(",UTC\n");
        }
        HttpResponse<String> response = node.api().post(TENANT + "/campaigns/votes/contacts", TestNode.ADMIN,
                TestNode.PASSWORD, "text/csv", csv.toString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
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
