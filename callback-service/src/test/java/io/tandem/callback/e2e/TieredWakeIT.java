package io.tandem.callback.e2e;

import static io.tandem.callback.e2e.CallbackCluster.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tandem.callback.ServiceInstance;
import io.tandem.callback.e2e.CallbackCluster.Member;
import io.tandem.protocol.callback.JoinToken;
import io.tandem.protocol.callback.RoomEvent;
import io.tandem.telephony.testing.Await;
import io.tandem.telephony.testing.RecordingListener;
import io.tandem.telephony.testing.TestPhone;
import io.tandem.telephony.ua.Call;
import io.tandem.telephony.ua.CallState;
import io.tandem.telephony.ua.UserAgentConfig;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 15's "in tiers as the strategy says", end to end: a queue whose park setting wakes by member tier
 * ({@code park.wake: tiers}, set over the node's queue REST API) has the callback service ring its lowest tier first
 * and add the next tier only after {@code wakeTierDelaySeconds} without a join — same room, token scheme and collapse
 * id — and a join cancels every ring sent so far; a join within the first tier means the next tier is never woken.
 * Real node process, real Redis, Pushy's {@code MockApnsServer} and the loopback FCM; nothing in Redis written by the
 * test.
 */
class TieredWakeIT {
    private static final double CALLER_HZ = 1000;
    private static final double AGENT_HZ = 440;
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final CallbackCluster cluster = new CallbackCluster();

    @Test
    void theLowestTierIsWokenFirstTheNextAfterItsDelayAndTheJoinCancelsEveryRingSentSoFar() throws Exception {
        // In member order 1008 comes first, but it is in tier 2; within tier 2 the lower penalty (1008) comes first.
        cluster.tieredParkingQueue("7421", List.of(new Member("1008", 2, 0), new Member("1006", 1, 0),
                new Member("1007", 2, 5)), 120, 2);
        AgentApp tierOne = new AgentApp("1006", cluster.node());
        AgentApp joiner = new AgentApp("1007", cluster.node());
        AgentApp other = new AgentApp("1008", cluster.node(), AgentApp.Network.FCM);
        for (AgentApp app : List.of(tierOne, joiner, other)) {
            app.installAndSleep();
        }

        try (TestPhone caller = appUser("2001")) {
            Call call = caller.dial(cluster.node().uriOf("7421"));
            caller.awaitState(call, CallState.CONNECTED);
            DevicePush first = cluster.awaitPush(tierOne, "ring", "7421");
            DevicePush second = cluster.awaitPush(joiner, "ring", "7421");
            DevicePush third = cluster.awaitPush(other, "ring", "7421");
            String room = first.room();
            assertThat(List.of(second.room(), third.room())).containsOnly(room);
            assertThat(List.of(second.collapseId(), third.collapseId())).as("one collapse id for the room's rings")
                    .containsOnly(first.collapseId());
            long deadline = Long.parseLong(cluster.room(room).get("deadline"));
            assertThat(List.of(token(first), token(second), token(third))).allSatisfy(token -> {
                assertThat(token.room()).isEqualTo(room);
                assertThat(token.expiresAt()).as("every tier's token expires with the room").isEqualTo(deadline);
            }).extracting(JoinToken::user).containsExactly("1006", "1007", "1008");

            Await.until("three ring records", WAIT, () -> ringRecords(room).size() == 3);
            assertThat(ringRecords(room)).as("tier 1 first, then tier 2 by penalty; each device rung once")
                    .extracting(r -> r.path("user").asText()).containsExactly("1006", "1008", "1007");
            Await.until("no tier left to wake after tier 2", WAIT, () -> cluster.wakeTierDue(room) == null);

            try (TestPhone app = joiner.wake(AGENT_HZ, CALLER_HZ)) {
                Call joined = RecordingListener.next(app.incoming, "1007's woken app called into the room");
                app.awaitState(joined, CallState.CONNECTED);
                Await.until("1007 hears the caller", WAIT, () -> app.ear.toneFrames() > 25);
                DevicePush cancelOne = cluster.awaitPush(tierOne, "cancel", "7421");
                DevicePush cancelOther = cluster.awaitPush(other, "cancel", "7421");
                assertThat(List.of(cancelOne.collapseId(), cancelOther.collapseId())).as("the cancels replace the rings")
                        .containsOnly(first.collapseId());
                assertThat(cluster.pushesTo(joiner, "cancel")).as("the winner's own device is not cancelled")
                        .isEmpty();
                joined.hangup();
                caller.awaitState(call, CallState.ENDED);
            }
            assertThat(ringRecords(room)).as("no ring after the join").hasSize(3);
        }
    }

    @Test
    void aJoinWithinTheFirstTierMeansTheNextTierIsNeverWoken() throws Exception {
        // A delay far longer than the test: tier 2 could only ever be woken from the schedule the join must end.
        cluster.tieredParkingQueue("7422", List.of(new Member("1011", 1, 0), new Member("1012", 2, 0)), 120, 3_600);
        AgentApp tierOne = new AgentApp("1011", cluster.node());
        AgentApp tierTwo = new AgentApp("1012", cluster.node());
        tierOne.installAndSleep();
        tierTwo.installAndSleep();

        try (TestPhone caller = appUser("2002")) {
            Call call = caller.dial(cluster.node().uriOf("7422"));
            caller.awaitState(call, CallState.CONNECTED);
            DevicePush ring = cluster.awaitPush(tierOne, "ring", "7422");
            String room = ring.room();
            Await.until("tier 2 scheduled", WAIT, () -> cluster.wakeTierDue(room) != null);

            try (TestPhone app = tierOne.wake(AGENT_HZ, CALLER_HZ)) {
                Call joined = RecordingListener.next(app.incoming, "1011's woken app called into the room");
                app.awaitState(joined, CallState.CONNECTED);
                Await.until("JOINED for 1011", WAIT, () -> cluster.roomEvents(room).stream()
                        .anyMatch(e -> e.kind() == RoomEvent.Kind.JOINED && "1011".equals(e.agent())));
                Await.until("the join ends the tier schedule", WAIT, () -> cluster.wakeTierDue(room) == null);
                assertThat(cluster.pushesTo(tierTwo, "ring")).as("tier 2 is never woken").isEmpty();
                assertThat(cluster.pushRecords()).filteredOn(r -> room.equals(r.path("room").asText()))
                        .as("one push for the room: tier 1's ring").singleElement()
                        .satisfies(r -> assertThat(r.path("user").asText()).isEqualTo("1011"));
                joined.hangup();
                caller.awaitState(call, CallState.ENDED);
            }
        }
    }

    @Test
    void theQueueApiShowsTheWakeSettingAndNamesAWrongOne() throws Exception {
        List<Member> members = List.of(new Member("1013", 1, 0));
        cluster.tieredParkingQueue("7423", members, 120, 45);
        JsonNode park = JSON.readTree(cluster.node().get("/api/v1/tenants/" + NodeProcess.TENANT + "/queues/7423")
                .body()).path("park");
        assertThat(park.path("wake").asText()).isEqualTo("tiers");
        assertThat(park.path("wakeTierDelaySeconds").asInt()).isEqualTo(45);
        cluster.parkingQueue("7424", List.of("1013"), 120);
        JsonNode plain = JSON.readTree(cluster.node().get("/api/v1/tenants/" + NodeProcess.TENANT + "/queues/7424")
                .body()).path("park");
        assertThat(plain.path("wake").asText()).as("the default").isEqualTo("all");
        assertThat(plain.path("wakeTierDelaySeconds").asInt()).isEqualTo(20);

        HttpResponse<String> unknown = cluster.putQueue("7425", members, 120, p -> p.put("wake", "sometimes"));
        assertThat(unknown.statusCode()).isEqualTo(400);
        JsonNode error = JSON.readTree(unknown.body()).path("errors").path(0);
        assertThat(error.path("field").asText()).isEqualTo("park.wake");
        assertThat(error.path("allowed")).extracting(JsonNode::asText).containsExactly("all", "tiers");

        HttpResponse<String> tooLong = cluster.putQueue("7425", members, 120,
                p -> p.put("wake", "tiers").put("wakeTierDelaySeconds", 7_200));
        assertThat(tooLong.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(tooLong.body()).path("errors")).extracting(e -> e.path("field").asText())
                .containsExactly("park.wakeTierDelaySeconds");
    }

    /** The service's ring records of {@code room}, oldest first (the API lists newest first). */
    private static List<JsonNode> ringRecords(String room) {
        List<JsonNode> rings = new ArrayList<>(cluster.pushRecords().stream()
                .filter(r -> room.equals(r.path("room").asText()) && "ring".equals(r.path("kind").asText())).toList());
        Collections.reverse(rings);
        return rings;
    }

    private static TestPhone appUser(String user) throws Exception {
        return TestPhone.start(UserAgentConfig.of(user, "127.0.0.1").withPassword(NodeProcess.PASSWORD),
                CALLER_HZ, AGENT_HZ);
    }

    private static JoinToken token(DevicePush ring) {
        byte[] secret = ServiceInstance.SECRET.getBytes(StandardCharsets.UTF_8);
        return JoinToken.verify(ring.payload().get("joinToken"), secret, System.currentTimeMillis(),
                new JoinToken.Refusal[1]).orElseThrow();
    }
}
