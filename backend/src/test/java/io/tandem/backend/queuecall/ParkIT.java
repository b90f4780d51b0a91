package io.tandem.backend.queuecall;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.tandem.backend.TestNode;
import io.tandem.backend.acd.agents.AgentSessions;
import io.tandem.backend.acd.dispatch.Callers;
import io.tandem.backend.acd.dispatch.Claims;
import io.tandem.backend.acd.queues.QueueDefinition;
import io.tandem.backend.acd.queues.Queues;
import io.tandem.backend.acd.queues.Strategy;
import io.tandem.backend.conference.Rooms;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.Redis;
import io.tandem.protocol.AgentState;
import io.tandem.protocol.AgentStatus;
import io.tandem.protocol.callback.RoomEvent;
import io.tandem.telephony.testing.Await;
import io.tandem.telephony.testing.RedisServer;
import io.tandem.telephony.ua.Call;
import io.tandem.telephony.ua.CallState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Parking a queue caller in a room on its node (issue 15): a caller nobody is available for leaves the queue (PARK)
 * into a room, hears music, and the callback service hears PARKED with its place; hanging up while parked is an
 * abandon (ABANDONED, ABANDON, a record); nobody joining within the park timeout ends in "we will call you back",
 * a BYE and CLOSED with the reason {@code timeout}.
 */
class ParkIT {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    static final Duration AUDIO = Duration.ofSeconds(20);

    static TestNode n1;

    @BeforeAll
    static void nodes() {
        n1 = QueueNodes.node(redis, "p1");
    }

    @AfterAll
    static void stop() {
        n1.close();
    }

    static QueueDefinition parking(String number, int timeoutSeconds) {
        return QueueNodes.queue(number, Strategy.LONGEST_IDLE, 15, 1, 0, 0, List.of("1061"))
                .withPark(new QueueDefinition.Park(true, true, false, 0, timeoutSeconds));
    }

    static List<RoomEvent> roomEvents(String callId) {
        return n1.bean(Redis.class).commands().xrange(Keys.roomEvents("demo"), Range.create("-", "+")).stream()
                .map(StreamMessage::getBody).map(RoomEvent::of).filter(e -> e.callId().equals(callId)).toList();
    }

    static List<String> queueLog(String callId) {
        return n1.bean(Redis.class).commands().xrange(Keys.queueLog("demo"), Range.create("-", "+")).stream()
                .filter(m -> callId.equals(m.getBody().get("callid"))).map(m -> m.getBody().get("event")).toList();
    }

    static Map<String, String> cdr(String callId) {
        return n1.bean(Redis.class).commands().xrange(Keys.cdr("demo"), Range.create("-", "+")).stream()
                .map(StreamMessage::getBody).filter(b -> callId.equals(b.get("callId"))).findFirst().orElse(Map.of());
    }

    static RoomEvent parked(String callId) {
        Await.until("the room's PARKED event", AUDIO,
                () -> roomEvents(callId).stream().anyMatch(e -> e.kind() == RoomEvent.Kind.PARKED));
        return roomEvents(callId).get(0);
    }

    @Test
    void aCallerNobodyCanTakeIsParkedHearsMusicAndHangingUpAbandons() throws Exception {
        n1.bean(Queues.class).save("demo", parking("7200", 60), false);
        try (QueuePhone caller = QueuePhone.caller("1060", 1000, 440)) {
            long before = System.currentTimeMillis();
            Call call = caller.dial(n1, "7200");
            caller.awaitState(call, CallState.CONNECTED);
            RoomEvent parked = parked(call.id());
            assertThat(parked.kind()).isEqualTo(RoomEvent.Kind.PARKED);
            assertThat(parked.queue()).isEqualTo("7200");
            assertThat(parked.node()).isEqualTo("p1");
            assertThat(parked.callerNumber()).isEqualTo("1060");
            assertThat(parked.reason()).isEqualTo("no-agent");
            assertThat(parked.enqueuedAt()).isBetween(before - 1000, parked.at());
            assertThat(queueLog(call.id())).containsSubsequence("ENTERQUEUE", "PARK");
            Map<String, String> room = n1.bean(Redis.class).commands().hgetall(Keys.room("demo", parked.room()));
            assertThat(room).containsEntry("state", "parked").containsEntry("callId", call.id());
            assertThat(n1.bean(Redis.class).commands().smembers(Keys.rooms("demo"))).contains(parked.room());
            assertThat(n1.bean(Rooms.class).find(parked.room())).isPresent();
            Await.until("the parked caller hears its prompt and music", AUDIO,
                    () -> caller.ear(call).soundFrames() > 100);

            call.hangup();
            caller.awaitState(call, CallState.ENDED);
            Await.until("the room's ABANDONED event", AUDIO, () -> roomEvents(call.id()).stream()
                    .anyMatch(e -> e.kind() == RoomEvent.Kind.ABANDONED));
            assertThat(queueLog(call.id())).containsSubsequence("ENTERQUEUE", "PARK", "ABANDON");
            assertThat(n1.bean(Redis.class).commands().hget(Keys.room("demo", parked.room()), "state"))
                    .isEqualTo("closed");
            assertThat(n1.bean(Redis.class).commands().smembers(Keys.rooms("demo"))).doesNotContain(parked.room());
            Await.until("the call's record", Duration.ofSeconds(30), () -> !cdr(call.id()).isEmpty());
            assertThat(cdr(call.id())).containsEntry("queue", "7200").containsEntry("endCause", "abandoned")
                    .containsEntry("hungUpBy", "caller");
            Await.until("node 1 let the call go", Duration.ofSeconds(30),
                    () -> n1.bean(QueueCalls.class).activeCalls() == 0 && n1.bean(Rooms.class).size() == 0);
        }
    }

    @Test
    void nobodyJoiningWithinTheParkTimeoutEndsInAGoodbyeAndCloseForATicket() throws Exception {
        n1.bean(Queues.class).save("demo", parking("7201", 3), false);
        try (QueuePhone caller = QueuePhone.caller("1062", 1000, 440)) {
            Call call = caller.dial(n1, "7201");
            caller.awaitState(call, CallState.CONNECTED);
            RoomEvent parked = parked(call.id());
            Await.until("the room's CLOSED event", AUDIO, () -> roomEvents(call.id()).stream()
                    .anyMatch(e -> e.kind() == RoomEvent.Kind.CLOSED));
            long heardAtClose = caller.ear(call).soundFrames();
            caller.awaitState(call, CallState.ENDED);
            assertThat(caller.ear(call).soundFrames()).as("the goodbye is heard before the BYE")
                    .isGreaterThan(heardAtClose + 25);
            RoomEvent closed = roomEvents(call.id()).get(roomEvents(call.id()).size() - 1);
            assertThat(closed.kind()).isEqualTo(RoomEvent.Kind.CLOSED);
            assertThat(closed.reason()).isEqualTo("timeout");
            assertThat(closed.room()).isEqualTo(parked.room());
            assertThat(closed.enqueuedAt()).isEqualTo(parked.enqueuedAt());
            assertThat(queueLog(call.id())).containsSubsequence("ENTERQUEUE", "PARK").doesNotContain("ABANDON");
            Await.until("the call's record", Duration.ofSeconds(30), () -> !cdr(call.id()).isEmpty());
            assertThat(cdr(call.id())).containsEntry("endCause", "park-timeout").containsEntry("hungUpBy", "system");
        }
    }

    /**
     * The bug of issue 15's end-to-end tests: an agent available in the ACD whose app sleeps without a SIP binding
     * (REGISTER expires 0) is claimed for the caller; the offer cannot reach it. It leaves the available set at once
     * (not-ready {@code unreachable}) and, nobody else being available, the caller of the parking queue is parked.
     */
    @Test
    void anOfferToAnAgentWithoutABindingTakesItOutAndParksTheCaller() throws Exception {
        QueueDefinition queue = QueueNodes.queue("7202", Strategy.LONGEST_IDLE, 15, 1, 0, 0, List.of("1063"))
                .withPark(new QueueDefinition.Park(true, true, false, 0, 60));
        n1.bean(Queues.class).save("demo", queue, false);
        try (AgentDesk desk = AgentDesk.available(n1, "1063");
             QueuePhone caller = QueuePhone.caller("1068", 1000, 440)) {
            Call call = caller.dial(n1, "7202");
            caller.awaitState(call, CallState.CONNECTED);
            RoomEvent parked = parked(call.id());
            assertThat(parked.queue()).isEqualTo("7202");
            assertThat(parked.reason()).isEqualTo("no-agent");
            assertThat(queueLog(call.id())).containsSubsequence("ENTERQUEUE", "RINGNOANSWER", "PARK");
            AgentStatus agent = n1.bean(AgentSessions.class).status("demo", "1063");
            assertThat(agent.state()).isEqualTo(AgentState.NOT_READY);
            assertThat(agent.reason()).isEqualTo("unreachable");
            assertThat(n1.bean(Redis.class).commands().zscore(Keys.availableAgents("demo"), "1063")).isNull();
            call.hangup();
            caller.awaitState(call, CallState.ENDED);
        }
    }

    /** In a queue that does not park, the caller of an unreachable agent keeps waiting, and the agent is not offered. */
    @Test
    void inAQueueThatDoesNotParkTheCallerWaitsAndTheUnreachableAgentIsNotOfferedAgain() throws Exception {
        QueueDefinition queue = QueueNodes.queue("7203", Strategy.LONGEST_IDLE, 15, 0, 0, 0, List.of("1065"));
        n1.bean(Queues.class).save("demo", queue, false);
        try (AgentDesk desk = AgentDesk.available(n1, "1065");
             QueuePhone caller = QueuePhone.caller("1069", 1000, 440)) {
            Call call = caller.dial(n1, "7203");
            caller.awaitState(call, CallState.CONNECTED);
            Await.until("1065 not-ready once its offer could not reach it", AUDIO,
                    () -> n1.bean(AgentSessions.class).status("demo", "1065").state() == AgentState.NOT_READY);
            assertThat(n1.bean(AgentSessions.class).status("demo", "1065").reason()).isEqualTo("unreachable");
            // max misses 0 would have made the agent available again: the next claim would offer it once more
            assertThat(n1.bean(Claims.class).claim("demo", queue, Set.of("p1"))).isEmpty();
            assertThat(n1.bean(Callers.class).find("demo", "7203", call.id())).isPresent();
            assertThat(queueLog(call.id())).containsSubsequence("ENTERQUEUE", "RINGNOANSWER").doesNotContain("PARK");
            assertThat(queueLog(call.id()).stream().filter("RINGNOANSWER"::equals)).hasSize(1);
            assertThat(call.state()).isEqualTo(CallState.CONNECTED);
            call.hangup();
            caller.awaitState(call, CallState.ENDED);
        }
    }
}
