package io.tandem.backend.queuecall;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.tandem.backend.TestNode;
import io.tandem.backend.acd.queues.QueueDefinition;
import io.tandem.backend.acd.queues.Queues;
import io.tandem.backend.acd.queues.Strategy;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.Redis;
import io.tandem.protocol.callback.NodeCommand;
import io.tandem.protocol.callback.RoomEvent;
import io.tandem.telephony.testing.Await;
import io.tandem.telephony.testing.RedisServer;
import io.tandem.telephony.ua.Call;
import io.tandem.telephony.ua.CallState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A parked caller's room in the supervisors' live list and monitored (issue 15): the caller parks on node 1
 * (1000 Hz), the agent's phone is on node 2 (700 Hz) and is called into the room by the node's command, the
 * supervisor's phone is on node 2 too (1300 Hz) and the REST requests go to node 2. Node 1 holds the room's mixer,
 * so it calls the supervisor over the trunk and joins it to the room; tones are checked with Goertzel at each phone.
 */
class RoomMonitorIT {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    private static final Duration AUDIO = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double CALLER = 1000;
    private static final double AGENT = 700;
    private static final double SUPERVISOR = 1300;
    /** Frames a tone may leak while a mode change reaches the media node (one per 20 ms). */
    private static final long LEAK = 3;
    /** Markup in the caller's SIP display name: listed as the text it is. */
    private static final String CALLER_NAME = "<i>Ann</i> & Co";

    static TestNode n1;
    static TestNode n2;

    @BeforeAll
    static void nodes() {
        n1 = QueueNodes.node(redis, "rm1");
        n2 = QueueNodes.node(redis, "rm2");
    }

    @AfterAll
    static void stop() {
        n1.close();
        n2.close();
    }

    private static String calls() {
        return "/api/v1/tenants/demo/calls";
    }

    private static String monitor(String callId) {
        return calls() + "/" + callId + "/monitor";
    }

    private static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + response.body(), e);
        }
    }

    /** The call as node 2's REST API lists it, or null. */
    private static JsonNode live(String callId) {
        HttpResponse<String> list = n2.api().get(calls(), TestNode.ADMIN + "@demo", TestNode.PASSWORD);
        assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
        for (JsonNode call : json(list)) {
            if (callId.equals(call.path("callId").asText())) {
                return call;
            }
        }
        return null;
    }

    private static String liveState(String callId) {
        JsonNode call = live(callId);
        return call == null ? "" : call.path("state").asText();
    }

    private static String parkedRoom(String callId) {
        Await.until("the room's PARKED event", AUDIO, () -> n1.bean(Redis.class).commands()
                .xrange(Keys.roomEvents("demo"), Range.create("-", "+")).stream().map(StreamMessage::getBody)
                .map(RoomEvent::of).anyMatch(e -> e.callId().equals(callId) && e.kind() == RoomEvent.Kind.PARKED));
        return n1.bean(Redis.class).commands().xrange(Keys.roomEvents("demo"), Range.create("-", "+")).stream()
                .map(StreamMessage::getBody).map(RoomEvent::of)
                .filter(e -> e.callId().equals(callId) && e.kind() == RoomEvent.Kind.PARKED).findFirst()
                .orElseThrow().room();
    }

    private static void hears(String who, ToneEar ear, double tone) {
        hears(who, ear, tone, null);
    }

    /** As above; a time-out's message adds {@code detail} (where the audio stopped: the calls' RTP statistics). */
    private static void hears(String who, ToneEar ear, double tone, Supplier<String> detail) {
        long before = ear.heard(tone);
        Await.until(who + " hears " + tone + " Hz", AUDIO, () -> ear.heard(tone) > before + 25, detail);
    }

    /** Waits until {@code ear} has taken 2 s more audio, then checks {@code tone} stayed (nearly) unheard. */
    private static void neverHears(String who, ToneEar ear, double tone) {
        long before = ear.heard(tone);
        long frames = ear.frames();
        Await.until(who + " takes 2 s more audio", AUDIO, () -> ear.frames() > frames + 100);
        assertThat(ear.heard(tone) - before).as(who + " hears " + tone + " Hz").isLessThanOrEqualTo(LEAK);
    }

    @Test
    void aParkedCallerIsListedThenJoinedByAnAgentAndASupervisorListensAndWhispers() throws Exception {
        // the only member is never logged in: the caller is parked at once
        n1.bean(Queues.class).save("demo", QueueNodes.queue("7500", Strategy.LONGEST_IDLE, 15, 1, 0, 0,
                List.of("1079")).withPark(new QueueDefinition.Park(true, true, false, 0, 120)), false);
        ToneEar callerEar = new ToneEar(AGENT, SUPERVISOR);
        ToneEar agentEar = new ToneEar(CALLER, SUPERVISOR);
        ToneEar supervisorEar = new ToneEar(CALLER, AGENT);
        String admin = TestNode.ADMIN + "@demo";
        try (QueuePhone agent = QueuePhone.agent(n2, "1072", AGENT, CALLER);
             QueuePhone supervisor = QueuePhone.agent(n2, "1073", SUPERVISOR, CALLER);
             QueuePhone caller = QueuePhone.caller("1071", CALLER_NAME, CALLER, AGENT)) {
            supervisor.onIncoming(c -> {
                c.setSink(supervisorEar);
                c.answer();
            });
            Call call = caller.dial(n1, "7500");
            call.setSink(callerEar);
            caller.awaitState(call, CallState.CONNECTED);
            String room = parkedRoom(call.id());

            // parked: listed from a node that holds nothing of the call, with nobody to monitor yet
            Await.until("the parked caller is listed live", Duration.ofSeconds(30),
                    () -> "parked".equals(liveState(call.id())));
            JsonNode parked = live(call.id());
            assertThat(parked.path("queue").asText()).isEqualTo("7500");
            assertThat(parked.path("callerNumber").asText()).isEqualTo("1071");
            assertThat(parked.path("callerName").asText()).as("the display name, as text").isEqualTo(CALLER_NAME);
            assertThat(parked.path("callerNode").asText()).isEqualTo("rm1");
            assertThat(parked.has("agentId")).isFalse();
            assertThat(parked.path("answeredAt").asLong()).isZero();
            long parkedAt = parked.path("startedAt").asLong();
            assertThat(parkedAt).isPositive();
            HttpResponse<String> tooEarly = n2.api().post(monitor(call.id()), admin, TestNode.PASSWORD,
                    "{\"mode\":\"listen\",\"extension\":\"1073\"}");
            assertThat(tooEarly.statusCode()).as(tooEarly.body()).isEqualTo(409);
            assertThat(json(tooEarly).path("detail").asText()).contains("parked");

            // the callback service's command calls the agent on node 2 into the room on node 1
            n1.bean(Redis.class).commands().xadd(Keys.nodeCommands("rm1"), new NodeCommand(room + ":1072",
                    NodeCommand.Kind.CALL_INTO_ROOM, "demo", room, "1072", "", System.currentTimeMillis()).fields());
            Call joined = agent.nextIncoming();
            joined.setSink(agentEar);
            joined.answer();
            agent.awaitState(joined, CallState.CONNECTED);
            // Seen once at load 34 (not reproduced): the agent joined across nodes heard nothing for 20 s.
            Supplier<String> media = () -> "agent's call " + joined.statistics() + "; caller's call "
                    + call.statistics();
            hears("the agent", agentEar, CALLER, media);
            hears("the caller", callerEar, AGENT, media);
            Await.until("the room call is listed as a callback", Duration.ofSeconds(30),
                    () -> "callback".equals(liveState(call.id())));
            JsonNode connected = live(call.id());
            assertThat(connected.path("agentId").asText()).isEqualTo("1072");
            assertThat(connected.path("agentNode").asText()).isEqualTo("rm2");
            assertThat(connected.path("callerNode").asText()).isEqualTo("rm1");
            assertThat(connected.path("answeredAt").asLong()).isGreaterThanOrEqualTo(parkedAt);
            assertThat(connected.path("startedAt").asLong()).as("listed since the park").isEqualTo(parkedAt);

            // listen: the supervisor joins the room's mixer and hears both, nobody hears the supervisor
            HttpResponse<String> started = n2.api().post(monitor(call.id()), admin, TestNode.PASSWORD,
                    "{\"mode\":\"listen\",\"extension\":\"1073\"}");
            assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
            Call listening = supervisor.nextIncoming();
            assertThat(listening.inviteHeader("From")).contains("Monitor 7500 agent 1072");
            supervisor.awaitState(listening, CallState.CONNECTED);
            hears("the supervisor", supervisorEar, CALLER);
            hears("the supervisor", supervisorEar, AGENT);
            neverHears("the agent (listen)", agentEar, SUPERVISOR);
            neverHears("the caller (listen)", callerEar, SUPERVISOR);
            Await.until("the list shows the connected monitor", Duration.ofSeconds(30),
                    () -> "connected".equals(live(call.id()).path("monitor").path("state").asText()));

            // whisper: only the agent hears the supervisor
            HttpResponse<String> whisper = n2.api().put(monitor(call.id()), admin, TestNode.PASSWORD,
                    "{\"mode\":\"whisper\"}");
            assertThat(whisper.statusCode()).as(whisper.body()).isEqualTo(200);
            hears("the agent (whisper)", agentEar, SUPERVISOR);
            neverHears("the caller (whisper)", callerEar, SUPERVISOR);
            hears("the agent still", agentEar, CALLER);
            hears("the supervisor still", supervisorEar, CALLER);

            // barge: the caller hears the supervisor too
            assertThat(n2.api().put(monitor(call.id()), admin, TestNode.PASSWORD, "{\"mode\":\"barge\"}")
                    .statusCode()).isEqualTo(200);
            hears("the caller (barge)", callerEar, SUPERVISOR);

            // the caller hangs up: the room ends, the agent and the supervisor get a BYE, the call leaves the list
            call.hangup();
            agent.awaitState(joined, CallState.ENDED);
            supervisor.awaitState(listening, CallState.ENDED);
            Await.until("the room call leaves the live list", Duration.ofSeconds(30), () -> live(call.id()) == null);
            assertThat(n1.bean(Redis.class).commands().hexists(Keys.liveCalls("demo"), call.id())).isFalse();
            assertThat(n1.bean(Redis.class).commands().hexists(Keys.callMonitors("demo"), call.id())).isFalse();
        }
    }

    @Test
    void aParkedCallerTheParkTimeoutSendsAwayLeavesTheList() throws Exception {
        // a park timeout of 2 s: the room closes, the caller hears "we will call you back" and is hung up
        n1.bean(Queues.class).save("demo", QueueNodes.queue("7501", Strategy.LONGEST_IDLE, 15, 1, 0, 0,
                List.of("1079")).withPark(new QueueDefinition.Park(true, true, false, 0, 2)), false);
        try (QueuePhone caller = QueuePhone.caller("1074", CALLER, AGENT)) {
            Call call = caller.dial(n1, "7501");
            caller.awaitState(call, CallState.CONNECTED);
            Await.until("the parked caller is listed live", Duration.ofSeconds(30),
                    () -> "parked".equals(liveState(call.id())));
            Await.until("the closed room leaves the live list", AUDIO, () -> live(call.id()) == null);
            caller.awaitState(call, CallState.ENDED);
        }
    }
}
