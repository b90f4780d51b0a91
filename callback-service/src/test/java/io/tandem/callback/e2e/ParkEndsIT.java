package io.tandem.callback.e2e;

import static io.tandem.callback.e2e.CallbackCluster.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tandem.telephony.testing.Await;
import io.tandem.telephony.testing.TestPhone;
import io.tandem.telephony.ua.Call;
import io.tandem.telephony.ua.CallState;
import io.tandem.telephony.ua.UserAgentConfig;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 15 end to end: a parked app caller nobody takes is not lost. No agent joins within the queue's park timeout
 * → the node says goodbye and the callback service opens a ticket; the node holding the parked caller is killed →
 * the service notices its heartbeat gone and tickets the caller ({@code node-lost}). Both stop the rings they
 * started with a cancel push. Real node processes, the service wired from its arguments, APNs mocked.
 */
class ParkEndsIT {

    @RegisterExtension
    static final CallbackCluster cluster = new CallbackCluster();

    @Test
    void noAgentWithinTheParkTimeoutTheCallerIsToldAndTicketedKeepingItsPlace() throws Exception {
        cluster.parkingQueue("7504", List.of("1007"), 2);
        AgentApp agent = new AgentApp("1007", cluster.node());
        agent.installAndSleep();
        try (TestPhone caller = appUser("2004")) {
            Call call = caller.dial(cluster.node().uriOf("7504"));
            caller.awaitState(call, CallState.CONNECTED);
            DevicePush ring = cluster.awaitPush(agent, "ring", "7504");
            // Never woken: "we will call you back", then the node hangs up.
            caller.awaitState(call, CallState.ENDED);
            JsonNode ticket = awaitTicket(ring.room());
            assertThat(ticket.path("reason").asText()).isEqualTo("timeout");
            assertThat(ticket.path("state").asText()).isEqualTo("open");
            assertThat(ticket.path("queue").asText()).isEqualTo("7504");
            assertThat(ticket.path("callerNumber").asText()).isEqualTo("2004");
            assertThat(ticket.path("callId").asText()).isEqualTo(call.id());
            assertThat(ticket.path("enqueuedAt").asLong()).as("the caller's place in the queue")
                    .isPositive().isLessThanOrEqualTo(ticket.path("createdAt").asLong());
            assertThat(cluster.awaitPush(agent, "cancel", "7504").collapseId()).isEqualTo(ring.collapseId());
        }
    }

    @Test
    void theNodeHoldingAParkedCallerDiesAndTheCallerIsTicketed() throws Exception {
        cluster.parkingQueue("7507", List.of("1008"), 120);
        NodeProcess doomed = cluster.startNode("e2e-doomed");
        AgentApp agent = new AgentApp("1008", cluster.node());
        agent.installAndSleep();
        try (TestPhone caller = appUser("2005")) {
            Call call = caller.dial(doomed.uriOf("7507"));
            caller.awaitState(call, CallState.CONNECTED);
            DevicePush ring = cluster.awaitPush(agent, "ring", "7507");
            doomed.kill();

            JsonNode ticket = awaitTicket(ring.room());
            assertThat(ticket.path("reason").asText()).isEqualTo("node-lost");
            assertThat(ticket.path("node").asText()).isEqualTo("e2e-doomed");
            assertThat(ticket.path("callerNumber").asText()).isEqualTo("2005");
            assertThat(cluster.awaitPush(agent, "cancel", "7507").collapseId()).isEqualTo(ring.collapseId());
            call.hangup(); // nobody answers the BYE any more; the phone gives up by itself
        }
    }

    @Test
    void aPushProviderThatIsDownStillEndsInATicket() throws Exception {
        cluster.parkingQueue("7506", List.of("1010"), 2);
        AgentApp agent = new AgentApp("1010", cluster.node(), AgentApp.Network.WEBHOOK);
        agent.installAndSleep();
        try (TestPhone caller = appUser("2003")) {
            Call call = caller.dial(cluster.node().uriOf("7506"));
            caller.awaitState(call, CallState.CONNECTED);
            caller.awaitState(call, CallState.ENDED); // nobody could be woken: the park timeout ends the call
            JsonNode ticket = Await.value("a ticket for the call", WAIT, () -> cluster.tickets().stream()
                    .filter(t -> call.id().equals(t.path("callId").asText())).findFirst());
            assertThat(ticket.path("reason").asText()).isEqualTo("timeout");
            JsonNode ring = Await.value("the ring's push record", WAIT, () -> cluster.pushRecords().stream()
                    .filter(r -> ticket.path("room").asText().equals(r.path("room").asText())
                            && "ring".equals(r.path("kind").asText())).findFirst());
            assertThat(ring.path("provider").asText()).isEqualTo("webhook");
            assertThat(ring.path("outcome").asText()).as("the gateway is down").isEqualTo("failed");
        }
    }

    private static JsonNode awaitTicket(String room) {
        // The node's heartbeat lives 3 s; the service checks parked rooms every 300 ms.
        return Await.value("a ticket for room " + room, WAIT.plus(Duration.ofSeconds(30)), () -> cluster.tickets()
                .stream().filter(t -> room.equals(t.path("room").asText())).findFirst());
    }

    private static TestPhone appUser(String user) throws Exception {
        return TestPhone.start(UserAgentConfig.of(user, "127.0.0.1").withPassword(NodeProcess.PASSWORD), 1000, 440);
    }

}
