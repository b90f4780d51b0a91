package io.tandem.backend.acd;

import static io.tandem.backend.TestNode.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tandem.backend.TestNode;
import io.tandem.backend.acd.agents.AgentSessions;
import io.tandem.backend.acd.dispatch.Callers;
import io.tandem.backend.acd.dispatch.Claims;
import io.tandem.backend.acd.events.LiveEvent;
import io.tandem.backend.acd.queues.QueueDefinition;
import io.tandem.backend.acd.queues.Queues;
import io.tandem.backend.acd.queues.Strategy;
import io.tandem.backend.redis.Redis;
import io.tandem.protocol.AgentLogin;
import io.tandem.protocol.AgentState;
import io.tandem.protocol.AgentStatistics;
import io.tandem.protocol.AgentStatus;
import io.tandem.protocol.ApiPaths;
import io.tandem.protocol.CallbackWake;
import io.tandem.protocol.CallbackWakeEnded;
import io.tandem.protocol.Envelope;
import io.tandem.protocol.MessageType;
import io.tandem.protocol.Offer;
import io.tandem.protocol.QueueFigures;
import io.tandem.protocol.TenantEvent;
import io.tandem.protocol.callback.DirectMessage;
import io.tandem.protocol.callback.NodeKeys;
import io.tandem.telephony.testing.RedisServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Agent login, state, supervisor actions, queues and both WebSockets over real HTTP on two nodes. */
class AgentApiIT {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final HttpClient http = HttpClient.newHttpClient();
    private static TestNode node1;
    private static TestNode node2;

    @BeforeAll
    static void start() {
        // The periodic dispatch sweep runs once at start only, so any offer after that proves event-driven dispatch.
        node1 = TestNode.start("tandem.redis.uri=" + redis.uri(), "tandem.node.id=acd-n1",
                "tandem.acd.dispatch-interval=1h");
        node2 = TestNode.start("tandem.redis.uri=" + redis.uri(), "tandem.node.id=acd-n2",
                "tandem.acd.dispatch-interval=1h");
    }

    @AfterAll
    static void stop() {
        node2.close();
        node1.close();
    }

    private static HttpResponse<String> call(TestNode node, String method, String path, String authorization,
            String body) throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            builder.header("Content-Type", "application/json");
        }
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String login) {
        return "Basic " + java.util.Base64.getEncoder().encodeToString((login + ":" + PASSWORD).getBytes());
    }

    private static AgentLogin login(TestNode node, String login) throws Exception {
        HttpResponse<String> response = call(node, "POST", ApiPaths.AGENT_LOGIN, basic(login), null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return WsClient.JSON.readValue(response.body(), AgentLogin.class);
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return WsClient.JSON.readTree(response.body());
    }

    @Test
    void loginGivesATokenTheSipAccountAndNodesThisNodeFirst() throws Exception {
        AgentLogin login = login(node2, "1001@demo");
        assertThat(login.token()).hasSizeGreaterThan(30);
        assertThat(login.agentId()).isEqualTo("1001");
        assertThat(login.sip().username()).isEqualTo("1001");
        assertThat(login.sip().realm()).isEqualTo("demo");
        assertThat(login.nodes().get(0).id()).isEqualTo("acd-n2");
        assertThat(login.nodes()).extracting(n -> n.id()).contains("acd-n1");
        assertThat(login.notReadyReasons()).contains("break", "lunch");
        assertThat(login.status().state()).isEqualTo(AgentState.NOT_READY);
        assertThat(login.status().queues()).containsExactly("7000", "7001");
        // The token works on the other node too; a wrong one is refused.
        HttpResponse<String> me = call(node1, "GET", ApiPaths.AGENT_ME, "Bearer " + login.token(), null);
        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(json(me).get("agentId").asText()).isEqualTo("1001");
        assertThat(call(node1, "GET", ApiPaths.AGENT_ME, "Bearer not-a-token", null).statusCode()).isEqualTo(401);
        assertThat(call(node1, "GET", ApiPaths.AGENT_ME, null, null).statusCode()).isEqualTo(401);
    }

    @Test
    void stateChangesAndBadInputGetProblemsNamingTheField() throws Exception {
        String bearer = "Bearer " + login(node1, "1002@demo").token();
        HttpResponse<String> ready = call(node1, "PUT", ApiPaths.AGENT_STATE, bearer, "{\"state\":\"available\"}");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(json(ready).get("state").asText()).isEqualTo("available");

        HttpResponse<String> noReason = call(node1, "PUT", ApiPaths.AGENT_STATE, bearer, "{\"state\":\"not-ready\"}");
        assertThat(noReason.statusCode()).isEqualTo(400);
        assertThat(json(noReason).get("errors").get(0).get("field").asText()).isEqualTo("reason");
        HttpResponse<String> unknown = call(node1, "PUT", ApiPaths.AGENT_STATE, bearer, "{\"state\":\"asleep\"}");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("\"field\":\"state\"").doesNotContain("Exception");
        HttpResponse<String> reserved = call(node1, "PUT", ApiPaths.AGENT_STATE, bearer, "{\"state\":\"reserved\"}");
        assertThat(reserved.statusCode()).isEqualTo(400);
        assertThat(json(reserved).get("errors").get(0).get("field").asText()).isEqualTo("state");
        assertThat(call(node1, "PUT", ApiPaths.AGENT_STATE, bearer, "{}").statusCode()).isEqualTo(400);

        HttpResponse<String> paused = call(node1, "PUT", ApiPaths.AGENT_STATE, bearer,
                "{\"state\":\"not-ready\",\"reason\":\"lunch\"}");
        assertThat(json(paused).get("reason").asText()).isEqualTo("lunch");

        // Only their own session; a supervisor sees everyone's and may force a state.
        assertThat(call(node1, "GET", "/api/v1/agents/1003", bearer, null).statusCode()).isEqualTo(403);
        assertThat(call(node1, "GET", "/api/v1/agents/1002", basic("admin@demo"), null).statusCode()).isEqualTo(200);
        assertThat(call(node1, "PUT", "/api/v1/tenants/demo/agents/1002/state", bearer,
                "{\"state\":\"available\"}").statusCode()).isEqualTo(403);
        HttpResponse<String> forced = call(node2, "PUT", "/api/v1/tenants/demo/agents/1002/state",
                basic("admin@demo"), "{\"state\":\"available\"}");
        assertThat(forced.statusCode()).isEqualTo(200);
        assertThat(json(forced).get("state").asText()).isEqualTo("available");

        HttpResponse<String> out = call(node1, "DELETE", ApiPaths.AGENT_ME, bearer, null);
        assertThat(out.statusCode()).isEqualTo(200);
        assertThat(json(out).get("state").asText()).isEqualTo("logged-out");
        assertThat(call(node1, "GET", ApiPaths.AGENT_ME, bearer, null).statusCode()).isEqualTo(401); // token ended
        HttpResponse<String> notIn = call(node1, "PUT", "/api/v1/tenants/demo/agents/1002/state", basic("admin@demo"),
                "{\"state\":\"available\"}");
        assertThat(notIn.statusCode()).isEqualTo(409);
        assertThat(json(notIn).get("state").asText()).isEqualTo("logged-out");
    }

    @Test
    void agentStatisticsAreTheAgentsOwnOrASupervisorsAndTheSameOnEveryNode() throws Exception {
        String bearer = "Bearer " + login(node1, "1019@demo").token();
        call(node1, "PUT", ApiPaths.AGENT_STATE, bearer, "{\"state\":\"not-ready\",\"reason\":\"lunch\"}");
        HttpResponse<String> mine = call(node2, "GET", ApiPaths.AGENT_STATISTICS, bearer, null);
        assertThat(mine.statusCode()).as(mine.body()).isEqualTo(200);
        AgentStatistics own = WsClient.JSON.readValue(mine.body(), AgentStatistics.class);
        assertThat(own.agentId()).isEqualTo("1019");
        assertThat(own.state()).isEqualTo(AgentState.NOT_READY);
        assertThat(own.notReadySeconds()).containsKeys("login", "lunch");
        assertThat(own.day()).isEqualTo(own.at().toString().substring(0, 10));

        // A supervisor reads every agent's and one agent's, from either node; the closed 'login' period is the same.
        HttpResponse<String> all = call(node1, "GET", "/api/v1/tenants/demo/agents/statistics", basic("admin@demo"),
                null);
        assertThat(all.statusCode()).as(all.body()).isEqualTo(200);
        AgentStatistics listed = java.util.Arrays.stream(WsClient.JSON.readValue(all.body(), AgentStatistics[].class))
                .filter(a -> a.agentId().equals("1019")).findFirst().orElseThrow();
        HttpResponse<String> one = call(node2, "GET", "/api/v1/tenants/demo/agents/1019/statistics?day=" + own.day(),
                basic("admin@demo"), null);
        assertThat(one.statusCode()).as(one.body()).isEqualTo(200);
        AgentStatistics single = WsClient.JSON.readValue(one.body(), AgentStatistics.class);
        assertThat(listed.notReadySeconds().get("login")).isEqualTo(own.notReadySeconds().get("login"));
        assertThat(single.notReadySeconds().get("login")).isEqualTo(own.notReadySeconds().get("login"));
        assertThat(single.notReadySeconds().get("lunch")).isGreaterThanOrEqualTo(own.notReadySeconds().get("lunch"));

        // Roles: an agent reads only their own; a supervisor only their tenant's.
        assertThat(call(node1, "GET", "/api/v1/tenants/demo/agents/statistics", bearer, null).statusCode())
                .isEqualTo(403);
        assertThat(call(node1, "GET", "/api/v1/tenants/demo/agents/1019/statistics", basic("1005@demo"), null)
                .statusCode()).isEqualTo(403);
        assertThat(call(node1, "GET", "/api/v1/tenants/other/agents/statistics", basic("admin@demo"), null)
                .statusCode()).isEqualTo(403);
        assertThat(call(node1, "GET", ApiPaths.AGENT_STATISTICS, null, null).statusCode()).isEqualTo(401);

        // A bad day is a 400 problem naming the parameter.
        for (String path : java.util.List.of(ApiPaths.AGENT_STATISTICS + "?day=2026-13-01",
                "/api/v1/tenants/demo/agents/statistics?day=yesterday")) {
            HttpResponse<String> bad = call(node1, "GET", path, path.contains("tenants") ? basic("admin@demo") : bearer,
                    null);
            assertThat(bad.statusCode()).as(path).isEqualTo(400);
            assertThat(json(bad).get("errors").get(0).get("field").asText()).isEqualTo("day");
            assertThat(bad.body()).doesNotContain("Exception");
        }
    }

    @Test
    void queuesAreSeededAndAdministeredByAdminsOnly() throws Exception {
        HttpResponse<String> list = call(node1, "GET", "/api/v1/tenants/demo/queues", basic("admin@demo"), null);
        assertThat(list.statusCode()).isEqualTo(200);
        JsonNode queues = json(list);
        assertThat(queues.get(0).get("number").asText()).isEqualTo("7000");
        assertThat(queues.get(0).get("strategy").asText()).isEqualTo("longest-idle");
        assertThat(queues.get(1).get("name").asText()).isEqualTo("sales");
        assertThat(queues.get(1).get("members")).hasSize(20);

        String billing = """
                {"number":"7005","name":"billing","strategy":"fewest-calls","ringTimeoutSeconds":20,
                 "members":[{"agent":"1005","tier":1,"penalty":0}]}""";
        assertThat(call(node1, "POST", "/api/v1/tenants/demo/queues", basic("1005@demo"), billing).statusCode())
                .isEqualTo(403);
        HttpResponse<String> created = call(node1, "POST", "/api/v1/tenants/demo/queues", basic("admin@demo"), billing);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(call(node1, "POST", "/api/v1/tenants/demo/queues", basic("admin@demo"), billing).statusCode())
                .isEqualTo(409);
        HttpResponse<String> bad = call(node1, "POST", "/api/v1/tenants/demo/queues", basic("admin@demo"),
                billing.replace("\"ringTimeoutSeconds\":20", "\"ringTimeoutSeconds\":-3").replace("7005", "7003"));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(json(bad).get("errors").get(0).get("field").asText()).isEqualTo("ringTimeoutSeconds");
        HttpResponse<String> badStrategy = call(node1, "POST", "/api/v1/tenants/demo/queues", basic("admin@demo"),
                billing.replace("fewest-calls", "loudest").replace("7005", "7004"));
        assertThat(badStrategy.statusCode()).isEqualTo(400);
        assertThat(badStrategy.body()).contains("strategy");

        // An agent sees the figures of their own queues.
        HttpResponse<String> figures = call(node2, "GET", ApiPaths.QUEUES, basic("1005@demo"), null);
        assertThat(figures.statusCode()).isEqualTo(200);
        assertThat(json(figures).findValuesAsText("queue")).contains("7000", "7001", "7005").doesNotContain("7010");
        // A supervisor moves a waiting caller; agents may not; the body names the field when wrong.
        node1.bean(Callers.class).enqueue("demo", "7005", "move-me", "+1", "", 0, Map.of(), Map.of());
        String move = "/api/v1/tenants/demo/queues/7005/callers/move-me/move";
        assertThat(call(node1, "POST", move, basic("1005@demo"), "{\"to\":\"head\"}").statusCode()).isEqualTo(403);
        HttpResponse<String> noTarget = call(node1, "POST", move, basic("admin@demo"), "{}");
        assertThat(noTarget.statusCode()).isEqualTo(400);
        assertThat(json(noTarget).get("errors").get(0).get("field").asText()).isEqualTo("to");
        assertThat(call(node1, "DELETE", "/api/v1/tenants/demo/queues/7005", basic("admin@demo"), null).statusCode())
                .isEqualTo(409); // a caller waits
        HttpResponse<String> moved = call(node2, "POST", move, basic("admin@demo"), "{\"to\":\"7001\"}");
        assertThat(moved.statusCode()).as(moved.body()).isEqualTo(200);
        assertThat(json(moved).get("queue").asText()).isEqualTo("7001");
        node1.bean(Callers.class).leave("demo", "7001", "move-me", Callers.Exit.ABANDON, null);
        assertThat(call(node1, "DELETE", "/api/v1/tenants/demo/queues/7005", basic("admin@demo"), null).statusCode())
                .isEqualTo(204);
    }

    @Test
    void theAgentSocketSeesChangesMadeOnAnotherNodeAndOffersOfACallerOnAnotherNode() throws Exception {
        AgentLogin login = login(node1, "1010@demo");
        try (WsClient ws = WsClient.connect(node2.port(), ApiPaths.WS_AGENT, "Bearer " + login.token())) {
            Envelope first = ws.next(e -> e.type().equals(MessageType.AGENT_STATE), WAIT);
            assertThat(first.payloadAs(WsClient.JSON, AgentStatus.class).state()).isEqualTo(AgentState.NOT_READY);

            ws.send(Envelope.of(WsClient.JSON, MessageType.PING, "p1", Instant.now(), null));
            assertThat(ws.next(e -> e.type().equals(MessageType.PONG), WAIT).id()).isEqualTo("p1");

            // A queue of 1010 alone, so the caller can only go to 1010.
            node1.bean(Queues.class).save("demo", Scenarios.queue("7010", Strategy.LONGEST_IDLE, "1010"), false);
            call(node1, "PUT", ApiPaths.AGENT_STATE, "Bearer " + login.token(), "{\"state\":\"available\"}");
            Envelope available = ws.next(e -> e.type().equals(MessageType.AGENT_STATE)
                    && e.payloadAs(WsClient.JSON, AgentStatus.class).state() == AgentState.AVAILABLE, WAIT);
            assertThat(available.id()).isNotEmpty();

            Callers callers = node1.bean(Callers.class);
            assertThat(callers.enqueue("demo", "7010", "ws-caller-1", "+4930123", "Erika", 0, Map.of(),
                    Map.of("crm", "42")).ok()).isTrue();
            // The reservation first, then the offer (one script writes both, in that order).
            assertThat(ws.next(e -> e.type().equals(MessageType.AGENT_STATE), WAIT)
                    .payloadAs(WsClient.JSON, AgentStatus.class).state()).isEqualTo(AgentState.RESERVED);
            Envelope offer = ws.next(e -> e.type().equals(MessageType.OFFER), WAIT);
            Offer o = offer.payloadAs(WsClient.JSON, Offer.class);
            assertThat(o.callId()).isEqualTo("ws-caller-1");
            assertThat(o.queue()).isEqualTo("7010");
            assertThat(o.queueName()).isEqualTo("q7010");
            assertThat(o.callerNumber()).isEqualTo("+4930123");
            assertThat(o.data()).containsEntry("crm", "42");

            callers.leave("demo", "7010", "ws-caller-1", Callers.Exit.ABANDON, null);
            assertThat(ws.next(e -> e.type().equals(MessageType.OFFER_ENDED), WAIT).payload().get("reason").asText())
                    .isEqualTo("abandoned");
        }
    }

    @Test
    void theAgentSocketKeepsTheQueueStripLive() throws Exception {
        // 1012 stays not-ready, so the caller waits and the strip shows it, on a node other than the caller's.
        node1.bean(Queues.class).save("demo", Scenarios.queue("7012", Strategy.LONGEST_IDLE, "1012"), false);
        AgentLogin login = login(node1, "1012@demo");
        try (WsClient ws = WsClient.connect(node2.port(), ApiPaths.WS_AGENT, "Bearer " + login.token())) {
            QueueFigures empty = ws.next(e -> e.type().equals(MessageType.QUEUE_FIGURES)
                    && "7012".equals(e.payloadAs(WsClient.JSON, QueueFigures.class).queue()), WAIT)
                    .payloadAs(WsClient.JSON, QueueFigures.class);
            assertThat(empty.waiting()).isZero();
            assertThat(empty.name()).isEqualTo("q7012");

            Callers callers = node1.bean(Callers.class);
            callers.enqueue("demo", "7012", "strip-caller", "+4930555", "", 0, Map.of(), Map.of());
            QueueFigures one = ws.next(e -> e.type().equals(MessageType.QUEUE_FIGURES)
                    && e.payloadAs(WsClient.JSON, QueueFigures.class).waiting() == 1, WAIT)
                    .payloadAs(WsClient.JSON, QueueFigures.class);
            assertThat(one.queue()).isEqualTo("7012");
            assertThat(one.availableAgents()).isZero();

            callers.leave("demo", "7012", "strip-caller", Callers.Exit.ABANDON, null);
            QueueFigures after = ws.next(e -> e.type().equals(MessageType.QUEUE_FIGURES)
                    && "7012".equals(e.payloadAs(WsClient.JSON, QueueFigures.class).queue())
                    && e.payloadAs(WsClient.JSON, QueueFigures.class).waiting() == 0, WAIT)
                    .payloadAs(WsClient.JSON, QueueFigures.class);
            assertThat(after.abandoned()).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void whenACallEndsOnOneNodeTheNextCallerIsOfferedByEvents() throws Exception {
        Queues queues = node1.bean(Queues.class);
        queues.save("demo", Scenarios.queue("7011", Strategy.LONGEST_IDLE, "1011"), false);
        QueueDefinition queue = queues.find("demo", "7011").orElseThrow();
        AgentLogin login = login(node2, "1011@demo");
        try (WsClient ws = WsClient.connect(node2.port(), ApiPaths.WS_AGENT, "Bearer " + login.token())) {
            call(node2, "PUT", ApiPaths.AGENT_STATE, "Bearer " + login.token(), "{\"state\":\"available\"}");
            Callers callers = node1.bean(Callers.class);
            callers.enqueue("demo", "7011", "first", "+1", "", 0, Map.of(), Map.of());
            callers.enqueue("demo", "7011", "second", "+2", "", 0, Map.of(), Map.of());
            Offer first = ws.next(e -> e.type().equals(MessageType.OFFER), WAIT).payloadAs(WsClient.JSON, Offer.class);
            assertThat(first.callId()).isEqualTo("first");
            Claims claims = node2.bean(Claims.class);
            long version = node2.bean(AgentSessions.class).status("demo", "1011").version();
            assertThat(claims.accept("demo", queue, first.offerId(), "1011", version)).isEqualTo(Claims.Answer.CONNECTED);
            assertThat(claims.callEnded("demo", queue, "1011", false)).isTrue(); // no wrap-up: available at once
            Offer second = ws.next(e -> e.type().equals(MessageType.OFFER), WAIT).payloadAs(WsClient.JSON, Offer.class);
            assertThat(second.callId()).isEqualTo("second");
        }
    }

    @Test
    void theCallbackServicesWakeReachesTheNamedAgentsSocketsOnlyAndNoSupervisor() throws Exception {
        AgentLogin first = login(node1, "1013@demo");
        AgentLogin second = login(node1, "1014@demo");
        try (WsClient agent = WsClient.connect(node2.port(), ApiPaths.WS_AGENT, "Bearer " + first.token());
             WsClient other = WsClient.connect(node2.port(), ApiPaths.WS_AGENT, "Bearer " + second.token());
             WsClient supervisor = WsClient.connect(node1.port(), ApiPaths.WS_SUPERVISOR, basic("admin@demo"))) {
            agent.next(e -> e.type().equals(MessageType.AGENT_STATE), WAIT);
            other.next(e -> e.type().equals(MessageType.AGENT_STATE), WAIT);

            // As the callback service publishes: the live channel, the agent's id, no stream id.
            CallbackWake wake = new CallbackWake("r-a", "+4930123", "<b>Eve</b>", "7002", 12, "tok.sig",
                    "sip:join*tok.sig@127.0.0.1:5060");
            publishDirect("1013", CallbackWake.KIND, wake.fields());
            publishDirect("1014", CallbackWake.KIND, new CallbackWake("r-b", "+4930999", "", "7002", 3, "t2.s",
                    "sip:join*t2.s@127.0.0.1:5060").fields());
            publishDirect("1013", CallbackWakeEnded.KIND, new CallbackWakeEnded("r-a").fields());

            Envelope woken = agent.next(e -> e.type().startsWith("callback.wake"), WAIT);
            assertThat(woken.type()).isEqualTo(MessageType.CALLBACK_WAKE);
            assertThat(woken.id()).isEmpty();
            assertThat(woken.payloadAs(WsClient.JSON, CallbackWake.class)).isEqualTo(wake);
            Envelope ended = agent.next(e -> e.type().startsWith("callback.wake"), WAIT);
            assertThat(ended.type()).as("1014's wake is not 1013's").isEqualTo(MessageType.CALLBACK_WAKE_ENDED);
            assertThat(ended.payloadAs(WsClient.JSON, CallbackWakeEnded.class).room()).isEqualTo("r-a");
            assertThat(other.next(e -> e.type().startsWith("callback.wake"), WAIT)
                    .payloadAs(WsClient.JSON, CallbackWake.class).room()).isEqualTo("r-b");

            // The supervisor's next event of 1013 is its state change: the wake (and its token) never reached it.
            call(node2, "PUT", ApiPaths.AGENT_STATE, "Bearer " + first.token(),
                    "{\"state\":\"not-ready\",\"reason\":\"lunch\"}");
            TenantEvent next = supervisor.next(e -> "1013".equals(e.payloadAs(WsClient.JSON, TenantEvent.class)
                    .agentId()), WAIT).payloadAs(WsClient.JSON, TenantEvent.class);
            assertThat(next.kind()).isEqualTo("agent.state");
        }
    }

    private static void publishDirect(String agent, String kind, Map<String, String> fields) throws Exception {
        DirectMessage message = new DirectMessage(kind, agent, "callback-test", System.currentTimeMillis(), fields);
        node1.bean(Redis.class).commands().publish(NodeKeys.liveEvents("demo"),
                WsClient.JSON.writeValueAsString(message.live()));
    }

    @Test
    void theSupervisorSocketResumesAfterTheLastIdSeen() throws Exception {
        String bearer = "Bearer " + login(node1, "1015@demo").token();
        String after;
        try (WsClient supervisor = WsClient.connect(node1.port(), ApiPaths.WS_SUPERVISOR, basic("admin@demo"))) {
            call(node2, "PUT", ApiPaths.AGENT_STATE, bearer, "{\"state\":\"not-ready\",\"reason\":\"break\"}");
            Envelope seen = supervisor.next(e -> e.type().equals(MessageType.EVENT)
                    && "1015".equals(e.payloadAs(WsClient.JSON, TenantEvent.class).agentId())
                    && "break".equals(e.payloadAs(WsClient.JSON, TenantEvent.class).fields().get("reason")), WAIT);
            after = seen.id();
        }
        // While disconnected, two more changes happen; on resume both arrive, in order, nothing older.
        call(node2, "PUT", ApiPaths.AGENT_STATE, bearer, "{\"state\":\"not-ready\",\"reason\":\"lunch\"}");
        call(node1, "PUT", ApiPaths.AGENT_STATE, bearer, "{\"state\":\"available\"}");
        try (WsClient supervisor = WsClient.connect(node2.port(), ApiPaths.WS_SUPERVISOR + "?after=" + after,
                basic("admin@demo"))) {
            Envelope lunch = supervisor.next(e -> "1015".equals(e.payloadAs(WsClient.JSON, TenantEvent.class).agentId()),
                    WAIT);
            assertThat(lunch.payloadAs(WsClient.JSON, TenantEvent.class).fields()).containsEntry("reason", "lunch");
            assertThat(LiveEvent.compareIds(lunch.id(), after)).isPositive();
            Envelope ready = supervisor.next(e -> "1015".equals(e.payloadAs(WsClient.JSON, TenantEvent.class).agentId()),
                    WAIT);
            assertThat(ready.payloadAs(WsClient.JSON, TenantEvent.class).fields()).containsEntry("state", "available");
        }
        // An agent may not watch the tenant.
        HttpResponse<String> refused = call(node1, "GET", ApiPaths.WS_SUPERVISOR, bearer, null);
        assertThat(refused.statusCode()).isEqualTo(403);
    }
}
