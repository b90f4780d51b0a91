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
 * A woken device dialling {@code join*<token>} (issue 15): a valid token of the calling user joins the parked
 * caller's room once (tones both ways through the room's mixer, JOINED, CONNECT marked as a callback, a record);
 * the same token again, a second agent after the first joined, a forged, an expired token and another user's token
 * hear a short prompt as early media (183), then get 603 Decline, and join nothing.
 */
class JoinTokenIT {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    static final Duration AUDIO = Duration.ofSeconds(20);
    static final byte[] SECRET = QueueNodes.SECRET.getBytes(StandardCharsets.UTF_8);

    static TestNode n1;

    @BeforeAll
    static void nodes() {
        n1 = QueueNodes.node(redis, "j1");
    }

    @AfterAll
    static void stop() {
        n1.close();
    }

    static QueueDefinition parking(String number) {
        return QueueNodes.queue(number, Strategy.LONGEST_IDLE, 15, 1, 0, 0, List.of("1079"))
                .withPark(new QueueDefinition.Park(true, true, false, 0, 120));
    }

    static List<RoomEvent> roomEvents(String callId, RoomEvent.Kind kind) {
        return n1.bean(Redis.class).commands().xrange(Keys.roomEvents("demo"), Range.create("-", "+")).stream()
                .map(StreamMessage::getBody).map(RoomEvent::of)
                .filter(e -> e.callId().equals(callId) && e.kind() == kind).toList();
    }

    static List<Map<String, String>> queueLog(String callId) {
        return n1.bean(Redis.class).commands().xrange(Keys.queueLog("demo"), Range.create("-", "+")).stream()
                .map(StreamMessage::getBody).filter(b -> callId.equals(b.get("callid"))).toList();
    }

    static Map<String, String> cdr(String callId) {
        return n1.bean(Redis.class).commands().xrange(Keys.cdr("demo"), Range.create("-", "+")).stream()
                .map(StreamMessage::getBody).filter(b -> callId.equals(b.get("callId"))).findFirst().orElse(Map.of());
    }

    static String parkedRoom(String callId) {
        Await.until("the room's PARKED event", AUDIO, () -> !roomEvents(callId, RoomEvent.Kind.PARKED).isEmpty());
        return roomEvents(callId, RoomEvent.Kind.PARKED).get(0).room();
    }

    static double joins(String outcome) {
        Counter counter = n1.bean(MeterRegistry.class).find("tandem.conference.joins").tag("outcome", outcome)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    static String token(String room, String user, long expiresAt, byte[] secret) {
        return JoinToken.create("demo", room, user, expiresAt).sign(secret);
    }

    /** {@code phone} dials {@code join*<wire>} and is declined with 603; the outcome counted is {@code outcome}. */
    static void declined(QueuePhone phone, String wire, String outcome) throws InterruptedException {
        double before = joins(outcome);
        Call call = phone.dial(n1, "join*" + wire);
        phone.awaitState(call, CallState.EARLY_MEDIA);
        phone.awaitState(call, CallState.ENDED);
        assertThat(call.endStatus()).as("join refused (" + outcome + ")").isEqualTo(603);
        assertThat(phone.ear(call).soundFrames()).as("the refusal's prompt, heard as early media").isGreaterThan(10);
        assertThat(joins(outcome)).isEqualTo(before + 1);
    }

    @Test
    void aTokenJoinsTheRoomOnceAndASecondAgentIsToldAnotherTookTheCall() throws Exception {
        n1.bean(Queues.class).save("demo", parking("7400"), false);
        try (QueuePhone caller = QueuePhone.caller("1070", 1000, 440);
             QueuePhone agent = QueuePhone.caller("1071", 440, 1000);
             QueuePhone late = QueuePhone.caller("1072", 440, 1000)) {
            Call call = caller.dial(n1, "7400");
            caller.awaitState(call, CallState.CONNECTED);
            String room = parkedRoom(call.id());
            long expiresAt = System.currentTimeMillis() + 60_000;
            String wire = token(room, "1071", expiresAt, SECRET);
            assertThat(wire).matches("[A-Za-z0-9_.-]+"); // dialable: RFC 3261 §25.1 unreserved

            Call joined = agent.dial(n1, "join*" + wire);
            agent.awaitState(joined, CallState.CONNECTED);
            long before = caller.ear(call).toneFrames();
            Await.until("the agent hears the caller's 1 kHz", AUDIO, () -> agent.ear(joined).toneFrames() > 25);
            Await.until("the caller hears the agent's 440 Hz", AUDIO,
                    () -> caller.ear(call).toneFrames() > before + 25);
            assertThat(roomEvents(call.id(), RoomEvent.Kind.JOINED)).singleElement()
                    .satisfies(e -> assertThat(e.agent()).isEqualTo("1071"));
            assertThat(queueLog(call.id()).stream().map(e -> e.get("event")).toList())
                    .containsSubsequence("ENTERQUEUE", "PARK");

            declined(agent, wire, "token-used"); // the same token again
            declined(late, token(room, "1072", expiresAt, SECRET), "taken");
            Await.until("the late join's REFUSED event", AUDIO, () -> roomEvents(call.id(), RoomEvent.Kind.REFUSED)
                    .stream().anyMatch(e -> e.agent().equals("1072") && e.reason().equals("taken")));

            joined.hangup();
            caller.awaitState(call, CallState.ENDED);
            Await.until("the room's CLOSED event", AUDIO, () -> !roomEvents(call.id(), RoomEvent.Kind.CLOSED).isEmpty());
            Await.until("the call's record", Duration.ofSeconds(30), () -> !cdr(call.id()).isEmpty());
            assertThat(cdr(call.id())).containsEntry("queue", "7400").containsEntry("agent", "1071")
                    .containsEntry("hungUpBy", "callee");
        }
    }

    /** App users may call service numbers only (routing.CallAdmission): a room's join number is one. */
    @Test
    void anAppUserMayDialTheJoinNumberOfItsOwnToken() throws Exception {
        n1.bean(Queues.class).save("demo", parking("7402"), false);
        try (QueuePhone caller = QueuePhone.caller("1076", 1000, 440);
             QueuePhone app = QueuePhone.caller("2001", 440, 1000)) {
            Call call = caller.dial(n1, "7402");
            caller.awaitState(call, CallState.CONNECTED);
            String room = parkedRoom(call.id());
            Call joined = app.dial(n1, "join*" + token(room, "2001", System.currentTimeMillis() + 60_000, SECRET));
            app.awaitState(joined, CallState.CONNECTED);
            assertThat(roomEvents(call.id(), RoomEvent.Kind.JOINED)).singleElement()
                    .satisfies(e -> assertThat(e.agent()).isEqualTo("2001"));
            Await.until("the app user hears the caller's 1 kHz", AUDIO, () -> app.ear(joined).toneFrames() > 25);
            call.hangup();
            app.awaitState(joined, CallState.ENDED);
        }
    }

    @Test
    void forgedExpiredAndAnotherUsersTokensJoinNothing() throws Exception {
        n1.bean(Queues.class).save("demo", parking("7401"), false);
        try (QueuePhone caller = QueuePhone.caller("1073", 1000, 440);
             QueuePhone agent = QueuePhone.caller("1074", 440, 1000)) {
            Call call = caller.dial(n1, "7401");
            caller.awaitState(call, CallState.CONNECTED);
            String room = parkedRoom(call.id());
            long expiresAt = System.currentTimeMillis() + 60_000;

            declined(agent, token(room, "1074", expiresAt, "not-the-cluster-secret-0123456789".getBytes(
                    StandardCharsets.UTF_8)), "forged");
            declined(agent, token(room, "1074", System.currentTimeMillis() - 1_000, SECRET), "expired");
            declined(agent, token(room, "1075", expiresAt, SECRET), "wrong-user");
            Await.until("the wrong user's REFUSED event", AUDIO, () -> roomEvents(call.id(), RoomEvent.Kind.REFUSED)
                    .stream().anyMatch(e -> e.agent().equals("1074") && e.reason().equals("wrong-user")));

            assertThat(roomEvents(call.id(), RoomEvent.Kind.JOINED)).isEmpty();
            assertThat(n1.bean(Redis.class).commands().hget(Keys.room("demo", room), "state")).isEqualTo("parked");
            assertThat(call.state()).isEqualTo(CallState.CONNECTED);
            call.hangup();
            caller.awaitState(call, CallState.ENDED);
        }
    }
}
