package io.tandem.backend.queuecall;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tandem.backend.TestNode;
import io.tandem.backend.acd.queues.Queues;
import io.tandem.backend.acd.queues.Strategy;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.Redis;
import io.tandem.protocol.callback.NodeCommand;
import io.tandem.telephony.testing.Await;
import io.tandem.telephony.testing.RedisServer;
import io.tandem.telephony.ua.Call;
import io.tandem.telephony.ua.CallState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A callback ticket's call in the supervisors' live list and monitored (issue 15): the ticket is handed to node 1,
 * its agent's phone is on node 1 (700 Hz), the customer's on node 2 (1000 Hz), the supervisor's on node 2 (1300 Hz);
 * REST requests go to node 2. Listed as dialling once the agent answers, as connected once the customer does; a
 * supervisor whispers to the agent through the ticket's bridge on node 1.
 */
class TicketMonitorIT {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    private static final Duration AUDIO = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double CUSTOMER = 1000;
    private static final double AGENT = 700;
    private static final double SUPERVISOR = 1300;
    /** Frames a tone may leak while a mode change reaches the media node (one per 20 ms). */
    private static final long LEAK = 3;

    static TestNode n1;
    static TestNode n2;

    @BeforeAll
    static void nodes() {
        n1 = QueueNodes.node(redis, "tm1");
        n2 = QueueNodes.node(redis, "tm2");
    }

    @AfterAll
    static void stop() {
        n1.close();
        n2.close();
    }

    private static String monitor(String callId) {
        return "/api/v1/tenants/demo/calls/" + callId + "/monitor";
    }

    private static JsonNode live(String callId) {
        HttpResponse<String> list = n2.api().get("/api/v1/tenants/demo/calls", TestNode.ADMIN + "@demo",
                TestNode.PASSWORD);
        assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
        try {
            for (JsonNode call : JSON.readTree(list.body())) {
                if (callId.equals(call.path("callId").asText())) {
                    return call;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + list.body(), e);
        }
        return null;
    }

    private static String liveState(String callId) {
        JsonNode call = live(callId);
        return call == null ? "" : call.path("state").asText();
    }

    private static void hears(String who, ToneEar ear, double tone) {
        long before = ear.heard(tone);
        Await.until(who + " hears " + tone + " Hz", AUDIO, () -> ear.heard(tone) > before + 25);
    }

    private static void neverHears(String who, ToneEar ear, double tone) {
        long before = ear.heard(tone);
        long frames = ear.frames();
        Await.until(who + " takes 2 s more audio", AUDIO, () -> ear.frames() > frames + 100);
        assertThat(ear.heard(tone) - before).as(who + " hears " + tone + " Hz").isLessThanOrEqualTo(LEAK);
    }

    @Test
    void aTicketCallIsListedWhileDiallingAndOnceConnectedASupervisorWhispersToItsAgent() throws Exception {
        n1.bean(Queues.class).save("demo", QueueNodes.queue("7510", Strategy.LONGEST_IDLE, 15, 1, 0, 0,
                List.of("1075")), false);
        long enqueuedAt = System.currentTimeMillis() - 60_000;
        n1.bean(Redis.class).commands().hset(Keys.ticket("demo", "tk-m"), Map.of("id", "tk-m", "state", "open",
                "queue", "7510", "callerNumber", "1076", "callerName", "Customer <1076>", "enqueuedAt",
                Long.toString(enqueuedAt), "priority", "0", "assignee", ""));
        ToneEar agentEar = new ToneEar(CUSTOMER, SUPERVISOR);
        ToneEar customerEar = new ToneEar(AGENT, SUPERVISOR);
        ToneEar supervisorEar = new ToneEar(CUSTOMER, AGENT);
        String admin = TestNode.ADMIN + "@demo";
        try (QueuePhone agent = QueuePhone.agent(n1, "1075", AGENT, CUSTOMER);
             QueuePhone customer = QueuePhone.agent(n2, "1076", CUSTOMER, AGENT);
             QueuePhone supervisor = QueuePhone.agent(n2, "1073", SUPERVISOR, CUSTOMER);
             AgentDesk desk = AgentDesk.available(n1, "1075")) {
            supervisor.onIncoming(c -> {
                c.setSink(supervisorEar);
                c.answer();
            });
            n1.bean(Redis.class).commands().xadd(Keys.nodeCommands("tm1"), new NodeCommand("ticket:tk-m:0",
                    NodeCommand.Kind.OFFER_TICKET, "demo", "tk-m", "", "", System.currentTimeMillis()).fields());
            Call offer = agent.nextIncoming();
            offer.setSink(agentEar);
            offer.answer();
            agent.awaitState(offer, CallState.CONNECTED);

            // the customer's phone rings: listed as dialling, nothing to monitor yet
            Call callback = customer.nextIncoming();
            Await.until("the ticket is listed as dialling", Duration.ofSeconds(30),
                    () -> "ticket-dialling".equals(liveState("ticket-tk-m")));
            JsonNode dialling = live("ticket-tk-m");
            assertThat(dialling.path("queue").asText()).isEqualTo("7510");
            assertThat(dialling.path("callerNumber").asText()).isEqualTo("1076");
            assertThat(dialling.path("callerName").asText()).isEqualTo("Customer <1076>");
            assertThat(dialling.path("agentId").asText()).isEqualTo("1075");
            assertThat(dialling.path("callerNode").asText()).isEqualTo("tm1");
            assertThat(dialling.path("answeredAt").asLong()).isZero();
            assertThat(n2.api().post(monitor("ticket-tk-m"), admin, TestNode.PASSWORD,
                    "{\"mode\":\"listen\",\"extension\":\"1073\"}").statusCode()).isEqualTo(409);

            callback.setSink(customerEar);
            callback.answer();
            customer.awaitState(callback, CallState.CONNECTED);
            hears("the agent", agentEar, CUSTOMER);
            hears("the customer", customerEar, AGENT);
            Await.until("the ticket is listed as connected", Duration.ofSeconds(30),
                    () -> "ticket-connected".equals(liveState("ticket-tk-m")));
            assertThat(live("ticket-tk-m").path("answeredAt").asLong()).isPositive();

            HttpResponse<String> started = n2.api().post(monitor("ticket-tk-m"), admin, TestNode.PASSWORD,
                    "{\"mode\":\"whisper\",\"extension\":\"1073\"}");
            assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
            Call whispering = supervisor.nextIncoming();
            assertThat(whispering.inviteHeader("From")).contains("Monitor 7510 agent 1075");
            supervisor.awaitState(whispering, CallState.CONNECTED);
            hears("the supervisor", supervisorEar, CUSTOMER);
            hears("the supervisor", supervisorEar, AGENT);
            hears("the agent (whisper)", agentEar, SUPERVISOR);
            neverHears("the customer (whisper)", customerEar, SUPERVISOR);

            offer.hangup();
            customer.awaitState(callback, CallState.ENDED);
            supervisor.awaitState(whispering, CallState.ENDED);
            Await.until("the ticket call leaves the live list", Duration.ofSeconds(30),
                    () -> live("ticket-tk-m") == null);
            desk.stateAfterCall("not-ready");
        }
    }
}
