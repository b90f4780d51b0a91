package io.tandem.callback.ticket;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.tandem.callback.NodeSide;
import io.tandem.callback.ServiceInstance;
import io.tandem.protocol.callback.CallbackKeys;
import io.tandem.protocol.callback.NodeCommand;
import io.tandem.protocol.callback.NodeKeys;
import io.tandem.protocol.callback.RoomEvent;
import io.tandem.telephony.testing.Await;
import io.tandem.telephony.testing.RedisServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A caller the park timeout ran out on becomes an open ticket that keeps their place; supervisors list, filter, assign
 * and cancel it over REST with HTTP Basic against the nodes' directory, and see every change as a
 * {@code callback.ticket} event on the tenant's live channel (what {@code /ws/supervisor} relays).
 */
class TicketApiIT {

    @RegisterExtension
    static final RedisServer redisServer = new RedisServer();

    private static final String TENANT = "demo";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static NodeSide node;
    private static ConfigurableApplicationContext service;
    private static RedisClient subscriber;
    private static StatefulRedisPubSubConnection<String, String> live;
    private static final BlockingQueue<String> liveEvents = new LinkedBlockingQueue<>();
    private static final HttpClient http = HttpClient.newHttpClient();
    private static String base;

    @BeforeAll
    static void start() {
        node = new NodeSide(redisServer.uri());
        node.tenant(TENANT);
        node.nodeAlive("n1");
        node.user(TENANT, "2000", "supervisor-pw", "supervisor");
        node.user(TENANT, "3000", "admin-pw", "admin");
        node.user(TENANT, "1011", "agent-pw", "agent");
        subscriber = RedisClient.create(redisServer.uri());
        live = subscriber.connectPubSub();
        live.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                liveEvents.add(message);
            }
        });
        live.sync().subscribe(NodeKeys.liveEvents(TENANT));
        service = ServiceInstance.start("svc-t", redisServer.uri(), List.of());
        base = "http://127.0.0.1:" + ServiceInstance.port(service) + "/api/v1/tickets";
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
        if (live != null) {
            live.close();
            subscriber.shutdown();
        }
        if (node != null) {
            node.close();
        }
    }

    @Test
    void aTimedOutCallerIsTicketedWithTheirPlaceAndWorkedOverRest() throws Exception {
        long enqueuedAt = System.currentTimeMillis() - 60_000;
        RoomEvent parked = new RoomEvent(RoomEvent.Kind.PARKED, "r-20", "n1", "call-20", "7002", "+33123456789",
                "Bea Customer", enqueuedAt, 7, "", "no-agent", enqueuedAt + 5_000);
        node.park(TENANT, parked);
        node.roomEvent(TENANT, new RoomEvent(RoomEvent.Kind.CLOSED, "r-20", "n1", "call-20", "7002", "", "", 0, 0,
                "", "timeout", System.currentTimeMillis()));
        Await.until("ticket r-20", WAIT, () -> node.redis.exists(CallbackKeys.ticket(TENANT, "r-20")) == 1);

        HttpResponse<String> list = get("?state=open&queue=7002", "2000", "supervisor-pw");
        assertThat(list.statusCode()).isEqualTo(200);
        JsonNode tickets = JSON.readTree(list.body());
        assertThat(tickets).hasSize(1);
        JsonNode ticket = tickets.get(0);
        assertThat(ticket.path("id").asText()).isEqualTo("r-20");
        assertThat(ticket.path("state").asText()).isEqualTo("open");
        assertThat(ticket.path("reason").asText()).isEqualTo("timeout");
        assertThat(ticket.path("callerNumber").asText()).isEqualTo("+33123456789");
        assertThat(ticket.path("callerName").asText()).isEqualTo("Bea Customer");
        assertThat(ticket.path("enqueuedAt").asLong()).isEqualTo(enqueuedAt);
        assertThat(ticket.path("priority").asInt()).isEqualTo(7);
        assertThat(ticket.path("maxAttempts").asInt()).isEqualTo(3);
        assertThat(JSON.readTree(get("?queue=7009", "2000", "supervisor-pw").body())).isEmpty();
        assertThat(JSON.readTree(get("?state=cancelled", "2000", "supervisor-pw").body())).isEmpty();

        JsonNode opened = nextLiveEvent();
        assertThat(opened.path("kind").asText()).isEqualTo("callback.ticket");
        assertThat(opened.path("queue").asText()).isEqualTo("7002");
        assertThat(opened.path("fields").path("ticket").asText()).isEqualTo("r-20");
        assertThat(opened.path("fields").path("state").asText()).isEqualTo("open");
        assertThat(opened.path("id").asText()).matches("[0-9]+-[0-9]+");
        List<StreamMessage<String, String>> stream = node.redis.xrange(NodeKeys.events(TENANT),
                Range.create("-", "+"));
        assertThat(stream).anySatisfy(e -> assertThat(e.getBody()).containsEntry("kind", "callback.ticket")
                .containsEntry("ticket", "r-20").containsEntry("node", "svc-t"));

        // handed to the room's node, which puts it in the queue's wait set at the caller's place
        Await.until("OFFER_TICKET on n1", WAIT, () -> commands("n1").stream()
                .anyMatch(c -> c.kind() == NodeCommand.Kind.OFFER_TICKET && c.room().equals("r-20")));
        Await.until("holder n1", WAIT, () -> "n1".equals(node.redis.hget(CallbackKeys.ticket(TENANT, "r-20"),
                "holder")));

        HttpResponse<String> assigned = post("/r-20/assign", "{\"agent\":\"1011\"}", "3000", "admin-pw");
        assertThat(assigned.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(assigned.body()).path("assignee").asText()).isEqualTo("1011");
        JsonNode event = nextLiveEvent();
        while (event.path("fields").path("assignee").asText().isEmpty()) {
            event = nextLiveEvent(); // the hand-out to n1 came first
        }
        assertThat(event.path("fields").path("assignee").asText()).isEqualTo("1011");
        // the node holding it learns the assignee: only that agent is offered it
        assertThat(commands("n1")).anySatisfy(c -> {
            assertThat(c.kind()).isEqualTo(NodeCommand.Kind.OFFER_TICKET);
            assertThat(c.user()).isEqualTo("1011");
        });

        HttpResponse<String> cancelled = post("/r-20/cancel", "", "2000", "supervisor-pw");
        assertThat(cancelled.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(cancelled.body()).path("state").asText()).isEqualTo("cancelled");
        // and takes it out of the wait set
        assertThat(commands("n1")).anySatisfy(c -> assertThat(c.kind()).isEqualTo(
                NodeCommand.Kind.WITHDRAW_TICKET));
        HttpResponse<String> again = post("/r-20/cancel", "", "2000", "supervisor-pw");
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(again.body()).path("state").asText()).isEqualTo("cancelled");
        assertThat(get("/r-20", "2000", "supervisor-pw").statusCode()).isEqualTo(200);
        assertThat(get("/r-404", "2000", "supervisor-pw").statusCode()).isEqualTo(404);
    }

    @Test
    void onlySupervisorsAndAdminsWithTheRightPasswordGetIn() throws Exception {
        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(base)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                v -> assertThat(v).startsWith("Basic"));
        assertThat(get("", "2000", "wrong-password").statusCode()).isEqualTo(401);
        assertThat(get("", "2000@other", "supervisor-pw").statusCode()).isEqualTo(401);
        HttpResponse<String> agent = get("", "1011", "agent-pw");
        assertThat(agent.statusCode()).isEqualTo(403);
        assertThat(agent.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("application/problem+json"));
        assertThat(get("", "2000@demo", "supervisor-pw").statusCode()).isEqualTo(200);
    }

    @Test
    void badInputIsAProblemNamingTheFieldAndWhatItAllows() throws Exception {
        HttpResponse<String> badState = get("?state=sleeping", "2000", "supervisor-pw");
        assertThat(badState.statusCode()).isEqualTo(400);
        JsonNode problem = JSON.readTree(badState.body());
        assertThat(problem.path("errors").get(0).path("field").asText()).isEqualTo("state");
        assertThat(problem.path("errors").get(0).path("message").asText())
                .contains("open, offered, dialling, connected, retry-wait, done, failed, cancelled");
        assertThat(badState.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("application/problem+json"));

        JsonNode badLimit = JSON.readTree(get("?limit=0", "2000", "supervisor-pw").body());
        assertThat(badLimit.path("errors").get(0).path("field").asText()).isEqualTo("limit");
        HttpResponse<String> noAgent = post("/r-1/assign", "{}", "2000", "supervisor-pw");
        assertThat(noAgent.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(noAgent.body()).path("errors").get(0).path("field").asText()).isEqualTo("agent");
    }

    private static List<NodeCommand> commands(String nodeId) {
        return node.redis.xrange(CallbackKeys.nodeCommands(nodeId), Range.create("-", "+")).stream()
                .map(e -> NodeCommand.of(e.getBody())).toList();
    }

    private static JsonNode nextLiveEvent() throws Exception {
        String message = liveEvents.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(message).as("a live event").isNotNull();
        return JSON.readTree(message);
    }

    private static HttpResponse<String> get(String path, String user, String password) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", basic(user, password))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path, String body, String user, String password)
            throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", basic(user, password))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
    }
}
