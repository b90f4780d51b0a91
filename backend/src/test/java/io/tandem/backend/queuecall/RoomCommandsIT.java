package io.tandem.backend.queuecall;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.micrometer.core.instrument.MeterRegistry;
import io.tandem.backend.TestNode;
import io.tandem.backend.acd.agents.AgentSessions;
import io.tandem.backend.acd.queues.QueueDefinition;
import io.tandem.backend.acd.queues.Queues;
import io.tandem.backend.acd.queues.Strategy;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.Redis;
import io.tandem.protocol.AgentState;
import io.tandem.protocol.callback.NodeCommand;
import io.tandem.protocol.callback.RoomEvent;
import io.tandem.telephony.testing.Await;
import io.tandem.telephony.testing.RedisServer;
import io.tandem.telephony.ua.Call;
import io.tandem.telephony.ua.CallState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The node's command stream for its rooms (issue 15), as the callback service writes it: CALL_INTO_ROOM rings the
 * user's phone, the answer joins the room (JOINED), caller and agent hear each other through the room's mixer, the
 * agent is on call for the queue (CONNECT marked as a callback) and wraps up after; two agents answering: one joins;
 * a command delivered twice is carried out once; CLOSE_ROOM ends the parked call.
 */
class RoomCommandsIT {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    static final Duration AUDIO = Duration.ofSeconds(20);

    static TestNode n1;

    @BeforeAll
    static void nodes() {
        n1 = QueueNodes.node(redis, "r1");
    }

    @AfterAll
    static void stop() {
        n1.close();
    }

    /** A queue whose only member is never logged in: every caller is parked. */
    static QueueDefinition parking(String number) {
        return QueueNodes.queue(number, Strategy.LONGEST_IDLE, 15, 1, 2, 0, List.of("1079"))
                .withPark(new QueueDefinition.Park(true, true, false, 0, 120));
    }

    static List<RoomEvent> roomEvents(String callId) {
        return n1.bean(Redis.class).commands().xrange(Keys.roomEvents("demo"), Range.create("-", "+")).stream()
                .map(StreamMessage::getBody).map(RoomEvent::of).filter(e -> e.callId().equals(callId)).toList();
    }

    static List<RoomEvent> roomEvents(String callId, RoomEvent.Kind kind) {
        return roomEvents(callId).stream().filter(e -> e.kind() == kind).toList();
    }

    static List<Map<String, String>> queueLog(String callId) {
        return n1.bean(Redis.class).commands().xrange(Keys.queueLog("demo"), Range.create("-", "+")).stream()
                .map(StreamMessage::getBody).filter(b -> callId.equals(b.get("callid"))).toList();
    }

    static Map<String, String> cdr(String callId) {
        return n1.bean(Redis.class).commands().xrange(Keys.cdr("demo"), Range.create("-", "+")).stream()
                .map(StreamMessage::getBody).filter(b -> callId.equals(b.get("callId"))).findFirst().orElse(Map.of());
    }

    static AgentState state(String agent) {
        return n1.bean(AgentSessions.class).status("demo", agent).state();
    }

    static String parkedRoom(String callId) {
        Await.until("the room's PARKED event", AUDIO, () -> !roomEvents(callId, RoomEvent.Kind.PARKED).isEmpty());
        return roomEvents(callId, RoomEvent.Kind.PARKED).get(0).room();
    }

    static void command(String id, NodeCommand.Kind kind, String room, String user, String reason) {
        n1.bean(Redis.class).commands().xadd(Keys.nodeCommands("r1"),
                new NodeCommand(id, kind, "demo", room, user, reason, System.currentTimeMillis()).fields());
    }

    static double commands(String outcome) {
        return n1.bean(MeterRegistry.class).get("tandem.conference.commands").tag("outcome", outcome).counter()
                .count();
    }

    @Test
    void anAgentCalledIntoTheRoomTalksWithTheCallerIsOnCallAndWrapsUpAfter() throws Exception {
        n1.bean(Queues.class).save("demo", parking("7300"), false);
        try (QueuePhone agent = QueuePhone.agent(n1, "1064", 440, 1000);
             AgentDesk desk = AgentDesk.available(n1, "1064");
             QueuePhone caller = QueuePhone.caller("1065", 1000, 440)) {
            desk.state("not-ready"); // asleep: not offered queue calls, woken for this one
            Call call = caller.dial(n1, "7300");
            caller.awaitState(call, CallState.CONNECTED);
            String room = parkedRoom(call.id());

            command(room + ":1064", NodeCommand.Kind.CALL_INTO_ROOM, room, "1064", ""); // the service's id
            Call ringing = agent.nextIncoming();
            assertThat(ringing.inviteHeader("P-Asserted-Identity")).contains("sip:1065@");
            ringing.answer();
            agent.awaitState(ringing, CallState.CONNECTED);
            long before = caller.ear(call).toneFrames();
            Await.until("the agent hears the caller's 1 kHz", AUDIO, () -> agent.ear(ringing).toneFrames() > 25);
            Await.until("the caller hears the agent's 440 Hz", AUDIO,
                    () -> caller.ear(call).toneFrames() > before + 25);

            assertThat(roomEvents(call.id(), RoomEvent.Kind.JOINED)).singleElement()
                    .satisfies(e -> assertThat(e.agent()).isEqualTo("1064"));
            assertThat(n1.bean(Redis.class).commands().hget(Keys.room("demo", room), "state")).isEqualTo("connected");
            assertThat(state("1064")).isEqualTo(AgentState.ON_CALL);
            assertThat(queueLog(call.id())).filteredOn(e -> "CONNECT".equals(e.get("event"))).singleElement()
                    .satisfies(e -> assertThat(e).containsEntry("agent", "1064").containsEntry("data2", "callback"));

            ringing.hangup();
            caller.awaitState(call, CallState.ENDED);
            Await.until("1064 wraps up after the call", Duration.ofSeconds(30),
                    () -> state("1064") == AgentState.WRAP_UP || state("1064") == AgentState.AVAILABLE);
            Await.until("the room's CLOSED event", AUDIO, () -> !roomEvents(call.id(), RoomEvent.Kind.CLOSED).isEmpty());
            assertThat(queueLog(call.id()).stream().map(e -> e.get("event")).toList())
                    .containsSubsequence("ENTERQUEUE", "PARK", "CONNECT", "COMPLETEAGENT");
            Await.until("the call's record", Duration.ofSeconds(30), () -> !cdr(call.id()).isEmpty());
            assertThat(cdr(call.id())).containsEntry("queue", "7300").containsEntry("agent", "1064")
                    .containsEntry("hungUpBy", "callee").containsEntry("endCause", "normal");
            Await.until("1064 available after wrap-up", Duration.ofSeconds(30),
                    () -> state("1064") == AgentState.AVAILABLE);
            desk.state("not-ready");
        }
    }

    @Test
    void aLoggedOutMemberWokenAndCalledInIsLoggedInOnTheCall() throws Exception {
        n1.bean(Queues.class).save("demo", QueueNodes.queue("7303", Strategy.LONGEST_IDLE, 15, 1, 2, 0,
                List.of("1077")).withPark(new QueueDefinition.Park(true, true, false, 0, 120)), false);
        try (QueuePhone agent = QueuePhone.agent(n1, "1077", 440, 1000);
             QueuePhone caller = QueuePhone.caller("1078", 1000, 440)) {
            assertThat(state("1077")).isEqualTo(AgentState.LOGGED_OUT);
            Call call = caller.dial(n1, "7303");
            caller.awaitState(call, CallState.CONNECTED);
            String room = parkedRoom(call.id());
            command("cmd-wake-1077", NodeCommand.Kind.CALL_INTO_ROOM, room, "1077", "");
            Call ringing = agent.nextIncoming();
            ringing.answer();
            agent.awaitState(ringing, CallState.CONNECTED);
            Await.until("1077 on the call", AUDIO, () -> state("1077") == AgentState.ON_CALL);
            assertThat(queueLog(call.id())).filteredOn(e -> "CONNECT".equals(e.get("event"))).singleElement()
                    .satisfies(e -> assertThat(e).containsEntry("agent", "1077").containsEntry("data2", "callback"));
            ringing.hangup();
            caller.awaitState(call, CallState.ENDED);
            Await.until("1077 wraps up after the call", Duration.ofSeconds(30),
                    () -> state("1077") == AgentState.WRAP_UP || state("1077") == AgentState.AVAILABLE);
        }
    }

    @Test
    void twoAgentsCalledInAndBothAnsweringOneJoinsAndACommandDeliveredTwiceRingsOnce() throws Exception {
        n1.bean(Queues.class).save("demo", parking("7301"), false);
        try (QueuePhone first = QueuePhone.agent(n1, "1066", 440, 1000);
             QueuePhone second = QueuePhone.agent(n1, "1067", 440, 1000);
             QueuePhone caller = QueuePhone.caller("1068", 1000, 440)) {
            Call call = caller.dial(n1, "7301");
            caller.awaitState(call, CallState.CONNECTED);
            String room = parkedRoom(call.id());

            double duplicatesBefore = commands("duplicate");
            command(room + ":1066", NodeCommand.Kind.CALL_INTO_ROOM, room, "1066", "");
            Call a = first.nextIncoming();
            command(room + ":1066", NodeCommand.Kind.CALL_INTO_ROOM, room, "1066", "");
            Await.until("the second delivery is recognised", AUDIO,
                    () -> commands("duplicate") == duplicatesBefore + 1);
            command(room + ":1067", NodeCommand.Kind.CALL_INTO_ROOM, room, "1067", "");
            Call b = second.nextIncoming();
            // the commands are carried out in order: had the duplicate rung 1066 again, it would have rung first
            assertThat(first.incoming).as("1066 rang once").isEmpty();

            CountDownLatch go = new CountDownLatch(1);
            List<Thread> answering = new ArrayList<>();
            for (Call ringing : List.of(a, b)) {
                Thread t = new Thread(() -> {
                    try {
                        go.await();
                        ringing.answer();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                t.start();
                answering.add(t);
            }
            go.countDown();
            for (Thread t : answering) {
                t.join();
            }
            Await.until("one agent in the room, the other let go", AUDIO,
                    () -> (a.state() == CallState.CONNECTED && b.state() == CallState.ENDED)
                            || (b.state() == CallState.CONNECTED && a.state() == CallState.ENDED));
            Call won = a.state() == CallState.CONNECTED ? a : b;
            String winner = won == a ? "1066" : "1067";
            String loser = won == a ? "1067" : "1066";
            QueuePhone winnerPhone = won == a ? first : second;
            Await.until("the winner hears the caller", AUDIO, () -> winnerPhone.ear(won).toneFrames() > 25);
            assertThat(roomEvents(call.id(), RoomEvent.Kind.JOINED)).singleElement()
                    .satisfies(e -> assertThat(e.agent()).isEqualTo(winner));
            assertThat(roomEvents(call.id(), RoomEvent.Kind.REFUSED))
                    .allSatisfy(e -> assertThat(e.agent()).isEqualTo(loser));
            call.hangup();
            winnerPhone.awaitState(won, CallState.ENDED);
            Await.until("the room's CLOSED event", AUDIO, () -> !roomEvents(call.id(), RoomEvent.Kind.CLOSED).isEmpty());
        }
    }

    @Test
    void closeRoomTellsTheParkedCallerAndHangsUp() throws Exception {
        n1.bean(Queues.class).save("demo", parking("7302"), false);
        try (QueuePhone caller = QueuePhone.caller("1069", 1000, 440)) {
            Call call = caller.dial(n1, "7302");
            caller.awaitState(call, CallState.CONNECTED);
            String room = parkedRoom(call.id());
            command("cmd-close-7302", NodeCommand.Kind.CLOSE_ROOM, room, "", "timeout");
            caller.awaitState(call, CallState.ENDED);
            assertThat(roomEvents(call.id(), RoomEvent.Kind.CLOSED)).singleElement()
                    .satisfies(e -> assertThat(e.reason()).isEqualTo("timeout"));
            assertThat(n1.bean(Redis.class).commands().hget(Keys.room("demo", room), "state")).isEqualTo("closed");
        }
    }
}
