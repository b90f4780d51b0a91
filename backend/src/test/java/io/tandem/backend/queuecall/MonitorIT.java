package io.tandem.backend.queuecall;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.Range;
import io.tandem.backend.TestNode;
import io.tandem.backend.acd.WsClient;
import io.tandem.backend.acd.queues.Queues;
import io.tandem.backend.acd.queues.Strategy;
import io.tandem.backend.directory.Directory;
import io.tandem.backend.directory.Role;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.Redis;
import io.tandem.protocol.ApiPaths;
import io.tandem.protocol.Envelope;
import io.tandem.protocol.LiveCall;
import io.tandem.telephony.media.SineSource;
import io.tandem.telephony.testing.Await;
import io.tandem.telephony.testing.RedisServer;
import io.tandem.telephony.ua.Call;
import io.tandem.telephony.ua.CallState;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Supervisor listen / whisper / barge on three nodes: the caller on node 1 (1000 Hz), the agent's phone on node 2
 * (700 Hz), the supervisor's phone on node 3 (1300 Hz), the REST requests sent to node 2. Node 1 holds the call's
 * media, so it calls the supervisor over the trunk and mixes it in; tones are checked with Goertzel at each phone.
 * Also: the live-calls list, roles and bad requests, and DTMF across the connected bridge.
 */
class MonitorIT {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    private static final Duration AUDIO = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double CALLER = 1000;
    private static final double AGENT = 700;
    private static final double SUPERVISOR = 1300;
    /** The agent's tone once a monitor is known removed: what the caller hears with it was mixed after the removal. */
    private static final double AGENT_LATER = 1600;
    /** Frames a tone may leak while a mode change reaches the media node (one per 20 ms). */
    private static final long LEAK = 3;

    static TestNode n1;
    static TestNode n2;
    static TestNode n3;

    @BeforeAll
    static void nodes() {
        n1 = QueueNodes.node(redis, "m1");
        n2 = QueueNodes.node(redis, "m2");
        n3 = QueueNodes.node(redis, "m3");
    }

    @AfterAll
    static void stop() {
        n1.close();
        n2.close();
        n3.close();
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
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("not JSON: " + response.body(), e);
        }
    }

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

    private static List<String> monitorEvents(String callId) {
        return n1.bean(Redis.class).commands().xrange(Keys.events("demo"), Range.create("-", "+")).stream()
                .filter(m -> callId.equals(m.getBody().get("callId")))
                .map(m -> m.getBody().get("kind")).filter(k -> k.startsWith("monitor.")).toList();
    }

    /** Waits until {@code ear} has taken 2 s more audio, then checks {@code tone} stayed (nearly) unheard. */
    private static void neverHears(String who, ToneEar ear, double tone) throws InterruptedException {
        long before = ear.heard(tone);
        long frames = ear.frames();
        Await.until(who + " takes 2 s more audio", AUDIO, () -> ear.frames() > frames + 100);
        assertThat(ear.heard(tone) - before).as(who + " hears " + tone + " Hz").isLessThanOrEqualTo(LEAK);
    }

    private static boolean monitorEvent(Envelope envelope, String kind) {
        return "event".equals(envelope.type()) && kind.equals(envelope.payload().path("kind").asText());
    }

    private static void hears(String who, ToneEar ear, double tone) {
        long before = ear.heard(tone);
        Await.until(who + " hears " + tone + " Hz", AUDIO, () -> ear.heard(tone) > before + 25);
    }

    @Test
    void aSupervisorOnNode3ListensWhispersAndBargesIntoACallBridgedOnNode1() throws Exception {
        n1.bean(Queues.class).save("demo", QueueNodes.queue("7200", Strategy.LONGEST_IDLE, 15, 1, 0, 3,
                List.of("1022")), false);
        n1.bean(Directory.class).create("other", "boss", "Boss", Set.of(Role.ADMIN), TestNode.PASSWORD, Map.of());
        ToneEar callerEar = new ToneEar(AGENT, SUPERVISOR, AGENT_LATER);
        ToneEar agentEar = new ToneEar(CALLER, SUPERVISOR);
        ToneEar supervisorEar = new ToneEar(CALLER, AGENT);
        try (QueuePhone agent = QueuePhone.agent(n2, "1022", AGENT, CALLER);
             AgentDesk desk = AgentDesk.available(n2, "1022");
             QueuePhone supervisor = QueuePhone.agent(n3, "1030", SUPERVISOR, CALLER);
             QueuePhone caller = QueuePhone.caller("1021", CALLER, AGENT)) {
            supervisor.onIncoming(c -> {
                c.setSink(supervisorEar);
                c.answer();
            });
            Call call = caller.dial(n1, "7200");
            call.setSink(callerEar);
            caller.awaitState(call, CallState.CONNECTED);
            Call ringing = agent.nextIncoming();
            ringing.setSink(agentEar);
            ringing.answer();
            agent.awaitState(ringing, CallState.CONNECTED);
            hears("the agent", agentEar, CALLER);
            hears("the caller", callerEar, AGENT);

            // the live list, from a node that holds neither party
            Await.until("the call is listed live", Duration.ofSeconds(30), () -> live(call.id()) != null);
            JsonNode listed = live(call.id());
            assertThat(listed.path("queue").asText()).isEqualTo("7200");
            assertThat(listed.path("callerNumber").asText()).isEqualTo("1021");
            assertThat(listed.path("agentId").asText()).isEqualTo("1022");
            assertThat(listed.path("callerNode").asText()).isEqualTo("m1");
            assertThat(listed.path("agentNode").asText()).isEqualTo("m2");
            assertThat(listed.path("answeredAt").asLong()).isPositive();
            assertThat(listed.has("monitor")).isFalse();
            n1.bean(LiveCalls.class).put("demo", LiveCall.connected("ghost-call", "7200", "1099", "", "1098",
                    "gone-node", "gone-node", 1));
            assertThat(live("ghost-call")).as("a call whose media node is not alive").isNull();
            assertThat(n1.bean(Redis.class).commands().hexists(Keys.liveCalls("demo"), "ghost-call"))
                    .as("pruned by the reader").isFalse();

            // roles and bad requests
            assertThat(n2.api().get(calls(), "1022@demo", TestNode.PASSWORD).statusCode()).isEqualTo(403);
            assertThat(n2.api().get(calls(), "boss@other", TestNode.PASSWORD).statusCode()).isEqualTo(403);
            assertThat(n2.api().post(monitor(call.id()), "1022@demo", TestNode.PASSWORD,
                    "{\"mode\":\"listen\",\"extension\":\"1030\"}").statusCode()).isEqualTo(403);
            String admin = TestNode.ADMIN + "@demo";
            HttpResponse<String> badMode = n2.api().post(monitor(call.id()), admin, TestNode.PASSWORD,
                    "{\"mode\":\"spy\",\"extension\":\"1030\"}");
            assertThat(badMode.statusCode()).isEqualTo(400);
            assertThat(json(badMode).path("errors").get(0).path("field").asText()).isEqualTo("mode");
            HttpResponse<String> badExtension = n2.api().post(monitor(call.id()), admin, TestNode.PASSWORD,
                    "{\"mode\":\"listen\",\"extension\":\"9999\"}");
            assertThat(badExtension.statusCode()).isEqualTo(400);
            assertThat(json(badExtension).path("errors").get(0).path("field").asText()).isEqualTo("extension");
            assertThat(n2.api().post(monitor("no-such-call"), admin, TestNode.PASSWORD,
                    "{\"mode\":\"listen\",\"extension\":\"1030\"}").statusCode()).isEqualTo(404);
            HttpResponse<String> unregistered = n2.api().post(monitor(call.id()), admin, TestNode.PASSWORD,
                    "{\"mode\":\"listen\"}"); // the admin's own extension has no phone
            assertThat(unregistered.statusCode()).isEqualTo(409);
            assertThat(json(unregistered).path("detail").asText()).contains("not").contains("registered");
            assertThat(n2.api().put(monitor(call.id()), admin, TestNode.PASSWORD, "{\"mode\":\"barge\"}")
                    .statusCode()).as("no monitor to change yet").isEqualTo(404);

            // listen: the supervisor hears both, nobody hears the supervisor (events on /ws/supervisor of node 3)
            WsClient events = WsClient.connect(n3.port(), ApiPaths.WS_SUPERVISOR, "Basic " + java.util.Base64
                    .getEncoder().encodeToString((admin + ":" + TestNode.PASSWORD).getBytes()));
            long asked = System.nanoTime();
            HttpResponse<String> started = n2.api().post(monitor(call.id()), admin, TestNode.PASSWORD,
                    "{\"mode\":\"listen\",\"extension\":\"1030\"}");
            assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
            String monitorId = json(started).path("monitorId").asText();
            assertThat(monitorId).isNotEmpty();
            HttpResponse<String> second = n2.api().post(monitor(call.id()), admin, TestNode.PASSWORD,
                    "{\"mode\":\"barge\",\"extension\":\"1030\"}");
            assertThat(second.statusCode()).as(second.body()).isEqualTo(409);
            Call joined = supervisor.nextIncoming();
            long rang = System.nanoTime();
            assertThat(joined.inviteHeader("From")).contains("Monitor 7200 agent 1022");
            supervisor.awaitState(joined, CallState.CONNECTED);
            hears("the supervisor", supervisorEar, CALLER);
            hears("the supervisor", supervisorEar, AGENT);
            // figures for the report, not assertions (the supervisor's phone answers at once)
            System.out.printf("monitor set-up: POST on n2 -> supervisor's phone on n3 rings %.1f ms, "
                    + "-> hears both parties %.1f ms%n", (rang - asked) / 1e6, (System.nanoTime() - asked) / 1e6);
            neverHears("the agent (listen)", agentEar, SUPERVISOR);
            neverHears("the caller (listen)", callerEar, SUPERVISOR);
            assertThat(agentEar.heard(SUPERVISOR) + callerEar.heard(SUPERVISOR)).isLessThanOrEqualTo(LEAK);
            Await.until("the list shows the connected monitor", Duration.ofSeconds(30),
                    () -> "connected".equals(live(call.id()).path("monitor").path("state").asText()));
            assertThat(live(call.id()).path("monitor").path("mode").asText()).isEqualTo("listen");
            Envelope startedEvent = events.next(e -> monitorEvent(e, "monitor.started"), AUDIO);
            assertThat(startedEvent.payload().path("callId").asText()).isEqualTo(call.id());
            assertThat(startedEvent.payload().path("fields").path("mode").asText()).isEqualTo("listen");
            assertThat(startedEvent.payload().path("fields").path("extension").asText()).isEqualTo("1030");

            // whisper: the agent hears the supervisor, the caller does not
            HttpResponse<String> whisper = n2.api().put(monitor(call.id()), admin, TestNode.PASSWORD,
                    "{\"mode\":\"whisper\"}");
            assertThat(whisper.statusCode()).as(whisper.body()).isEqualTo(200);
            hears("the agent (whisper)", agentEar, SUPERVISOR);
            neverHears("the caller (whisper)", callerEar, SUPERVISOR);
            hears("the agent still", agentEar, CALLER);
            assertThat(events.next(e -> monitorEvent(e, "monitor.changed"), AUDIO).payload().path("fields")
                    .path("mode").asText()).isEqualTo("whisper");

            // barge: all three hear each other
            assertThat(n2.api().put(monitor(call.id()), admin, TestNode.PASSWORD, "{\"mode\":\"barge\"}")
                    .statusCode()).isEqualTo(200);
            hears("the caller (barge)", callerEar, SUPERVISOR);
            hears("the caller (barge)", callerEar, AGENT);
            hears("the agent (barge)", agentEar, SUPERVISOR);
            hears("the supervisor (barge)", supervisorEar, CALLER);

            // the supervisor hangs up: only the monitor ends
            joined.hangup();
            supervisor.awaitState(joined, CallState.ENDED);
            Await.until("the monitor is gone from the list", Duration.ofSeconds(30),
                    () -> !live(call.id()).has("monitor"));
            hears("the caller after the monitor", callerEar, AGENT);
            hears("the agent after the monitor", agentEar, CALLER);
            neverHears("the caller (no monitor)", callerEar, SUPERVISOR);
            assertThat(call.state()).isEqualTo(CallState.CONNECTED);
            assertThat(events.next(e -> monitorEvent(e, "monitor.ended"), AUDIO).payload().path("fields")
                    .path("reason").asText()).isEqualTo("supervisor-hung-up");
            events.close();

            // a monitor ended by DELETE: BYE to the supervisor, the call goes on
            assertThat(n2.api().post(monitor(call.id()), admin, TestNode.PASSWORD,
                    "{\"mode\":\"barge\",\"extension\":\"1030\"}").statusCode()).isEqualTo(202);
            Call deleted = supervisor.nextIncoming();
            supervisor.awaitState(deleted, CallState.CONNECTED);
            hears("the caller (barge again)", callerEar, SUPERVISOR);
            HttpResponse<String> delete = n2.api().delete(monitor(call.id()), admin, TestNode.PASSWORD);
            assertThat(delete.statusCode()).as(delete.body()).isEqualTo(202);
            supervisor.awaitState(deleted, CallState.ENDED);
            // 202: the media node applies the DELETE after the answer; the monitor leaves the list only once it has
            // untapped the supervisor. Frames it mixed before that may still be on their way to the caller (sockets,
            // the caller's jitter buffer, up to 200 ms deep on a loaded machine), so "after DELETE" is counted from
            // a frame known to have been mixed later: the agent changes its tone now, and from the first frame the
            // caller hears with the new tone on, the supervisor must be gone.
            Await.until("no monitor after DELETE", Duration.ofSeconds(30), () -> !live(call.id()).has("monitor"));
            assertThat(n2.api().delete(monitor(call.id()), admin, TestNode.PASSWORD).statusCode())
                    .as("nothing left to delete").isEqualTo(404);
            ringing.setSource(new SineSource(AGENT_LATER, 8000));
            Await.until("the caller hears what the agent said after the DELETE", AUDIO,
                    () -> callerEar.heardSince(AGENT_LATER, AGENT_LATER) > 0);
            long frames = callerEar.frames();
            Await.until("the caller takes 2 s more audio", AUDIO, () -> callerEar.frames() > frames + 100);
            // zero, not LEAK: no frame from the marker on was mixed before the removal (the tones are whole cycles
            // per 20 ms frame, so the agent's tone puts nothing in the supervisor's bin)
            assertThat(callerEar.heardSince(AGENT_LATER, SUPERVISOR)).as("the caller hears the supervisor after DELETE")
                    .isZero();
            assertThat(call.state()).isEqualTo(CallState.CONNECTED);

            // a monitor again, then the call ends: the supervisor gets a BYE
            assertThat(n2.api().post(monitor(call.id()), admin, TestNode.PASSWORD,
                    "{\"mode\":\"listen\",\"extension\":\"1030\"}").statusCode()).isEqualTo(202);
            Call again = supervisor.nextIncoming();
            supervisor.awaitState(again, CallState.CONNECTED);
            Await.until("the node joined the supervisor again", Duration.ofSeconds(30),
                    () -> "connected".equals(live(call.id()).path("monitor").path("state").asText()));
            call.hangup();
            supervisor.awaitState(again, CallState.ENDED);
            agent.awaitState(ringing, CallState.ENDED);
            Await.until("the call leaves the live list", Duration.ofSeconds(30), () -> live(call.id()) == null);
            Await.until("monitor events for supervisors", Duration.ofSeconds(30),
                    () -> monitorEvents(call.id()).size() >= 8);
            assertThat(monitorEvents(call.id())).containsSubsequence("monitor.started", "monitor.changed",
                    "monitor.changed", "monitor.ended", "monitor.started", "monitor.ended", "monitor.started",
                    "monitor.ended");
            desk.stateAfterCall("not-ready");
        }
    }

    /** Also: a supervisor whose phone is on the media node itself (no trunk) barges in and gets no digits. */
    @Test
    void digitsCrossTheBridgeBothWaysButNotToTheMonitor() throws Exception {
        n1.bean(Queues.class).save("demo", QueueNodes.queue("7201", Strategy.LONGEST_IDLE, 15, 1, 0, 3,
                List.of("1024")), false);
        try (QueuePhone agent = QueuePhone.agent(n2, "1024", AGENT, CALLER);
             AgentDesk desk = AgentDesk.available(n2, "1024");
             QueuePhone supervisor = QueuePhone.agent(n1, "1032", SUPERVISOR, CALLER);
             QueuePhone caller = QueuePhone.caller("1023", CALLER, AGENT)) {
            ToneEar supervisorEar = new ToneEar(CALLER, AGENT);
            supervisor.onIncoming(c -> {
                c.setSink(supervisorEar);
                c.answer();
            });
            Call call = caller.dial(n1, "7201");
            caller.awaitState(call, CallState.CONNECTED);
            Call ringing = agent.nextIncoming();
            ringing.answer();
            agent.awaitState(ringing, CallState.CONNECTED);
            Await.until("the agent hears the caller", AUDIO, () -> agent.ear(ringing).toneFrames() > 25);
            Await.until("the call is listed live", Duration.ofSeconds(30), () -> live(call.id()) != null);
            assertThat(n1.api().post(monitor(call.id()), TestNode.ADMIN + "@demo", TestNode.PASSWORD,
                    "{\"mode\":\"barge\",\"extension\":\"1032\"}").statusCode()).isEqualTo(202);
            Call joined = supervisor.nextIncoming();
            supervisor.awaitState(joined, CallState.CONNECTED);
            hears("the supervisor on the media node", supervisorEar, CALLER);

            call.sendDtmf('5');
            assertThat(agent.digits.poll(30, TimeUnit.SECONDS)).as("the agent's phone gets the caller's digit")
                    .isEqualTo('5');
            ringing.sendDtmf('#');
            assertThat(caller.digits.poll(30, TimeUnit.SECONDS)).as("the caller's phone gets the agent's digit")
                    .isEqualTo('#');
            call.sendDtmf('7');
            call.sendDtmf('1');
            assertThat(agent.digits.poll(30, TimeUnit.SECONDS)).isEqualTo('7');
            assertThat(agent.digits.poll(30, TimeUnit.SECONDS)).isEqualTo('1');
            assertThat(supervisor.digits).as("digits are not sent to a monitor").isEmpty();
            call.hangup();
            agent.awaitState(ringing, CallState.ENDED);
            supervisor.awaitState(joined, CallState.ENDED);
            desk.stateAfterCall("not-ready");
        }
    }
}
