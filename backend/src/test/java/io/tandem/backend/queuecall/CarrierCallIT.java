package io.tandem.backend.queuecall;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.tandem.backend.TestNode;
import io.tandem.backend.acd.queues.Queues;
import io.tandem.backend.acd.queues.Strategy;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.Redis;
import io.tandem.telephony.testing.Await;
import io.tandem.telephony.testing.RedisServer;
import io.tandem.telephony.ua.Call;
import io.tandem.telephony.ua.CallState;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Calls from the public network: a carrier (our user agent, its packets leaving from 127.0.0.2, the trunk's address)
 * dials the tenant's DIDs; a DID of queue 7000 reaches an agent with tones both ways, the queue log and the CDR name
 * the DID and the trunk; a DID of an extension rings it; the same INVITE from any other address is refused.
 */
class CarrierCallIT {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    private static final Duration AUDIO = Duration.ofSeconds(20);
    private static final String CARRIER = "127.0.0.2";
    private static final String QUEUE_DID = "+4930555000";
    private static final String EXTENSION_DID = "+4930555001";
    private static final String PROMPT_DID = "+4930555002";
    private static final String PROMPT_ONCE_DID = "+4930555003";
    /** Asterisk's beep prompt: 0.43 s of 700 Hz. */
    private static final double BEEP = 700;
    private static final String CUSTOMER = "+4917012345678";

    private static TestNode node;

    @BeforeAll
    static void start() {
        node = QueueNodes.node(redis, "carrier-in");
        node.bean(Queues.class).save("demo", QueueNodes.queue("7000", Strategy.LONGEST_IDLE, 15, 1, 0, 3,
                List.of("1002")), false);
        put("/api/v1/tenants/demo/trunks/carrier", "{\"host\":\"" + CARRIER + "\",\"authentication\":\"address\","
                + "\"addresses\":[\"" + CARRIER + "\"],\"callerId\":{\"mode\":\"presented\",\"number\":\""
                + QUEUE_DID + "\"}}", 201);
        put("/api/v1/tenants/demo/dids/" + QUEUE_DID, "{\"target\":\"queue\",\"destination\":\"7000\"}", 201);
        put("/api/v1/tenants/demo/dids/" + EXTENSION_DID, "{\"target\":\"extension\",\"destination\":\"1003\"}",
                201);
        put("/api/v1/tenants/demo/dids/" + PROMPT_DID, "{\"target\":\"prompt\",\"destination\":\"beep\","
                + "\"loop\":true,\"maxSeconds\":3}", 201);
        put("/api/v1/tenants/demo/dids/" + PROMPT_ONCE_DID, "{\"target\":\"prompt\",\"destination\":\"beep\"}",
                201);
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @Test
    void aDidCallFromTheCarrierWaitsInTheQueueAndTalksWithTheAgent() throws Exception {
        try (QueuePhone agent = QueuePhone.agent(node, "1002", 440, 1000);
             AgentDesk desk = AgentDesk.available(node, "1002").listen();
             QueuePhone customer = QueuePhone.callerFrom(CARRIER, CUSTOMER, 1000, 440)) {
            Call call = customer.dial(node, QUEUE_DID);
            customer.awaitState(call, CallState.CONNECTED);
            JsonNode offer = desk.next("offer");
            assertThat(offer.path("callerNumber").asText()).isEqualTo(CUSTOMER);
            assertThat(offer.path("data").path("did").asText()).as("the agent sees the DID").isEqualTo(QUEUE_DID);
            Call ringing = agent.nextIncoming();
            ringing.answer();
            agent.awaitState(ringing, CallState.CONNECTED);
            Await.until("the call holds a channel of its trunk", Duration.ofSeconds(30), () -> channels() == 1);
            long music = customer.ear(call).toneFrames();
            Await.until("the agent hears the customer's 1 kHz", AUDIO, () -> agent.ear(ringing).toneFrames() > 25);
            Await.until("the customer hears the agent's 440 Hz", AUDIO,
                    () -> customer.ear(call).toneFrames() > music + 25);
            call.hangup();
            agent.awaitState(ringing, CallState.ENDED);

            Await.until("the call's end in the queue log", Duration.ofSeconds(30),
                    () -> queueLog(call.id()).stream().anyMatch(e -> "COMPLETECALLER".equals(e.get("event"))));
            List<Map<String, String>> log = queueLog(call.id());
            assertThat(log).extracting(e -> e.get("event")).containsSubsequence("DID", "ENTERQUEUE", "CONNECT",
                    "COMPLETECALLER");
            assertThat(log.get(0)).containsEntry("data1", QUEUE_DID).containsEntry("data2", "carrier")
                    .containsEntry("queue", "7000");
            Await.until("the call's record", Duration.ofSeconds(30), () -> !cdr(call.id()).isEmpty());
            assertThat(cdr(call.id())).containsEntry("from", CUSTOMER).containsEntry("queue", "7000")
                    .containsEntry("agent", "1002").containsEntry("did", QUEUE_DID)
                    .containsEntry("trunk", "carrier");
            desk.stateAfterCall("not-ready");
            Await.until("its trunk channel given back", Duration.ofSeconds(30), () -> channels() == 0);
        }
    }

    @Test
    void aDidOfAPromptPlaysItLoopedUpToItsTimeAndHangsUp() throws Exception {
        try (QueuePhone customer = QueuePhone.callerFrom(CARRIER, CUSTOMER, 1000, BEEP)) {
            Call call = customer.dial(node, PROMPT_DID);
            customer.awaitState(call, CallState.CONNECTED);
            Await.until("the call holds a channel of its trunk", Duration.ofSeconds(30), () -> channels() == 1);
            // once is 21 frames of tone; more is the loop
            Await.until("the customer hears the looped beep", AUDIO, () -> customer.ear(call).toneFrames() > 40);
            customer.awaitState(call, CallState.ENDED);
            assertThat(call.endStatus()).as("answered (200), then hung up on by the node's BYE").isEqualTo(200);
            Await.until("the call's record", Duration.ofSeconds(30), () -> !cdr(call.id()).isEmpty());
            assertThat(cdr(call.id())).containsEntry("from", CUSTOMER).containsEntry("to", PROMPT_DID)
                    .containsEntry("prompt", "beep").containsEntry("did", PROMPT_DID)
                    .containsEntry("trunk", "carrier").containsEntry("hungUpBy", "node");
            Await.until("its trunk channel given back", Duration.ofSeconds(30), () -> channels() == 0);
        }
    }

    @Test
    void aDidOfAPromptPlayedOnceIsHeardWholeBeforeTheNodeHangsUp() throws Exception {
        try (QueuePhone customer = QueuePhone.callerFrom(CARRIER, CUSTOMER, 1000, BEEP)) {
            Call call = customer.dial(node, PROMPT_ONCE_DID);
            customer.awaitState(call, CallState.CONNECTED);
            customer.awaitState(call, CallState.ENDED);
            // the beep is 21 frames of tone: the node hangs up once its media thread has sent them all and a tail of
            // silence, however late a loaded machine plays them, not when a timer of the prompt's length says
            assertThat(customer.ear(call).toneFrames()).as("tone frames of the beep heard before the node's BYE")
                    .isGreaterThanOrEqualTo(19);
            assertThat(call.endStatus()).as("answered (200), then hung up on by the node's BYE").isEqualTo(200);
            Await.until("the call's record", Duration.ofSeconds(30), () -> !cdr(call.id()).isEmpty());
            assertThat(cdr(call.id())).containsEntry("prompt", "beep").containsEntry("did", PROMPT_ONCE_DID)
                    .containsEntry("endCause", "prompt-played").containsEntry("hungUpBy", "node");
        }
    }

    @Test
    void aPromptDidNamesAPromptThatExistsAndLoopsOnlyWithATimeLimit() {
        assertInvalid("{\"target\":\"prompt\",\"destination\":\"no-such-prompt\"}", "destination");
        assertInvalid("{\"target\":\"prompt\",\"destination\":\"../../../etc/passwd\"}", "destination");
        assertInvalid("{\"target\":\"prompt\",\"destination\":\"beep\",\"loop\":true}", "maxSeconds");
        assertInvalid("{\"target\":\"prompt\",\"destination\":\"beep\",\"maxSeconds\":0}", "maxSeconds");
        HttpResponse<String> loopingQueue = assertInvalid("{\"target\":\"queue\",\"destination\":\"7000\","
                + "\"loop\":true}", "loop");
        assertThat(loopingQueue.body()).contains("\"allowed\":[\"prompt\"]");
        HttpResponse<String> once = node.api().put("/api/v1/tenants/demo/dids/+4930555998", TestNode.ADMIN,
                TestNode.PASSWORD, "{\"target\":\"prompt\",\"destination\":\"beep\"}");
        assertThat(once.statusCode()).as(once.body()).isEqualTo(201);
        assertThat(once.body()).contains("\"loop\":false").contains("\"maxSeconds\":0");
        node.api().delete("/api/v1/tenants/demo/dids/+4930555998", TestNode.ADMIN, TestNode.PASSWORD);
    }

    private static HttpResponse<String> assertInvalid(String json, String field) {
        HttpResponse<String> response = node.api().put("/api/v1/tenants/demo/dids/+4930555999", TestNode.ADMIN,
                TestNode.PASSWORD, json);
        assertThat(response.statusCode()).as(json + ": " + response.body()).isEqualTo(400);
        assertThat(response.body()).contains("\"field\":\"" + field + "\"");
        return response;
    }

    private static long channels() {
        return node.bean(Redis.class).commands().hlen(Keys.trunkChannels("demo", "carrier"));
    }

    @Test
    void aDidOfAnExtensionRingsIt() throws Exception {
        try (QueuePhone callee = QueuePhone.agent(node, "1003", 440, 1000);
             QueuePhone customer = QueuePhone.callerFrom(CARRIER, CUSTOMER, 1000, 440)) {
            callee.onIncoming(Call::answer);
            Call call = customer.dial(node, EXTENSION_DID);
            customer.awaitState(call, CallState.CONNECTED);
            Call rung = callee.nextIncoming();
            assertThat(rung.remoteUri()).contains(CUSTOMER);
            Await.until("the extension hears the customer", AUDIO, () -> callee.ear(rung).toneFrames() > 25);
            Await.until("the customer hears the extension", AUDIO, () -> customer.ear(call).toneFrames() > 25);
            Await.until("the call holds a channel of its trunk", Duration.ofSeconds(30), () -> channels() == 1);
            call.hangup();
            callee.awaitState(rung, CallState.ENDED);
            Await.until("its trunk channel given back", Duration.ofSeconds(30), () -> channels() == 0);
            Await.until("the call's record", Duration.ofSeconds(30), () -> !cdr(call.id()).isEmpty());
            assertThat(cdr(call.id())).containsEntry("from", CUSTOMER).containsEntry("to", "1003")
                    .containsEntry("did", EXTENSION_DID).containsEntry("trunk", "carrier");
        }
    }

    @Test
    void theSameCallFromAnAddressThatIsNoTrunksIsForbidden() throws Exception {
        try (QueuePhone stranger = QueuePhone.callerFrom("127.0.0.3", CUSTOMER, 1000, 440);
             QueuePhone digits = QueuePhone.callerFrom("127.0.0.3", "4917012345678", 1000, 440)) {
            Call call = stranger.dial(node, QUEUE_DID);
            stranger.awaitState(call, CallState.ENDED);
            assertThat(call.endStatus()).isEqualTo(403);
            // A From that looks like an extension but is nobody's gets no digest challenge either.
            Call other = digits.dial(node, QUEUE_DID);
            digits.awaitState(other, CallState.ENDED);
            assertThat(other.endStatus()).isEqualTo(403);
            assertThat(queueLog(call.id())).as("nothing was queued").isEmpty();
            assertThat(queueLog(other.id())).isEmpty();
        }
    }

    @Test
    void aTrunkOutOfServiceTurnsItsCallsAwayWith503() throws Exception {
        put("/api/v1/tenants/demo/trunks/carrier/state", "{\"state\":\"out-of-service\",\"reason\":\"maintenance\"}",
                200);
        try (QueuePhone customer = QueuePhone.callerFrom(CARRIER, CUSTOMER, 1000, 440)) {
            Call call = customer.dial(node, QUEUE_DID);
            customer.awaitState(call, CallState.ENDED);
            assertThat(call.endStatus()).isEqualTo(503);
        } finally {
            put("/api/v1/tenants/demo/trunks/carrier/state", "{\"state\":\"in-service\"}", 200);
        }
    }

    @Test
    void aDidMustLeadSomewhere() {
        HttpResponse<String> noQueue = node.api().put("/api/v1/tenants/demo/dids/+4930555999", TestNode.ADMIN,
                TestNode.PASSWORD, "{\"target\":\"queue\",\"destination\":\"7999\"}");
        assertThat(noQueue.statusCode()).isEqualTo(400);
        assertThat(noQueue.body()).contains("\"field\":\"destination\"");
        HttpResponse<String> badTarget = node.api().put("/api/v1/tenants/demo/dids/+4930555999", TestNode.ADMIN,
                TestNode.PASSWORD, "{\"target\":\"fax\",\"destination\":\"7000\"}");
        assertThat(badTarget.statusCode()).isEqualTo(400);
        assertThat(badTarget.body()).contains("\"field\":\"target\"").contains("\"allowed\":[\"queue\",\"extension\","
                + "\"callback\",\"prompt\"]");
    }

    private static void put(String path, String json, int expected) {
        HttpResponse<String> response = node.api().put(path, TestNode.ADMIN, TestNode.PASSWORD, json);
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(expected);
    }

    private static List<Map<String, String>> queueLog(String callId) {
        return node.bean(Redis.class).commands().xrange(Keys.queueLog("demo"), Range.create("-", "+")).stream()
                .map(StreamMessage::getBody).filter(b -> callId.equals(b.get("callid"))).toList();
    }

    private static Map<String, String> cdr(String callId) {
        return node.bean(Redis.class).commands().xrange(Keys.cdr("demo"), Range.create("-", "+")).stream()
                .map(StreamMessage::getBody).filter(b -> callId.equals(b.get("callId"))).findFirst()
                .orElse(Map.of());
    }
}
