package io.tandem.callback.e2e;

import static io.tandem.callback.e2e.CallbackCluster.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tandem.protocol.ApiPaths;
import io.tandem.telephony.testing.Await;
import io.tandem.telephony.testing.RecordingListener;
import io.tandem.telephony.testing.TestPhone;
import io.tandem.telephony.ua.Call;
import io.tandem.telephony.ua.CallState;
import io.tandem.telephony.ua.RegistrationState;
import io.tandem.telephony.ua.UserAgentConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 15 end to end, a ticket worked like a call: an app user parked in a queue nobody takes within its park timeout
 * is ticketed (ParkEndsIT's way in); an agent of the queue logs in and is available with a registered phone; the
 * callback service hands the ticket to the node, the agent's phone rings with the offer and answers; the customer's
 * app sleeps (an APNs push binding only), the mock APNs receives the ring push, the app registers again and answers;
 * both hear each other; the ticket is {@code connected}, then {@code done} (the service's REST API), the queue log's
 * CONNECT is marked as a callback. A customer who never answers is tried again after the retry delay and the ticket
 * fails at max-attempts. Real node process, the service wired from its arguments, APNs mocked.
 */
class TicketE2EIT {
    /** The customer speaks 1 kHz, the agents 440 Hz. */
    private static final double CUSTOMER_HZ = 1000;
    private static final double AGENT_HZ = 440;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * The node rings a called-back customer for 15 s (a woken app has that long to register and answer); the
     * service retries after 1 s and gives up after the second attempt.
     */
    @RegisterExtension
    static final CallbackCluster cluster = new CallbackCluster(List.of("--tandem.call.ring-timeout=15s"),
            List.of("--tandem.callback.tickets.retry-delay=1s", "--tandem.callback.tickets.max-attempts=2",
                    "--tandem.callback.tickets.check-interval=200ms"));

    @Test
    void aTimedOutAppCallerIsCalledBackByAnAgentAndWokenByPush() throws Exception {
        queue("7601", "1012");
        AgentApp customer = new AgentApp("2001", cluster.node());
        customer.installAndSleep();
        JsonNode ticket = ticketAfterParkTimeout("2001", "7601");
        String id = ticket.path("id").asText();

        try (TestPhone phone = agentPhone("1012")) {
            available("1012", true);
            Call offer = RecordingListener.next(phone.incoming, "1012's phone rung with the ticket's offer");
            assertThat(offer.inviteHeader("From")).contains("Callback");
            assertThat(offer.inviteHeader("P-Asserted-Identity")).contains("sip:2001@");
            awaitState(id, "offered");
            offer.answer();
            phone.awaitState(offer, CallState.CONNECTED);
            awaitState(id, "dialling");

            // asleep: no contact, a push binding; the node's wake reaches the device through APNs
            DevicePush ring = Await.value("a ring push to 2001's device", WAIT,
                    () -> cluster.pushesTo(customer, "ring").stream().findFirst());
            assertThat(ring.payload()).containsEntry("callerNumber", "7601");
            try (TestPhone app = customer.wake(CUSTOMER_HZ, AGENT_HZ)) {
                Call callback = RecordingListener.next(app.incoming, "the woken app rung with the call back");
                app.awaitState(callback, CallState.CONNECTED);
                Await.until("the agent hears the customer's 1 kHz", WAIT, () -> phone.ear.toneFrames() > 25);
                Await.until("the customer hears the agent's 440 Hz", WAIT, () -> app.ear.toneFrames() > 25);
                awaitState(id, "connected");
                assertThat(connects("ticket-" + id)).singleElement().satisfies(line -> {
                    assertThat(line.agent()).isEqualTo("1012");
                    assertThat(line.queue()).isEqualTo("7601");
                    assertThat(line.data2()).as("marked as a callback").isEqualTo("callback");
                });
                DevicePush cancel = Await.value("the cancel push once answered", WAIT,
                        () -> cluster.pushesTo(customer, "cancel").stream().findFirst());
                assertThat(cancel.collapseId()).as("the cancel replaces the ring").isEqualTo(ring.collapseId());

                offer.hangup();
                app.awaitState(callback, CallState.ENDED);
            }
            JsonNode done = awaitState(id, "done");
            assertThat(attempts(done)).singleElement().satisfies(a -> {
                assertThat(a.path("agent").asText()).isEqualTo("1012");
                assertThat(a.path("outcome").asText()).isEqualTo("connected");
            });
            Await.until("the call back's record", WAIT, () -> !cluster.cdr("ticket-" + id).isEmpty());
            assertThat(cluster.cdr("ticket-" + id)).singleElement()
                    .satisfies(r -> assertThat(r.path("endCause").asText()).isEqualTo("normal"));
            Await.until("1012 may go on a break once the call is over", WAIT, () -> available("1012", false));
        }
    }

    @Test
    void aCustomerWhoNeverAnswersIsTriedAgainAfterTheRetryDelayAndTheTicketFailsAtMaxAttempts() throws Exception {
        queue("7602", "1013");
        AgentApp customer = new AgentApp("2002", cluster.node());
        customer.installAndSleep(); // and never wakes
        JsonNode ticket = ticketAfterParkTimeout("2002", "7602");
        String id = ticket.path("id").asText();

        try (TestPhone phone = agentPhone("1013")) {
            phone.answering();
            available("1013", true);
            Await.until("the first attempt not reached", WAIT.multipliedBy(2),
                    () -> attempts(ticket(id)).size() == 1);
            JsonNode waiting = ticket(id);
            assertThat(attempts(waiting).get(0).path("outcome").asText()).isEqualTo("no-answer");
            if ("retry-wait".equals(waiting.path("state").asText())) {
                assertThat(waiting.path("retryAt").asLong()).isPositive();
            }

            JsonNode failed = awaitState(id, "failed", WAIT.multipliedBy(3));
            assertThat(failed.path("reason").asText()).isEqualTo("no-answer");
            assertThat(attempts(failed)).hasSize(2).allSatisfy(a -> {
                assertThat(a.path("agent").asText()).isEqualTo("1013");
                assertThat(a.path("outcome").asText()).isEqualTo("no-answer");
            });
            assertThat(phone.incoming.size()).as("the agent was offered the ticket once per attempt").isEqualTo(2);
            assertThat(cluster.pushesTo(customer, "ring")).as("each attempt woke the customer's device anew")
                    .hasSizeGreaterThanOrEqualTo(2);
            assertThat(connects("ticket-" + id)).as("the agent was on the call back for each attempt").hasSize(2)
                    .allSatisfy(line -> assertThat(line.data2()).isEqualTo("callback"));
            Await.until("1013 may go on a break", WAIT, () -> available("1013", false));
        }
    }

    /**
     * A copy of the demo's parking queue 7002 with one member, parking its callers for 2 s; a wrap-up of one second so
     * an agent is free for the next attempt soon.
     */
    private static void queue(String number, String member) throws Exception {
        cluster.parkingQueue(number, List.of(member), 2);
        String path = "/api/v1/tenants/" + NodeProcess.TENANT + "/queues/" + number;
        ObjectNode queue = (ObjectNode) JSON.readTree(cluster.node().get(path).body());
        queue.put("wrapUpSeconds", 1);
        HttpResponse<String> saved = cluster.node().put(path, JSON.writeValueAsString(queue));
        assertThat(saved.statusCode()).as(saved.body()).isEqualTo(200);
    }

    /** The app user calls the queue, is parked, told goodbye after the park timeout and ticketed. */
    private static JsonNode ticketAfterParkTimeout(String user, String queue) throws Exception {
        try (TestPhone caller = TestPhone.start(UserAgentConfig.of(user, "127.0.0.1")
                .withPassword(NodeProcess.PASSWORD), CUSTOMER_HZ, AGENT_HZ)) {
            Call call = caller.dial(cluster.node().uriOf(queue));
            caller.awaitState(call, CallState.CONNECTED); // parked
            caller.awaitState(call, CallState.ENDED); // nobody joined: "we will call you back"
            JsonNode ticket = Await.value("a ticket for " + user + "'s call", WAIT.multipliedBy(2),
                    () -> cluster.tickets().stream().filter(t -> call.id().equals(t.path("callId").asText()))
                            .findFirst());
            assertThat(ticket.path("reason").asText()).isEqualTo("timeout");
            assertThat(ticket.path("queue").asText()).isEqualTo(queue);
            assertThat(ticket.path("callerNumber").asText()).isEqualTo(user);
            return ticket;
        }
    }

    /** The agent's desk phone, registered at the node. */
    private static TestPhone agentPhone(String agent) throws Exception {
        TestPhone phone = TestPhone.start(UserAgentConfig.of(agent, "127.0.0.1").withPassword(NodeProcess.PASSWORD)
                .withRegistrars(List.of(cluster.node().sipUri())), AGENT_HZ, CUSTOMER_HZ);
        Await.until(agent + "'s phone registered", AgentApp.REGISTER,
                () -> phone.ua.registrationState() == RegistrationState.REGISTERED);
        return phone;
    }

    /**
     * The agent logs in (as the softphone does) and goes available, or on a break; true when the node took it (a
     * change while on a call is refused until the node has ended it).
     */
    private static boolean available(String agent, boolean available) {
        if (available) {
            HttpResponse<String> login = agentRequest(agent, ApiPaths.AGENT_LOGIN, "POST", "");
            assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
        }
        HttpResponse<String> state = agentRequest(agent, ApiPaths.AGENT_STATE, "PUT", available
                ? "{\"state\":\"available\"}" : "{\"state\":\"not-ready\",\"reason\":\"break\"}");
        if (available) {
            assertThat(state.statusCode()).as(state.body()).isEqualTo(200);
        }
        return state.statusCode() == 200;
    }

    private static HttpResponse<String> agentRequest(String agent, String path, String method, String json) {
        String basic = Base64.getEncoder().encodeToString((agent + "@" + NodeProcess.TENANT + ":"
                + NodeProcess.PASSWORD).getBytes(StandardCharsets.UTF_8));
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(cluster.node().url() + path))
                    .header("Authorization", "Basic " + basic).header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(10)).method(method, HttpRequest.BodyPublishers.ofString(json)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode ticket(String id) {
        return cluster.tickets().stream().filter(t -> id.equals(t.path("id").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("ticket " + id + " not listed"));
    }

    private static JsonNode awaitState(String id, String state) {
        return awaitState(id, state, WAIT);
    }

    /** Waits until ticket {@code id} is in {@code state} on the service's REST API. */
    private static JsonNode awaitState(String id, String state, Duration wait) {
        return Await.value("ticket " + id + " " + state, wait, () -> cluster.tickets().stream()
                .filter(t -> id.equals(t.path("id").asText()) && state.equals(t.path("state").asText()))
                .findFirst());
    }

    private static List<JsonNode> attempts(JsonNode ticket) {
        JsonNode attempts = ticket.path("attempts");
        return attempts instanceof ArrayNode array ? StreamSupport.stream(array.spliterator(), false).toList()
                : new ArrayList<>();
    }

    private static List<QueueLogLine> connects(String callId) {
        return cluster.queueLog(callId).stream().filter(line -> "CONNECT".equals(line.event())).toList();
    }
}
