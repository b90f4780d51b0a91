package io.tandem.callback.e2e;

import static io.tandem.callback.e2e.CallbackCluster.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tandem.callback.ServiceInstance;
import io.tandem.protocol.callback.JoinToken;
import io.tandem.protocol.callback.RoomEvent;
import io.tandem.telephony.testing.Await;
import io.tandem.telephony.testing.RecordingListener;
import io.tandem.telephony.testing.TestPhone;
import io.tandem.telephony.ua.Call;
import io.tandem.telephony.ua.CallState;
import io.tandem.telephony.ua.RegistrationState;
import io.tandem.telephony.ua.UserAgentConfig;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 15 end to end, as its users live it: an app user's call to a parking queue on a real node process, the
 * callback service (wired from its arguments) waking the queue's sleeping agents through APNs (Pushy's mock server,
 * real HTTP/2 + TLS), the agent's app — our user agent, registered with RFC 8599 push parameters and asleep — woken
 * by the push it receives, registering again and called into the room by the node on the service's command; audio
 * both ways through the room's mixer; the CDR and the queue log on the node's REST API, the pushes and tickets on
 * the service's. A call to an agent whose app sleeps wakes it the same way and rings it in the same call. Nothing in
 * Redis is written by the test.
 */
class ParkAndWakeIT {
    /** The app caller speaks 1 kHz, the agents 440 Hz. */
    private static final double CALLER_HZ = 1000;
    private static final double AGENT_HZ = 440;
    private static final String DEAD = "1005";

    @RegisterExtension
    static final CallbackCluster cluster = new CallbackCluster(DEAD);

    @Test
    void anAppCallerNobodyCanTakeIsParkedAndTheAgentWokenByPushJoinsTheRoom() throws Exception {
        AgentApp agent = new AgentApp("1011", cluster.node());
        agent.installAndSleep();
        assertThat(cluster.pushBindings("1011")).singleElement()
                .satisfies(b -> assertThat(b.path("prid").asText()).isEqualTo(agent.token));

        try (TestPhone caller = appUser("2001")) {
            Call call = caller.dial(cluster.node().uriOf("7002"));
            caller.awaitState(call, CallState.CONNECTED); // parked: a prompt, then music
            DevicePush ring = cluster.awaitPush(agent, "ring", "7002");
            assertThat(ring.payload()).containsEntry("callerNumber", "2001").containsEntry("queue", "7002");
            assertThat(ring.collapseId()).isEqualTo("room-" + ring.room());
            JoinToken token = token(ring);
            assertThat(token.user()).isEqualTo("1011");
            assertThat(token.room()).isEqualTo(ring.room());

            try (TestPhone app = agent.wake(AGENT_HZ, CALLER_HZ)) {
                Call joined = RecordingListener.next(app.incoming, "the woken app called into the room");
                app.awaitState(joined, CallState.CONNECTED);
                long before = caller.ear.toneFrames();
                Await.until("the agent hears the caller's 1 kHz", WAIT, () -> app.ear.toneFrames() > 25);
                Await.until("the caller hears the agent's 440 Hz", WAIT, () -> caller.ear.toneFrames() > before + 25);
                Await.until("CONNECT in the queue log", WAIT, () -> !connects(call.id()).isEmpty());
                assertThat(connects(call.id())).singleElement().satisfies(line -> {
                    assertThat(line.agent()).isEqualTo("1011");
                    assertThat(line.queue()).isEqualTo("7002");
                    assertThat(line.data2()).as("marked as a callback").isEqualTo("callback");
                });
                joined.hangup();
                caller.awaitState(call, CallState.ENDED);
            }
            Await.until("the call's record", WAIT, () -> !cluster.cdr(call.id()).isEmpty());
            assertThat(cluster.cdr(call.id())).singleElement().satisfies(r -> {
                assertThat(r.path("to").asText()).isEqualTo("7002");
                assertThat(r.path("endCause").asText()).isEqualTo("normal");
                assertThat(r.path("answeredAt").isNull()).isFalse();
            });
            assertThat(events(call.id())).containsSubsequence("ENTERQUEUE", "PARK", "CONNECT", "COMPLETEAGENT");
            assertThat(cluster.tickets()).as("a caller who was taken is no ticket")
                    .noneMatch(t -> ring.room().equals(t.path("room").asText()));
        }
    }

    @Test
    void twoAgentsWokenByApnsAndFcmComeBackOneIsConnectedTheOtherRefusedAndHisRingCancelled() throws Exception {
        cluster.parkingQueue("7402", List.of("1002", "1003"), 120);
        AgentApp first = new AgentApp("1002", cluster.node());
        AgentApp second = new AgentApp("1003", cluster.node(), AgentApp.Network.FCM); // an Android phone
        first.installAndSleep();
        second.installAndSleep();

        try (TestPhone caller = appUser("2002")) {
            Call call = caller.dial(cluster.node().uriOf("7402"));
            caller.awaitState(call, CallState.CONNECTED);
            DevicePush firstRing = cluster.awaitPush(first, "ring", "7402");
            DevicePush secondRing = cluster.awaitPush(second, "ring", "7402");
            assertThat(secondRing.room()).isEqualTo(firstRing.room());
            // The queue parks for 120 s, the service's default is 90 s: the token lives as long as the room.
            assertThat(token(secondRing).expiresAt()).as("the join token expires with the room")
                    .isEqualTo(Long.parseLong(cluster.room(firstRing.room()).get("deadline")));

            try (TestPhone winner = first.wake(AGENT_HZ, CALLER_HZ)) {
                Call joined = RecordingListener.next(winner.incoming, "1002's woken app called into the room");
                winner.awaitState(joined, CallState.CONNECTED);
                Await.until("1002 hears the caller", WAIT, () -> winner.ear.toneFrames() > 25);

                // 1003's app, woken too, dials in with the token of its push: the room is taken.
                try (TestPhone late = TestPhone.start(UserAgentConfig.of("1003", "127.0.0.1")
                        .withPassword(NodeProcess.PASSWORD), AGENT_HZ, CALLER_HZ)) {
                    Call refused = late.dial(cluster.node().uriOf("join*" + secondRing.payload().get("joinToken")));
                    late.awaitState(refused, CallState.ENDED);
                    assertThat(refused.endStatus()).as("a late join is declined").isEqualTo(603);
                }
                Await.until("REFUSED for 1003", WAIT, () -> cluster.roomEvents(firstRing.room()).stream()
                        .anyMatch(e -> e.kind() == RoomEvent.Kind.REFUSED && "1003".equals(e.agent())));
                assertThat(cluster.roomEvents(firstRing.room())).filteredOn(e -> e.kind() == RoomEvent.Kind.REFUSED)
                        .allSatisfy(e -> assertThat(e.reason()).as("the refusal says why").isNotBlank());
                assertThat(cluster.roomEvents(firstRing.room())).filteredOn(e -> e.kind() == RoomEvent.Kind.JOINED)
                        .singleElement().satisfies(e -> assertThat(e.agent()).isEqualTo("1002"));

                DevicePush cancel = cluster.awaitPush(second, "cancel", "7402");
                assertThat(cancel.collapseId()).as("the cancel replaces the ring").isEqualTo(firstRing.collapseId());
                assertThat(cluster.pushesTo(first, "cancel")).as("the winner's own device is not cancelled")
                        .isEmpty();
                assertThat(connects(call.id())).singleElement()
                        .satisfies(line -> assertThat(line.agent()).isEqualTo("1002"));
                call.hangup();
                winner.awaitState(joined, CallState.ENDED);
            }
        }
    }

    @Test
    void aCallerHangingUpWhileParkedIsAnAbandonTheRingsAreCancelledAndNoTicketIsMade() throws Exception {
        cluster.parkingQueue("7403", List.of("1004"), 120);
        AgentApp agent = new AgentApp("1004", cluster.node());
        agent.installAndSleep();
        try (TestPhone caller = appUser("2003")) {
            Call call = caller.dial(cluster.node().uriOf("7403"));
            caller.awaitState(call, CallState.CONNECTED);
            DevicePush ring = cluster.awaitPush(agent, "ring", "7403");
            call.hangup();
            caller.awaitState(call, CallState.ENDED);

            DevicePush cancel = cluster.awaitPush(agent, "cancel", "7403");
            assertThat(cancel.collapseId()).isEqualTo(ring.collapseId());
            // The service makes a ticket before it cancels the rings: had it made one, it would be listed now.
            assertThat(cluster.tickets()).noneMatch(t -> ring.room().equals(t.path("room").asText()));
            Await.until("ABANDON in the queue log", WAIT, () -> events(call.id()).contains("ABANDON"));
            assertThat(events(call.id())).doesNotContain("CONNECT");
        }
    }

    @Test
    void aDeadTokenRemovesThePushBinding() throws Exception {
        cluster.parkingQueue("7405", List.of(DEAD), 120);
        AgentApp agent = new AgentApp(DEAD, cluster.node());
        agent.installAndSleep();
        assertThat(cluster.pushBindings(DEAD)).hasSize(1);
        try (TestPhone caller = appUser("2005")) {
            Call call = caller.dial(cluster.node().uriOf("7405"));
            caller.awaitState(call, CallState.CONNECTED);
            Await.until("APNs' 410 Unregistered removes " + DEAD + "'s push binding", WAIT,
                    () -> cluster.pushBindings(DEAD).isEmpty());
            JsonNode record = Await.value("the push record of the dead token", WAIT, () -> cluster.pushRecords()
                    .stream().filter(r -> DEAD.equals(r.path("user").asText())).findFirst());
            assertThat(record.path("outcome").asText()).isEqualTo("dead-token");
            assertThat(record.path("detail").asText()).contains("Unregistered");
            call.hangup();
            caller.awaitState(call, CallState.ENDED);
        }
    }

    @Test
    void anAppUserDiallingAnythingButAServiceNumberIsForbiddenAndNothingRings() throws Exception {
        try (TestPhone desk = TestPhone.start(UserAgentConfig.of("1006", "127.0.0.1")
                .withPassword(NodeProcess.PASSWORD).withRegistrars(List.of(cluster.node().sipUri())), 0, 0);
             TestPhone caller = appUser("2004")) {
            Await.until("1006 registered", WAIT, () -> desk.ua.registrationState()
                    == RegistrationState.REGISTERED);
            for (String number : List.of("1006", "+4930123456", "2001")) {
                Call call = caller.dial(cluster.node().uriOf(number));
                caller.awaitState(call, CallState.ENDED);
                assertThat(call.endStatus()).as("an app user dialling " + number).isEqualTo(403);
            }
            assertThat(desk.incoming).as("the extension never rang").isEmpty();
        }
    }

    @Test
    void aCallToASleepingAgentWakesItsAppWhichRegistersAndAnswersTheSameCall() throws Exception {
        AgentApp callee = new AgentApp("1008", cluster.node(), AgentApp.Network.FCM);
        callee.installAndSleep();
        try (TestPhone caller = TestPhone.start(UserAgentConfig.of("1009", "127.0.0.1")
                .withPassword(NodeProcess.PASSWORD), CALLER_HZ, AGENT_HZ)) {
            Call call = caller.dial(cluster.node().uriOf("1008"));
            caller.awaitState(call, CallState.RINGING); // no contact, a push binding: the caller hears ringing
            DevicePush ring = Await.value("a ring push to 1008's device for the call", WAIT, () -> cluster
                    .pushesTo(callee, "ring").stream().filter(p -> call.id().equals(p.payload().get("callId")))
                    .findFirst());
            assertThat(ring.payload()).containsEntry("callerNumber", "1009").doesNotContainKey("joinToken");
            try (TestPhone app = callee.wake(AGENT_HZ, CALLER_HZ)) {
                Call answered = RecordingListener.next(app.incoming, "the woken app rung in the same call");
                app.awaitState(answered, CallState.CONNECTED);
                caller.awaitState(call, CallState.CONNECTED);
                Await.until("the woken app hears the caller", WAIT, () -> app.ear.toneFrames() > 25);
                Await.until("the caller hears the woken app", WAIT, () -> caller.ear.toneFrames() > 25);
                DevicePush cancel = Await.value("the cancel push once answered", WAIT, () -> cluster
                        .pushesTo(callee, "cancel").stream().filter(p -> call.id().equals(p.payload().get("callId")))
                        .findFirst());
                assertThat(cancel.collapseId()).as("the cancel replaces the ring").isEqualTo(ring.collapseId());
                call.hangup();
                app.awaitState(answered, CallState.ENDED);
            }
        }
    }

    /** An app user of the demo tenant (digest credentials, no registration needed to call). */
    private static TestPhone appUser(String user) throws Exception {
        return TestPhone.start(UserAgentConfig.of(user, "127.0.0.1").withPassword(NodeProcess.PASSWORD),
                CALLER_HZ, AGENT_HZ);
    }

    /** The join token a ring push carries, verified with the cluster's secret as the node verifies it. */
    private static JoinToken token(DevicePush ring) {
        byte[] secret = ServiceInstance.SECRET.getBytes(StandardCharsets.UTF_8);
        return JoinToken.verify(ring.payload().get("joinToken"), secret, System.currentTimeMillis(),
                new JoinToken.Refusal[1]).orElseThrow();
    }

    private static List<QueueLogLine> connects(String callId) {
        return cluster.queueLog(callId).stream().filter(line -> "CONNECT".equals(line.event())).toList();
    }

    private static List<String> events(String callId) {
        return cluster.queueLog(callId).stream().map(QueueLogLine::event).toList();
    }
}
