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

    private static List<DevicePush> rings(AgentApp app) {
        return cluster.pushesOfQueue("7609").stream()
                .filter(p -> p.token().equals(app.token) && "ring".equals(p.kind())).toList();
    }
}
