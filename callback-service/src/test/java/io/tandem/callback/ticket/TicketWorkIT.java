package io.tandem.callback.ticket;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.tandem.callback.NodeSide;
import io.tandem.callback.ServiceInstance;
import io.tandem.protocol.callback.CallbackKeys;
import io.tandem.protocol.callback.NodeCommand;
import io.tandem.protocol.callback.NodeKeys;
import io.tandem.protocol.callback.RoomEvent;
import io.tandem.protocol.callback.TicketEvent;
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
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The service working tickets, on a real Redis, with the nodes' side written as the contract says: a ticket is
 * handed to its node (OFFER_TICKET), moved on what that node reports (TicketEvent) through the state table —
 * offered, dialling, connected, done; not reached → retry-wait, handed out again after {@code retry-delay}, failed
 * after {@code max-attempts} with the reason; a declined offer is open again; a ticket being dialled is not
 * cancelled (409); the tickets of a node without a heartbeat are handed to another. Each change is a
 * {@code callback.ticket} event on the tenant's stream.
 */
class TicketWorkIT {

    @RegisterExtension
    static final RedisServer redisServer = new RedisServer();

    private static final String TENANT = "demo";
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static NodeSide node;
    private static ConfigurableApplicationContext service;
    private static final HttpClient http = HttpClient.newHttpClient();
    private static String base;

    @BeforeAll
    static void start() {
        node = new NodeSide(redisServer.uri());
        node.tenant(TENANT);
        node.nodeAlive("n1");
        node.nodeAlive("n2");
        node.user(TENANT, "2000", "supervisor-pw", "supervisor");
        service = ServiceInstance.start("svc-w", redisServer.uri(), List.of(
                "--tandem.callback.tickets.retry-delay=300ms", "--tandem.callback.tickets.max-attempts=2",
                "--tandem.callback.tickets.check-interval=100ms"));
        base = "http://127.0.0.1:" + ServiceInstance.port(service) + "/api/v1/tickets";
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
        if (node != null) {
            node.close();
        }
    }

    /** A parked caller of {@code nodeId} nobody took: the node closes its room for timeout. */
    private static void timedOut(String room, String nodeId) {
        long enqueuedAt = System.currentTimeMillis() - 60_000;
        node.park(TENANT, new RoomEvent(RoomEvent.Kind.PARKED, room, nodeId, "call-" + room, "7002", "1050",
                "Customer", enqueuedAt, 2, "", "no-agent", enqueuedAt + 1_000));
        node.roomEvent(TENANT, new RoomEvent(RoomEvent.Kind.CLOSED, room, nodeId, "call-" + room, "7002", "", "", 0,
                0, "", "timeout", System.currentTimeMillis()));
    }

    private static void report(TicketEvent.Kind kind, String ticket, String nodeId, String agent, String reason) {
        node.redis.xadd(CallbackKeys.ticketEvents(TENANT), new TicketEvent(kind, ticket, nodeId, agent, reason,
                System.currentTimeMillis()).fields());
    }

    private static String state(String ticket) {
        return node.redis.hget(CallbackKeys.ticket(TENANT, ticket), "state");
    }

    private static void awaitState(String ticket, String state) {
        Await.until("ticket " + ticket + " " + state, WAIT, () -> state.equals(state(ticket)));
    }

    private static List<NodeCommand> handOuts(String nodeId, String ticket) {
        return node.commands(nodeId).stream().map(e -> NodeCommand.of(e.getBody()))
                .filter(c -> c.kind() == NodeCommand.Kind.OFFER_TICKET && c.room().equals(ticket)).toList();
    }

    private static List<String> ticketEvents(String ticket) {
        return node.redis.xrange(NodeKeys.events(TENANT), Range.create("-", "+")).stream()
                .map(StreamMessage::getBody)
                .filter(b -> "callback.ticket".equals(b.get("kind")) && ticket.equals(b.get("ticket")))
                .map(b -> b.get("state")).toList();
    }

    @Test
    void aTicketWorkedToTheEndIsDone() throws Exception {
        timedOut("w-1", "n1");
        Await.until("handed to n1", WAIT, () -> handOuts("n1", "w-1").size() == 1);
        report(TicketEvent.Kind.OFFERED, "w-1", "n1", "1011", "");
        awaitState("w-1", "offered");
        assertThat(node.redis.hget(CallbackKeys.ticket(TENANT, "w-1"), "agent")).isEqualTo("1011");
        report(TicketEvent.Kind.DIALLING, "w-1", "n1", "1011", "");
        awaitState("w-1", "dialling");

        HttpResponse<String> cancel = post("/w-1/cancel");
        assertThat(cancel.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(cancel.body()).path("state").asText()).isEqualTo("dialling");
        assertThat(JSON.readTree(cancel.body()).path("detail").asText()).contains("not stopped mid-call");

        report(TicketEvent.Kind.CONNECTED, "w-1", "n1", "1011", "");
        awaitState("w-1", "connected");
        report(TicketEvent.Kind.ENDED, "w-1", "n1", "1011", "");
        awaitState("w-1", "done");
        JsonNode done = JSON.readTree(get("/w-1").body());
        assertThat(done.path("attempts")).hasSize(1);
        assertThat(done.path("attempts").get(0).path("outcome").asText()).isEqualTo("connected");
        assertThat(done.path("attempts").get(0).path("agent").asText()).isEqualTo("1011");
        Await.until("the events of each step", WAIT, () -> ticketEvents("w-1").contains("done"));
        assertThat(ticketEvents("w-1")).containsSubsequence("open", "offered", "dialling", "connected", "done");
    }

    @Test
    void aCustomerNotReachedIsRetriedAfterTheDelayThenTheTicketFails() throws Exception {
        timedOut("w-2", "n1");
        Await.until("handed to n1", WAIT, () -> handOuts("n1", "w-2").size() == 1);
        report(TicketEvent.Kind.OFFERED, "w-2", "n1", "1011", "");
        awaitState("w-2", "offered");
        report(TicketEvent.Kind.DECLINED, "w-2", "n1", "", "no-answer");
        awaitState("w-2", "open"); // the agent did not take it: back at its place, no attempt counted
        report(TicketEvent.Kind.OFFERED, "w-2", "n1", "1012", "");
        awaitState("w-2", "offered");
        report(TicketEvent.Kind.DIALLING, "w-2", "n1", "1012", "");
        awaitState("w-2", "dialling");
        report(TicketEvent.Kind.UNANSWERED, "w-2", "n1", "1012", "no-answer");
        awaitState("w-2", "retry-wait");
        JsonNode waiting = JSON.readTree(get("/w-2").body());
        assertThat(waiting.path("retryAt").asLong()).isGreaterThan(0);
        assertThat(waiting.path("attempts").get(0).path("outcome").asText()).isEqualTo("no-answer");

        // after the retry delay it is handed out again, at its place (the node reads enqueuedAt from the hash)
        Await.until("handed out again", WAIT, () -> handOuts("n1", "w-2").size() == 2);
        awaitState("w-2", "open");
        report(TicketEvent.Kind.OFFERED, "w-2", "n1", "1011", "");
        awaitState("w-2", "offered");
        report(TicketEvent.Kind.DIALLING, "w-2", "n1", "1011", "");
        awaitState("w-2", "dialling");
        report(TicketEvent.Kind.UNANSWERED, "w-2", "n1", "1011", "busy");
        awaitState("w-2", "failed");
        JsonNode failed = JSON.readTree(get("/w-2").body());
        assertThat(failed.path("reason").asText()).isEqualTo("busy");
        assertThat(failed.path("attempts")).hasSize(2);
        assertThat(handOuts("n1", "w-2")).as("no hand-out after it failed").hasSize(2);
        Await.until("the failed event", WAIT, () -> ticketEvents("w-2").contains("failed"));
        assertThat(ticketEvents("w-2")).containsSubsequence("dialling", "retry-wait", "open", "offered",
                "dialling", "failed");
    }

    @Test
    void theTicketsOfANodeWithoutAHeartbeatAreHandedToAnother() {
        node.nodeAlive("n3");
        timedOut("w-3", "n3");
        Await.until("handed to n3", WAIT, () -> handOuts("n3", "w-3").size() == 1);
        node.redis.del(NodeKeys.node("n3")); // n3 dies holding the waiting ticket
        Await.until("handed to another node", WAIT, () -> handOuts("n1", "w-3").size() == 1);
        Await.until("held by n1", WAIT, () -> "n1".equals(node.redis.hget(CallbackKeys.ticket(TENANT, "w-3"),
                "holder")));
        assertThat(state("w-3")).isEqualTo("open");

        // a node that dies while it dials the customer: the attempt reached nobody
        node.nodeAlive("n4");
        timedOut("w-7", "n4");
        Await.until("handed to n4", WAIT, () -> handOuts("n4", "w-7").size() == 1);
        report(TicketEvent.Kind.OFFERED, "w-7", "n4", "1011", "");
        report(TicketEvent.Kind.DIALLING, "w-7", "n4", "1011", "");
        awaitState("w-7", "dialling");
        node.redis.del(NodeKeys.node("n4"));
        awaitState("w-7", "retry-wait");
        assertThat(node.redis.hget(CallbackKeys.ticket(TENANT, "w-7"), "attempts")).contains("node-lost");
    }

    @Test
    void aCancelledTicketIsWithdrawnFromItsNode() throws Exception {
        timedOut("w-4", "n2");
        Await.until("handed to n2", WAIT, () -> handOuts("n2", "w-4").size() == 1);
        Await.until("held by n2", WAIT, () -> "n2".equals(node.redis.hget(CallbackKeys.ticket(TENANT, "w-4"),
                "holder")));
        assertThat(post("/w-4/cancel").statusCode()).isEqualTo(200);
        assertThat(node.commands("n2").stream().map(e -> NodeCommand.of(e.getBody())))
                .anySatisfy(c -> {
                    assertThat(c.kind()).isEqualTo(NodeCommand.Kind.WITHDRAW_TICKET);
                    assertThat(c.room()).isEqualTo("w-4");
                });
        // a node's late report does not bring a cancelled ticket back
        report(TicketEvent.Kind.OFFERED, "w-4", "n2", "1011", "");
        report(TicketEvent.Kind.ENDED, "w-4", "n2", "1011", "");
        Await.until("the reports are read", WAIT, () -> node.handled(CallbackKeys.ticketEvents(TENANT),
                lastId(CallbackKeys.ticketEvents(TENANT))));
        assertThat(state("w-4")).isEqualTo("cancelled");
    }

    @Test
    void aTicketCancelledOrAssignedStraightInRedisAsThePanelDoesReachesItsNode() {
        timedOut("panel-1", "n2");
        timedOut("panel-2", "n2");
        Await.until("handed to n2", WAIT,
                () -> handOuts("n2", "panel-1").size() == 1 && handOuts("n2", "panel-2").size() == 1);
        Await.until("held by n2", WAIT, () -> "n2".equals(node.redis.hget(CallbackKeys.ticket(TENANT, "panel-1"),
                "holder")) && "n2".equals(node.redis.hget(CallbackKeys.ticket(TENANT, "panel-2"), "holder")));
        // the supervisor panel's compare-and-set (the node's tickets/transition.lua): state and fields only
        node.redis.hset(CallbackKeys.ticket(TENANT, "panel-1"), Map.of("state", "cancelled",
                "updatedAt", Long.toString(System.currentTimeMillis())));
        node.redis.hset(CallbackKeys.ticket(TENANT, "panel-2"), Map.of("assignee", "1012",
                "updatedAt", Long.toString(System.currentTimeMillis())));
        Await.until("panel-1 withdrawn from n2", WAIT, () -> node.commands("n2").stream()
                .map(e -> NodeCommand.of(e.getBody()))
                .anyMatch(c -> c.kind() == NodeCommand.Kind.WITHDRAW_TICKET && c.room().equals("panel-1")));
        Await.until("panel-2 offered again to 1012 alone", WAIT, () -> handOuts("n2", "panel-2").stream()
                .anyMatch(c -> c.user().equals("1012")));
        assertThat(handOuts("n2", "panel-2")).hasSize(2);
    }

    @Test
    void aCallerWhoHungUpWhileParkedIsTicketedOnlyWhenTheQueueSaysSo() {
        long enqueuedAt = System.currentTimeMillis() - 20_000;
        for (String room : List.of("w-5", "w-16")) {
            node.park(TENANT, new RoomEvent(RoomEvent.Kind.PARKED, room, "n1", "call-" + room, "7002", "1051", "",
                    enqueuedAt, 0, "", "no-agent", enqueuedAt + 1_000));
        }
        String plain = node.roomEvent(TENANT, new RoomEvent(RoomEvent.Kind.ABANDONED, "w-5", "n1", "call-w-5",
                "7002", "1051", "", enqueuedAt, 0, "", "caller-hung-up", System.currentTimeMillis()));
        node.roomEvent(TENANT, new RoomEvent(RoomEvent.Kind.ABANDONED, "w-16", "n1", "call-w-6", "7002", "1051", "",
                enqueuedAt, 0, "", RoomEvent.ABANDONED_CALL_BACK, System.currentTimeMillis()));
        Await.until("w-6 ticketed", WAIT, () -> "abandoned".equals(node.redis.hget(
                CallbackKeys.ticket(TENANT, "w-16"), "reason")));
        Await.until("the plain abandon handled", WAIT, () -> node.handled(CallbackKeys.roomEvents(TENANT), plain));
        assertThat(node.redis.exists(CallbackKeys.ticket(TENANT, "w-5"))).isZero();
    }

    private static String lastId(String stream) {
        List<StreamMessage<String, String>> last = node.redis.xrevrange(stream, Range.create("-", "+"),
                Limit.create(0, 1));
        return last.get(0).getId();
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", basic())
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", basic())
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(""))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic() {
        return "Basic " + Base64.getEncoder().encodeToString("2000:supervisor-pw".getBytes(StandardCharsets.UTF_8));
    }
}
