package io.tandem.backend.acd;

import static io.tandem.backend.TestNode.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tandem.backend.Api;
import io.tandem.backend.TestNode;
import io.tandem.backend.acd.agents.AgentSessions;
import io.tandem.backend.acd.dispatch.Callers;
import io.tandem.backend.acd.dispatch.Claims;
import io.tandem.backend.acd.queues.QueueDefinition;
import io.tandem.backend.acd.queues.Queues;
import io.tandem.backend.acd.queues.Strategy;
import io.tandem.protocol.AgentLogin;
import io.tandem.protocol.AgentState;
import io.tandem.protocol.ApiPaths;
import io.tandem.telephony.testing.Await;
import io.tandem.telephony.testing.RedisServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Presence logout, queue figures and the queue-log CSV on a running node. */
class PresenceAndFiguresIT {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    private static TestNode node;
    private static Api api;

    @BeforeAll
    static void start() {
        node = TestNode.start("tandem.redis.uri=" + redis.uri(), "tandem.node.id=presence-it",
                "tandem.acd.presence-grace=2s", "tandem.acd.sweep-interval=200ms");
        api = node.api();
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static AgentLogin login(String agent) throws Exception {
        HttpResponse<String> response = api.post(ApiPaths.AGENT_LOGIN, agent + "@demo", PASSWORD, "");
        assertThat(response.statusCode()).isEqualTo(200);
        return WsClient.JSON.readValue(response.body(), AgentLogin.class);
    }

    @Test
    void anAgentWithoutWebSocketAndWithoutSipBindingIsLoggedOutAfterTheGrace() throws Exception {
        AgentSessions sessions = node.bean(AgentSessions.class);
        AgentLogin login = login("1018");
        WsClient ws = WsClient.connect(node.port(), ApiPaths.WS_AGENT + "?token=" + login.token(), null);
        ws.next(e -> e.type().equals("agent.state"), Duration.ofSeconds(20));
        // While the socket is open the sweeps keep marking the agent seen, well past the grace.
        long openedAt = sessions.lastSeen("demo", "1018");
        Await.until("the agent seen again 3 s after the socket opened", Duration.ofSeconds(20),
                () -> sessions.lastSeen("demo", "1018") > openedAt + 3_000);
        assertThat(sessions.status("demo", "1018").state()).isEqualTo(AgentState.NOT_READY);
        ws.close();
        Await.until("agent 1018 logged out once socket and binding are gone", Duration.ofSeconds(20),
                () -> sessions.status("demo", "1018").state() == AgentState.LOGGED_OUT);
    }

    @Test
    void aCallerWhoseNodeDiedIsRemovedAsLostNotAbandoned() throws Exception {
        node.bean(Queues.class).save("demo", Scenarios.queue("7020", Strategy.LONGEST_IDLE, "1020"), false);
        // A node that enqueued a caller and then died: it never had a heartbeat in this cluster's membership.
        try (AcdFixture ghost = new AcdFixture(redis.uri(), "ghost-node", java.time.Clock.systemUTC())) {
            assertThat(ghost.enqueue("7020", "orphan-1", 0).ok()).isTrue();
        }
        Callers callers = node.bean(Callers.class);
        Await.until("the orphaned caller removed by the sweep", Duration.ofSeconds(20),
                () -> callers.find("demo", "7020", "orphan-1").isEmpty());
        String csv = api.get("/api/v1/tenants/demo/queuelog.csv", "admin@demo", PASSWORD).body();
        assertThat(csv).contains(",orphan-1,7020,NONE,LOSTNODE,ghost-node,").doesNotContain(",orphan-1,7020,NONE,ABANDON");
    }

    @Test
    void figuresAndTheQueueLogCountWhatHappened() throws Exception {
        Queues queues = node.bean(Queues.class);
        queues.save("demo", Scenarios.queue("7019", Strategy.LONGEST_IDLE, "1019"), false);
        AgentLogin login = login("1019");
        try (WsClient ws = WsClient.connect(node.port(), ApiPaths.WS_AGENT, "Bearer " + login.token())) {
            HttpResponse<String> ready = node.api().put("/api/v1/tenants/demo/agents/1019/state", "admin@demo",
                    PASSWORD, "{\"state\":\"available\"}");
            assertThat(ready.statusCode()).isEqualTo(200);
            Callers callers = node.bean(Callers.class);
            Claims claims = node.bean(Claims.class);
            QueueDefinition queue = queues.find("demo", "7019").orElseThrow();
            callers.enqueue("demo", "7019", "answered-1", "+1", "", 0, Map.of(), Map.of());
            String offerId = ws.next(e -> e.type().equals("offer"), Duration.ofSeconds(20)).payload()
                    .get("offerId").asText();
            long version = node.bean(AgentSessions.class).status("demo", "1019").version();
            assertThat(claims.accept("demo", queue, offerId, "1019", version)).isEqualTo(Claims.Answer.CONNECTED);
            callers.enqueue("demo", "7019", "abandoned-1", "+2", "", 0, Map.of(), Map.of());
            callers.leave("demo", "7019", "abandoned-1", Callers.Exit.ABANDON, null);
            callers.enqueue("demo", "7019", "waiting-1", "+3", "", 0, Map.of(), Map.of());

            HttpResponse<String> figures = api.get("/api/v1/tenants/demo/queues/7019/figures", "admin@demo", PASSWORD);
            assertThat(figures.statusCode()).isEqualTo(200);
            JsonNode f = WsClient.JSON.readTree(figures.body());
            assertThat(f.get("waiting").asInt()).isEqualTo(1);
            assertThat(f.get("answered").asLong()).isEqualTo(1);
            assertThat(f.get("abandoned").asLong()).isEqualTo(1);
            assertThat(f.get("availableAgents").asInt()).isZero();
            assertThat(f.get("serviceLevelPercent").asDouble()).isEqualTo(50.0);

            HttpResponse<String> csv = api.get("/api/v1/tenants/demo/queuelog.csv", "admin@demo", PASSWORD);
            assertThat(csv.statusCode()).isEqualTo(200);
            assertThat(csv.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
            List<String> lines = csv.body().lines().toList();
            assertThat(lines.get(0)).isEqualTo("id,time,callid,queuename,agent,event,data1,data2,data3,data4,data5");
            assertThat(lines).anyMatch(l -> l.contains(",answered-1,7019,NONE,ENTERQUEUE,"))
                    .anyMatch(l -> l.contains(",answered-1,7019,1019,CONNECT,"))
                    .anyMatch(l -> l.contains(",abandoned-1,7019,NONE,ABANDON,"))
                    .anyMatch(l -> l.contains(",NONE,NONE,1019,AGENTLOGIN,"));
            assertThat(api.get("/api/v1/tenants/demo/queuelog.csv?after=junk", "admin@demo", PASSWORD).statusCode())
                    .isEqualTo(400);
            assertThat(api.get("/api/v1/tenants/demo/queuelog.csv", "1019@demo", PASSWORD).statusCode())
                    .isEqualTo(403);
        }
    }
}
