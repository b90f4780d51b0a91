package io.tandem.backend.queuecall;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tandem.backend.TestNode;
import io.tandem.backend.acd.queues.QueueDefinition;
import io.tandem.backend.acd.queues.Queues;
import io.tandem.backend.acd.queues.Strategy;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.Redis;
import io.tandem.protocol.callback.JoinToken;
import io.tandem.protocol.callback.RoomEvent;
import io.tandem.telephony.testing.Await;
import io.tandem.telephony.testing.RedisServer;
import io.tandem.telephony.ua.Call;
import io.tandem.telephony.ua.CallState;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A woken agent's phone registered on another node than the parked caller's room dials {@code join*<token>} there
 * (issue 15): the node verifies the token, finds the room's node alive and bridges the INVITE over the signed trunk,
 * where the room's node admits it as its own (tones both ways, JOINED); the same token again is refused by the room's
 * node (single use), and a room whose node is not alive gets the clear 404 naming it.
 */
class JoinOverTrunkIT {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    static final Duration AUDIO = Duration.ofSeconds(20);
    static final byte[] SECRET = QueueNodes.SECRET.getBytes(StandardCharsets.UTF_8);

    static TestNode roomNode;
    static TestNode phoneNode;

    @BeforeAll
    static void nodes() {
        roomNode = QueueNodes.node(redis, "jt1");
        phoneNode = QueueNodes.node(redis, "jt2");
    }

    @AfterAll
    static void stop() {
        phoneNode.close();
        roomNode.close();
    }

    static List<RoomEvent> roomEvents(String callId, RoomEvent.Kind kind) {
        return roomNode.bean(Redis.class).commands().xrange(Keys.roomEvents("demo"), Range.create("-", "+")).stream()
                .map(StreamMessage::getBody).map(RoomEvent::of)
                .filter(e -> e.callId().equals(callId) && e.kind() == kind).toList();
    }

    static String parkedRoom(String callId) {
        Await.until("the room's PARKED event", AUDIO, () -> !roomEvents(callId, RoomEvent.Kind.PARKED).isEmpty());
        return roomEvents(callId, RoomEvent.Kind.PARKED).get(0).room();
    }

    static double joins(TestNode node, String outcome) {
        Counter counter = node.bean(MeterRegistry.class).find("tandem.conference.joins").tag("outcome", outcome)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    static String token(String room, String user) {
        return JoinToken.create("demo", room, user, System.currentTimeMillis() + 60_000).sign(SECRET);
    }

    @Test
    void aJoinDialledOnAnotherNodeCrossesTheTrunkToTheRoomOnce() throws Exception {
        roomNode.bean(Queues.class).save("demo", QueueNodes.queue("7420", Strategy.LONGEST_IDLE, 15, 1, 0, 0,
                List.of("1079")).withPark(new QueueDefinition.Park(true, true, false, 0, 120)), false);
        try (QueuePhone caller = QueuePhone.caller("1061", 1000, 440);
             QueuePhone agent = QueuePhone.agent(phoneNode, "1062", 440, 1000)) {
            Call call = caller.dial(roomNode, "7420");
            caller.awaitState(call, CallState.CONNECTED);
            String room = parkedRoom(call.id());
            String wire = token(room, "1062");

            Call joined = agent.dial(phoneNode, "join*" + wire);
            agent.awaitState(joined, CallState.CONNECTED);
            long before = caller.ear(call).toneFrames();
            Await.until("the agent on the other node hears the caller's 1 kHz", AUDIO,
                    () -> agent.ear(joined).toneFrames() > 25);
            Await.until("the caller hears the agent's 440 Hz over the trunk", AUDIO,
                    () -> caller.ear(call).toneFrames() > before + 25);
            assertThat(roomEvents(call.id(), RoomEvent.Kind.JOINED)).singleElement()
                    .satisfies(e -> assertThat(e.agent()).isEqualTo("1062"));
            assertThat(joins(roomNode, "admitted")).isEqualTo(1);

            // the same token again: the room's node checks its single use and refuses it
            Call again = agent.dial(phoneNode, "join*" + wire);
            agent.awaitState(again, CallState.ENDED);
            assertThat(again.endStatus()).as("a used token is refused").isEqualTo(603);
            assertThat(joins(roomNode, "token-used")).isEqualTo(1);
            assertThat(roomEvents(call.id(), RoomEvent.Kind.JOINED)).hasSize(1);

            joined.hangup();
            caller.awaitState(call, CallState.ENDED);

            // the phone's node only forwarded the join: its record names the room's queue and the agent, and no
            // record anywhere carries the token (a credential), used or refused
            Await.until("the forwarding node's record of the join", AUDIO, () -> !cdr(joined.id()).isEmpty());
            assertThat(cdr(joined.id())).containsEntry("from", "1062").containsEntry("to", "7420")
                    .containsEntry("queue", "7420").containsEntry("agent", "1062")
                    .containsEntry("nodes", "jt2,jt1").containsEntry("endCause", "normal");
            Await.until("the record of the refused second join", AUDIO, () -> !cdr(again.id()).isEmpty());
            assertThat(cdr(again.id())).containsEntry("to", "7420").containsEntry("agent", "1062");
            assertThat(phoneNode.bean(Redis.class).commands().xrange(Keys.cdr("demo"), Range.create("-", "+")))
                    .flatExtracting(m -> List.copyOf(m.getBody().values()))
                    .noneMatch(value -> value.contains(wire) || value.startsWith("join*"));
        }
    }

    static Map<String, String> cdr(String callId) {
        return phoneNode.bean(Redis.class).commands().xrange(Keys.cdr("demo"), Range.create("-", "+")).stream()
                .map(StreamMessage::getBody).filter(b -> callId.equals(b.get("callId"))).findFirst().orElse(Map.of());
    }

    @Test
    void aRoomWhoseNodeIsNotAliveIsRefusedNamingIt() throws Exception {
        // a room hash left by a node whose heartbeat is gone
        roomNode.bean(Redis.class).commands().hset(Keys.room("demo", "rm-gone"), Map.of("node", "jt9",
                "state", "parked"));
        try (QueuePhone agent = QueuePhone.agent(phoneNode, "1063", 440, 1000)) {
            double before = joins(phoneNode, "other-node");
            Call call = agent.dial(phoneNode, "join*" + token("rm-gone", "1063"));
            agent.awaitState(call, CallState.ENDED);
            assertThat(call.endStatus()).isEqualTo(404);
            assertThat(joins(phoneNode, "other-node")).isEqualTo(before + 1);
        }
    }
}
