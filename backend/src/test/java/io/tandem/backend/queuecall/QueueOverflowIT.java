package io.tandem.backend.queuecall;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.tandem.backend.TestNode;
import io.tandem.backend.acd.dispatch.Callers;
import io.tandem.backend.acd.dispatch.QueueEntry;
import io.tandem.backend.acd.queues.QueueDefinition;
import io.tandem.backend.acd.queues.Queues;
import io.tandem.backend.acd.queues.Strategy;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.Redis;
import io.tandem.protocol.Protocol;
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
 * Leaving a queue other than to an agent, on two nodes and one Redis: the exit key or a full queue leads to a
 * callback request (stream, REST list, supervisor event, a goodbye prompt the caller hears, then BYE) or to another
 * queue; a supervisor freeing a ringing agent CANCELs its INVITE at once and the caller is offered to the next agent;
 * caller priority and custom data are believed from a trusted proxy address only.
 */
class QueueOverflowIT {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    static final Duration AUDIO = Duration.ofSeconds(20);
    /** No such music class: callers wait in silence, so any sound they hear is a prompt. */
    static final String SILENT = "no-such-music";
    static final QueueDefinition.Announcements QUIET = new QueueDefinition.Announcements(false, false, 0, 0);

    static TestNode n1;
    static TestNode n2;

    @BeforeAll
    static void nodes() {
        n1 = QueueNodes.node(redis, "o1", "tandem.queuecall.trusted-proxies=127.0.0.2/32");
        n2 = QueueNodes.node(redis, "o2");
    }

    @AfterAll
    static void stop() {
        n1.close();
        n2.close();
    }

    static QueueDefinition waitingRoom(String number, int maxLength, String exitKey,
            QueueDefinition.Destination exit, QueueDefinition.Destination overflow) {
        return new QueueDefinition(number, "q" + number, Strategy.LONGEST_IDLE, 0, maxLength, true, false, 15, 1, 0,
                0, 20, 30, List.of(), QUIET, SILENT, exitKey, exit, overflow);
    }

    static List<String> queueLog(String callId) {
        return n1.bean(Redis.class).commands().xrange(Keys.queueLog("demo"), Range.create("-", "+")).stream()
                .filter(m -> callId.equals(m.getBody().get("callid"))).map(m -> m.getBody().get("event")).toList();
    }

    /** The queue-log entry of an event of a call (its stream fields). */
    static Map<String, String> queueLogEntry(String callId, String event) {
        return n1.bean(Redis.class).commands().xrange(Keys.queueLog("demo"), Range.create("-", "+")).stream()
                .map(StreamMessage::getBody).filter(b -> callId.equals(b.get("callid")) && event.equals(b.get("event")))
                .findFirst().orElse(Map.of());
    }

    static Map<String, String> cdr(String callId) {
        return n1.bean(Redis.class).commands().xrange(Keys.cdr("demo"), Range.create("-", "+")).stream()
                .map(StreamMessage::getBody).filter(b -> callId.equals(b.get("callId"))).findFirst().orElse(Map.of());
    }

    /** The callback request of a call as {@code GET /api/v1/tenants/demo/callbacks} lists it, or null. */
    static JsonNode callback(TestNode node, String callId) {
        HttpResponse<String> list = node.api().get("/api/v1/tenants/demo/callbacks", "admin@demo",
                TestNode.PASSWORD);
        assertThat(list.statusCode()).isEqualTo(200);
        try {
            for (JsonNode request : Protocol.mapper().readTree(list.body())) {
                if (callId.equals(request.path("callId").asText())) {
                    return request;
                }
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new AssertionError("unreadable callback list: " + list.body(), e);
        }
        return null;
    }

    static boolean supervisorEvent(String kind, String callId) {
        return n1.bean(Redis.class).commands().xrange(Keys.events("demo"), Range.create("-", "+")).stream()
                .anyMatch(m -> kind.equals(m.getBody().get("kind")) && callId.equals(m.getBody().get("callId")));
    }

    @Test
    void theExitKeyLeavesForACallbackRequestAndTheCallerHearsTheGoodbye() throws Exception {
        n1.bean(Queues.class).save("demo", waitingRoom("7750", 0, "5", new QueueDefinition.Destination("callback",
                ""), QueueDefinition.Destination.NONE), false);
        try (QueuePhone caller = QueuePhone.caller("1061", 1000, 440)) {
            Call call = caller.dial(n2, "7750");
            caller.awaitState(call, CallState.CONNECTED);
            Await.until("the caller waits in 7750", AUDIO,
                    () -> n1.bean(Callers.class).find("demo", "7750", call.id()).isPresent());
            assertThat(caller.ear(call).soundFrames()).as("silence while waiting").isZero();

            call.sendDtmf('5');
            Await.until("the callback request in the REST list", AUDIO, () -> callback(n1, call.id()) != null);
            JsonNode request = callback(n1, call.id());
            assertThat(request.path("callerNumber").asText()).isEqualTo("1061");
            assertThat(request.path("queue").asText()).isEqualTo("7750");
            assertThat(request.path("cause").asText()).isEqualTo("key");
            assertThat(request.path("node").asText()).isEqualTo("o2");
            assertThat(request.has("waitedSeconds")).isTrue();
            assertThat(request.path("waitedSeconds").asLong()).isGreaterThanOrEqualTo(0);
            Await.until("the caller hears the goodbye prompt", AUDIO, () -> caller.ear(call).soundFrames() > 25);
            caller.awaitState(call, CallState.ENDED);
            assertThat(queueLog(call.id())).containsSubsequence("ENTERQUEUE", "EXITWITHKEY");
            assertThat(queueLogEntry(call.id(), "EXITWITHKEY")).containsEntry("destination", "callback")
                    .containsEntry("data1", "5");
            assertThat(supervisorEvent("callback.requested", call.id())).isTrue();
            Await.until("the record", Duration.ofSeconds(30), () -> !cdr(call.id()).isEmpty());
            assertThat(cdr(call.id())).containsEntry("endCause", "callback").containsEntry("queue", "7750")
                    .containsEntry("hungUpBy", "system");
        }
    }

    @Test
    void maxWaitPutsTheCallerThroughToAnExtensionOnAnotherNode() throws Exception {
        n1.bean(Queues.class).save("demo", new QueueDefinition("7780", "q7780", Strategy.LONGEST_IDLE, 2, 0, true,
                false, 15, 1, 0, 0, 20, 30, List.of(), QUIET, SILENT, "", QueueDefinition.Destination.NONE,
                new QueueDefinition.Destination("extension", "1079")), false);
        try (QueuePhone desk = QueuePhone.agent(n2, "1079", 440, 1000).onIncoming(Call::answer);
             QueuePhone caller = QueuePhone.caller("1062", 1000, 440)) {
            Call call = caller.dial(n1, "7780");
            caller.awaitState(call, CallState.CONNECTED);
            Call rung = desk.nextIncoming();
            desk.awaitState(rung, CallState.CONNECTED);
            assertThat(rung.inviteHeader("P-Asserted-Identity")).contains("sip:1062@");
            Await.until("the extension hears the caller's 1 kHz", AUDIO, () -> desk.ear(rung).toneFrames() > 25);
            Await.until("the caller hears the extension's 440 Hz", AUDIO, () -> caller.ear(call).toneFrames() > 25);
            call.hangup();
            desk.awaitState(rung, CallState.ENDED);
            assertThat(queueLog(call.id())).containsSubsequence("ENTERQUEUE", "EXITWITHTIMEOUT");
            assertThat(queueLogEntry(call.id(), "EXITWITHTIMEOUT")).containsEntry("destination", "extension:1079");
            Await.until("the record", Duration.ofSeconds(30), () -> !cdr(call.id()).isEmpty());
            assertThat(cdr(call.id())).containsEntry("queue", "7780").containsEntry("extension", "1079")
                    .containsEntry("nodes", "o1,o2").containsEntry("endCause", "normal")
                    .containsEntry("hungUpBy", "caller");
        }
    }

    @Test
    void anExtensionThatCannotBeReachedLeavesACallbackRequestWhenTheQueueSaysSo() throws Exception {
        // 1078 has no phone registered: 480 at once.
        n1.bean(Queues.class).save("demo", waitingRoom("7790", 0, "7",
                new QueueDefinition.Destination("extension", "1078", true), QueueDefinition.Destination.NONE), false);
        try (QueuePhone caller = QueuePhone.caller("1063", 1000, 440)) {
            Call call = caller.dial(n2, "7790");
            caller.awaitState(call, CallState.CONNECTED);
            Await.until("the caller waits in 7790", AUDIO,
                    () -> n1.bean(Callers.class).find("demo", "7790", call.id()).isPresent());
            call.sendDtmf('7');
            Await.until("the caller hears the goodbye", AUDIO, () -> caller.ear(call).soundFrames() > 25);
            caller.awaitState(call, CallState.ENDED);
            JsonNode request = callback(n1, call.id());
            assertThat(request).isNotNull();
            assertThat(request.path("cause").asText()).isEqualTo("unreachable");
            assertThat(queueLog(call.id())).containsSubsequence("ENTERQUEUE", "EXITWITHKEY");
        }
    }

    @Test
    void maxWaitAndARefusedJoinLeaveCallbackRequestsWithTheirCause() throws Exception {
        QueueDefinition.Destination callback = new QueueDefinition.Destination("callback", "");
        n1.bean(Queues.class).save("demo", new QueueDefinition("7791", "q7791", Strategy.LONGEST_IDLE, 1, 0, true,
                false, 15, 1, 0, 0, 20, 30, List.of(), QUIET, SILENT, "", QueueDefinition.Destination.NONE, callback),
                false);
        // joinEmpty false and a member who is not logged in: JOINEMPTY at the door
        n1.bean(Queues.class).save("demo", new QueueDefinition("7792", "q7792", Strategy.LONGEST_IDLE, 0, 0, false,
                false, 15, 1, 0, 0, 20, 30, List.of(QueueDefinition.Member.of("1077")), QUIET, SILENT, "",
                QueueDefinition.Destination.NONE, callback), false);
        try (QueuePhone caller = QueuePhone.caller("1064", 1000, 440)) {
            Call waited = caller.dial(n1, "7791");
            Call refused = caller.dial(n2, "7792");
            caller.awaitState(waited, CallState.CONNECTED);
            caller.awaitState(refused, CallState.CONNECTED);
            caller.awaitState(waited, CallState.ENDED);
            caller.awaitState(refused, CallState.ENDED);
            assertThat(callback(n1, waited.id()).path("cause").asText()).isEqualTo("timeout");
            assertThat(callback(n1, refused.id()).path("cause").asText()).isEqualTo("empty");
            assertThat(queueLogEntry(waited.id(), "EXITWITHTIMEOUT")).containsEntry("destination", "callback");
            assertThat(queueLog(refused.id())).contains("JOINEMPTY");
            assertThat(caller.ear(waited).soundFrames()).as("the goodbye was heard").isGreaterThan(25);
            assertThat(caller.ear(refused).soundFrames()).as("the goodbye was heard").isGreaterThan(25);
        }
    }

    @Test
    void aBadDestinationIsA400NamingTheField() {
        String body = """
                {"number": "7799", "name": "bad", "strategy": "longest-idle", "members": [],
                 "overflow": {"kind": "extension", "target": ""}}""";
        HttpResponse<String> refused = n1.api().post("/api/v1/tenants/demo/queues", "admin@demo", TestNode.PASSWORD,
                body);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("overflow");
        HttpResponse<String> kind = n1.api().post("/api/v1/tenants/demo/queues", "admin@demo", TestNode.PASSWORD,
                body.replace("\"extension\"", "\"voicemail\""));
        assertThat(kind.statusCode()).isEqualTo(400);
        assertThat(kind.body()).contains("overflow.kind");
    }

    @Test
    void aFullQueueOverflowsToAnotherQueueOrToACallback() throws Exception {
        Queues queues = n1.bean(Queues.class);
        queues.save("demo", waitingRoom("7761", 0, "", QueueDefinition.Destination.NONE,
                QueueDefinition.Destination.NONE), false);
        queues.save("demo", waitingRoom("7760", 1, "", QueueDefinition.Destination.NONE,
                new QueueDefinition.Destination("queue", "7761")), false);
        queues.save("demo", waitingRoom("7770", 1, "", QueueDefinition.Destination.NONE,
                new QueueDefinition.Destination("callback", "")), false);
        try (QueuePhone first = QueuePhone.caller("1071", 1000, 440);
             QueuePhone second = QueuePhone.caller("1072", 1000, 440)) {
            Call a = first.dial(n1, "7760");
            first.awaitState(a, CallState.CONNECTED);
            Call b = second.dial(n2, "7760");
            second.awaitState(b, CallState.CONNECTED);
            Await.until("the second caller overflowed to 7761", AUDIO,
                    () -> n1.bean(Callers.class).find("demo", "7761", b.id()).isPresent());
            assertThat(queueLog(b.id())).containsSubsequence("FULL", "ENTERQUEUE");

            Call a2 = first.dial(n2, "7770");
            first.awaitState(a2, CallState.CONNECTED);
            Call b2 = second.dial(n1, "7770");
            second.awaitState(b2, CallState.CONNECTED);
            Await.until("the refused caller hears the goodbye", AUDIO, () -> second.ear(b2).soundFrames() > 25);
            second.awaitState(b2, CallState.ENDED);
            JsonNode request = callback(n2, b2.id());
            assertThat(request).isNotNull();
            assertThat(request.path("cause").asText()).isEqualTo("full");
            assertThat(request.path("callerNumber").asText()).isEqualTo("1072");
            assertThat(queueLog(b2.id())).contains("FULL");
            for (Call waiting : List.of(a, b, a2)) {
                waiting.hangup();
            }
        }
    }

    @Test
    void aSupervisorFreeingARingingAgentCancelsItsInviteAtOnceAndTheCallerGoesToTheNext() throws Exception {
        // Ringing for a minute: the CANCEL must come from the supervisor's action, not from the ring timer.
        n1.bean(Queues.class).save("demo", QueueNodes.queue("7740", Strategy.LINEAR, 60, 1, 0, 0,
                List.of("1051", "1052")), false);
        try (QueuePhone slow = QueuePhone.agent(n2, "1051", 440, 1000);
             QueuePhone next = QueuePhone.agent(n1, "1052", 440, 1000);
             AgentDesk d1 = AgentDesk.available(n2, "1051");
             QueuePhone caller = QueuePhone.caller("1053", 1000, 440)) {
            Call call = caller.dial(n1, "7740");
            caller.awaitState(call, CallState.CONNECTED);
            Call ringing = slow.nextIncoming();
            AgentDesk d2 = AgentDesk.available(n1, "1052");
            next.onIncoming(Call::answer);
            HttpResponse<String> forced = n2.api().put("/api/v1/tenants/demo/agents/1051/state", "admin@demo",
                    TestNode.PASSWORD, "{\"state\":\"not-ready\",\"reason\":\"break\"}");
            assertThat(forced.statusCode()).isEqualTo(200);
            Await.until("1051's phone gets CANCEL well before the 60 s ring timeout", Duration.ofSeconds(20),
                    () -> ringing.state() == CallState.ENDED);
            assertThat(ringing.endStatus()).isEqualTo(487);
            Call answered = next.nextIncoming();
            next.awaitState(answered, CallState.CONNECTED);
            Await.until("1052 hears the caller", AUDIO, () -> next.ear(answered).toneFrames() > 25);
            answered.hangup();
            caller.awaitState(call, CallState.ENDED);
            d2.stateAfterCall("not-ready");
            d2.close();
        }
    }

    @Test
    void priorityAndDataAreBelievedFromATrustedProxyOnly() throws Exception {
        n1.bean(Queues.class).save("demo", QueueNodes.queue("7730", Strategy.LONGEST_IDLE, 15, 1, 0, 0,
                List.of("1041")), false);
        double ignoredBefore = n1.bean(io.micrometer.core.instrument.MeterRegistry.class)
                .counter("tandem.queue.untrusted.headers").count();
        Map<String, String> headers = Map.of(CallerDetails.PRIORITY, "9", CallerDetails.DATA, "crm=42; lang=fr",
                CallerDetails.SKILLS, "billing:3, french");
        try (QueuePhone phone = QueuePhone.caller("1042", 1000, 440);
             QueuePhone proxy = QueuePhone.callerFrom("127.0.0.2", "1043", 1000, 440);
             QueuePhone agent = QueuePhone.agent(n1, "1041", 440, 1000);
             AgentDesk desk = AgentDesk.available(n1, "1041").listen()) {
            desk.state("not-ready"); // until both callers wait, so the order they wait in is the queue's
            Call ordinary = phone.dial(n1, "7730", headers);
            phone.awaitState(ordinary, CallState.CONNECTED);
            Call trusted = proxy.dial(n1, "7730", Map.of(CallerDetails.PRIORITY, "5",
                    CallerDetails.DATA, "crm=42; lang=fr"));
            proxy.awaitState(trusted, CallState.CONNECTED);

            Callers callers = n1.bean(Callers.class);
            QueueEntry first = callers.find("demo", "7730", trusted.id()).orElseThrow();
            QueueEntry second = callers.find("demo", "7730", ordinary.id()).orElseThrow();
            assertThat(first.position()).as("the trusted caller's priority jumps the queue").isEqualTo(1);
            assertThat(first.priority()).isEqualTo(5);
            assertThat(first.data()).containsEntry("crm", "42").containsEntry("lang", "fr");
            assertThat(second.position()).isEqualTo(2);
            assertThat(second.priority()).isZero();
            assertThat(second.data()).isEmpty();
            assertThat(second.skills()).isEmpty();
            assertThat(n1.bean(io.micrometer.core.instrument.MeterRegistry.class)
                    .counter("tandem.queue.untrusted.headers").count()).isEqualTo(ignoredBefore + 1);

            desk.state("available");
            JsonNode offer = desk.next("offer");
            assertThat(offer.path("callId").asText()).isEqualTo(trusted.id());
            assertThat(offer.path("data").path("crm").asText()).isEqualTo("42");
            assertThat(offer.path("data").path("lang").asText()).isEqualTo("fr");
            agent.nextIncoming();

            // Skills reach the caller's record (a claim then needs agents with them; 1041 has none, so not in 7730).
            n1.bean(Queues.class).save("demo", waitingRoom("7731", 0, "", QueueDefinition.Destination.NONE,
                    QueueDefinition.Destination.NONE), false);
            Call skilled = proxy.dial(n1, "7731", Map.of(CallerDetails.SKILLS, "billing:3, french"));
            proxy.awaitState(skilled, CallState.CONNECTED);
            assertThat(callers.find("demo", "7731", skilled.id()).orElseThrow().skills())
                    .containsEntry("billing", 3).containsEntry("french", 1);
            skilled.hangup();

            Call malformed = proxy.dial(n1, "7730", Map.of(CallerDetails.PRIORITY, "high"));
            proxy.awaitState(malformed, CallState.ENDED);
            assertThat(malformed.endStatus()).isEqualTo(400);
            ordinary.hangup();
            trusted.hangup();
        }
    }
}
