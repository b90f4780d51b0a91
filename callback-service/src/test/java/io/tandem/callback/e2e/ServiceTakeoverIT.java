package io.tandem.callback.e2e;

import static io.tandem.callback.e2e.CallbackCluster.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tandem.protocol.callback.RoomEvent;
import io.tandem.telephony.testing.Await;
import io.tandem.telephony.testing.RecordingListener;
import io.tandem.telephony.testing.TestPhone;
import io.tandem.telephony.ua.Call;
import io.tandem.telephony.ua.CallState;
import io.tandem.telephony.ua.UserAgentConfig;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two callback service instances in one consumer group beside a real node: the instance that woke the agent for a
 * parked caller stops mid-park, and the other carries the room on — the woken app's REGISTER reaches the survivor,
 * which has the node call the agent into the room — with no push sent twice (the shared ledger and room state in
 * Redis).
 */
class ServiceTakeoverIT {

    @RegisterExtension
    static final CallbackCluster cluster = new CallbackCluster();

    @Test
    void theInstanceThatRangTheAgentStopsAndTheOtherCallsTheWokenAgentInWithoutRingingTwice() throws Exception {
        cluster.startService("cb-e2e-2");
        cluster.parkingQueue("7609", List.of("1009"), 120);
        AgentApp agent = new AgentApp("1009", cluster.node());
        agent.installAndSleep();
        try (TestPhone caller = TestPhone.start(UserAgentConfig.of("2001", "127.0.0.1")
                .withPassword(NodeProcess.PASSWORD), 1000, 440)) {
            Call call = caller.dial(cluster.node().uriOf("7609"));
            caller.awaitState(call, CallState.CONNECTED);
            DevicePush ring = Await.value("the ring push to 1009's device", WAIT, () -> rings(agent).stream()
                    .findFirst());
            JsonNode record = Await.value("the ring's push record", WAIT, () -> cluster.pushRecords().stream()
                    .filter(r -> ring.room().equals(r.path("room").asText()) && "ring".equals(r.path("kind").asText()))
                    .findFirst());
            String ringer = record.path("instance").asText();
            assertThat(ringer).isIn("cb-e2e-1", "cb-e2e-2");
            cluster.stopService(ringer);

            try (TestPhone app = agent.wake(440, 1000)) {
                Call joined = RecordingListener.next(app.incoming, "the woken app called in by the surviving instance");
                app.awaitState(joined, CallState.CONNECTED);
                Await.until("the agent hears the caller", WAIT, () -> app.ear.toneFrames() > 25);
                Await.until("JOINED for 1009", WAIT, () -> cluster.roomEvents(ring.room()).stream()
                        .anyMatch(e -> "1009".equals(e.agent()) && e.kind() == RoomEvent.Kind.JOINED));
                assertThat(rings(agent)).as("one ring for the room, whichever instance handled what").hasSize(1);
                assertThat(cluster.pushRecords()).filteredOn(r -> ring.room().equals(r.path("room").asText()))
                        .as("one push recorded for the room").hasSize(1);
                joined.hangup();
                caller.awaitState(call, CallState.ENDED);
            }
        }
    }

    @Test
    void anInstanceTakingOverARoomWakesItsNextTierWithoutRingingTheFirstAgain() throws Exception {
        cluster.startService("cb-e2e-3"); // whichever instance the test above stopped, two are running
        // Long enough for the instance that rang tier 1 to stop before tier 2 is due.
        cluster.tieredParkingQueue("7610", List.of(new CallbackCluster.Member("1010", 1, 0),
                new CallbackCluster.Member("1011", 2, 0)), 120, 15);
        AgentApp tierOne = new AgentApp("1010", cluster.node());
        AgentApp tierTwo = new AgentApp("1011", cluster.node());
        tierOne.installAndSleep();
        tierTwo.installAndSleep();
        try (TestPhone caller = TestPhone.start(UserAgentConfig.of("2002", "127.0.0.1")
                .withPassword(NodeProcess.PASSWORD), 1000, 440)) {
            Call call = caller.dial(cluster.node().uriOf("7610"));
            caller.awaitState(call, CallState.CONNECTED);
            DevicePush ring = cluster.awaitPush(tierOne, "ring", "7610");
            String ringer = Await.value("tier 1's push record", WAIT, () -> cluster.pushRecords().stream()
                    .filter(r -> ring.room().equals(r.path("room").asText()) && "1010".equals(r.path("user").asText()))
                    .findFirst()).path("instance").asText();
            cluster.stopService(ringer);
            assertThat(cluster.pushesTo(tierTwo, "ring")).as("tier 2 not due yet when its ringer stopped").isEmpty();

            DevicePush late = Await.value("tier 2's ring, from a surviving instance", Duration.ofSeconds(90),
                    () -> cluster.pushesOfQueue("7610").stream()
                            .filter(p -> p.token().equals(tierTwo.token) && "ring".equals(p.kind())).findFirst());
            assertThat(late.room()).isEqualTo(ring.room());
            Await.until("tier 2's push record", WAIT, () -> cluster.pushRecords().stream()
                    .anyMatch(r -> ring.room().equals(r.path("room").asText()) && "1011".equals(r.path("user").asText())));
            assertThat(cluster.pushRecords()).filteredOn(r -> ring.room().equals(r.path("room").asText()))
                    .as("one ring per device, tier 2's from another instance")
                    .extracting(r -> r.path("user").asText() + " " + r.path("kind").asText() + " "
                            + (r.path("instance").asText().equals(ringer) ? "ringer" : "survivor"))
                    .containsExactlyInAnyOrder("1010 ring ringer", "1011 ring survivor");
            assertThat(cluster.pushesTo(tierOne, "ring")).as("tier 1 is not rung again").hasSize(1);

            call.hangup(); // the caller leaves: both tiers' rings are cancelled
            cluster.awaitPush(tierOne, "cancel", "7610");
            cluster.awaitPush(tierTwo, "cancel", "7610");
        }
    }

    private static List<DevicePush> rings(AgentApp app) {
        return cluster.pushesOfQueue("7609").stream()
                .filter(p -> p.token().equals(app.token) && "ring".equals(p.kind())).toList();
    }
}
