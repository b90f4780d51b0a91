package io.tandem.callback.room;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.micrometer.core.instrument.MeterRegistry;
import io.lettuce.core.StreamMessage;
import io.tandem.callback.MockApns;
import io.tandem.callback.NodeSide;
import io.tandem.callback.ServiceInstance;
import io.tandem.callback.cluster.ServiceKeys;
import io.tandem.protocol.CallbackWake;
import io.tandem.protocol.callback.CallbackKeys;
import io.tandem.protocol.callback.DeviceEvent;
import io.tandem.protocol.callback.JoinToken;
import io.tandem.protocol.callback.NodeKeys;
import io.tandem.protocol.callback.RoomEvent;
import io.tandem.telephony.testing.Await;
import io.tandem.telephony.testing.RedisServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One callback service instance against a real Redis and Pushy's MockApnsServer; the nodes' side of the contract is
 * written into Redis as the nodes write it. Parked callers wake the sleeping members of their queue, a woken device
 * registering is called into the room, a join cancels the other rings, a dead token loses its binding, and a room
 * whose node stopped beating is ticketed.
 */
class RoomOrchestrationIT {

    @RegisterExtension
    static final RedisServer redisServer = new RedisServer();

    @TempDir
    static Path dir;

    private static final String TENANT = "demo";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NOT_READY_TOKEN = "a".repeat(64);
    private static final String LOGGED_OUT_TOKEN = "b".repeat(64);
    private static final String AVAILABLE_TOKEN = "c".repeat(64);
    private static final String DEAD_TOKEN = "d".repeat(64);

    private static MockApns apns;
    private static NodeSide node;
    private static ConfigurableApplicationContext service;

    @BeforeAll
    static void start() throws Exception {
        apns = new MockApns(dir, Set.of(NOT_READY_TOKEN, LOGGED_OUT_TOKEN, AVAILABLE_TOKEN), Set.of(DEAD_TOKEN));
        node = new NodeSide(redisServer.uri());
        node.tenant(TENANT);
        node.nodeAlive("n1");
        node.user(TENANT, "2000", "supervisor-pw", "supervisor");
        long inAWeek = System.currentTimeMillis() + Duration.ofDays(7).toMillis();
        // Queue 7002: 1011 not ready, 1012 logged out (no ACD record at all), 1013 available, 1014's binding lapsed.
        node.member(TENANT, "7002", "1011", 1);
        node.member(TENANT, "7002", "1012", 2);
        node.member(TENANT, "7002", "1013", 3);
        node.member(TENANT, "7002", "1014", 4);
        node.agentState(TENANT, "1011", "not-ready");
        node.agentState(TENANT, "1013", "available");
        node.agentState(TENANT, "1014", "logged-out");
        node.pushBinding(TENANT, "1011", "phone-1011", NOT_READY_TOKEN, inAWeek);
        node.pushBinding(TENANT, "1012", "phone-1012", LOGGED_OUT_TOKEN, inAWeek);
        node.pushBinding(TENANT, "1013", "phone-1013", AVAILABLE_TOKEN, inAWeek);
        node.pushBinding(TENANT, "1014", "phone-1014", "e".repeat(64), System.currentTimeMillis() - 1);
        // Queue 7003: one not-ready member whose app was uninstalled.
        node.member(TENANT, "7003", "1015", 1);
        node.agentState(TENANT, "1015", "not-ready");
        node.pushBinding(TENANT, "1015", "phone-1015", DEAD_TOKEN, inAWeek);

        List<String> args = new ArrayList<>(apns.properties());
        args.add("--tandem.callback.claim-idle=500ms");
        service = ServiceInstance.start("svc-a", redisServer.uri(), args);
    }

    @AfterAll
    static void stop() throws Exception {
        if (service != null) {
            service.close();
        }
        if (node != null) {
            node.close();
        }
        if (apns != null) {
            apns.close();
        }
    }

    @Test
    void aParkedCallerWakesTheSleepingMembersThenTheFirstToRegisterIsCalledInAndTheOthersAreCancelled() {
        long now = System.currentTimeMillis();
        RoomEvent parked = parked("r-1", "7002", "n1", now - 42_000, 3, now);
        node.park(TENANT, parked);

        List<MockApns.Push> rings = Await.value("two ring pushes for r-1", WAIT, () -> {
            List<MockApns.Push> seen = apns.of("r-1");
            return seen.size() >= 2 ? Optional.of(seen) : Optional.empty();
        }, () -> "accepted: " + apns.accepted());
        assertThat(rings).extracting(MockApns.Push::token)
                .containsExactlyInAnyOrder(NOT_READY_TOKEN, LOGGED_OUT_TOKEN);
        Map<String, String> usersByToken = Map.of(NOT_READY_TOKEN, "1011", LOGGED_OUT_TOKEN, "1012");
        for (MockApns.Push ring : rings) {
            assertThat(ring.collapseId()).isEqualTo("room-r-1");
            assertThat(ring.payload()).containsEntry("kind", "ring").containsEntry("roomId", "r-1")
                    .containsEntry("callerNumber", "+4930123456").containsEntry("callerName", "Ada Caller")
                    .containsEntry("queue", "7002");
            assertThat(Long.parseLong(ring.payload().get("waitedSeconds"))).isGreaterThanOrEqualTo(42);
            JoinToken token = JoinToken.verify(ring.payload().get("joinToken"),
                    ServiceInstance.SECRET.getBytes(StandardCharsets.UTF_8), now, null).orElseThrow();
            assertThat(token.tenant()).isEqualTo(TENANT);
            assertThat(token.room()).isEqualTo("r-1");
            assertThat(token.user()).isEqualTo(usersByToken.get(ring.token()));
            assertThat(token.expiresAt()).isEqualTo(now + Duration.ofSeconds(90).toMillis());
        }
        Await.until("the push records of r-1", WAIT, () -> records("r-1", "ring", "accepted") == 2);

        // 1011's phone wakes and registers (twice: a refresh must not call the agent in again).
        DeviceEvent registered = new DeviceEvent("1011", "phone-1011", "apns", "n1", System.currentTimeMillis());
        node.deviceEvent(TENANT, registered);
        String again = node.deviceEvent(TENANT, registered);
        Await.until("the device events handled", WAIT,
                () -> node.handled(CallbackKeys.deviceEvents(TENANT), again));
        List<StreamMessage<String, String>> commands = node.commands("n1");
        assertThat(commands).hasSize(1);
        assertThat(commands.get(0).getBody()).containsEntry("kind", "call-into-room").containsEntry("room", "r-1")
                .containsEntry("user", "1011").containsEntry("id", "r-1:1011").containsEntry("tenant", TENANT);

        // The node lets 1011 in: the ring on 1012's phone is cancelled, none goes to 1011's.
        String joined = node.roomEvent(TENANT, event(RoomEvent.Kind.JOINED, parked, "1011", ""));
        Await.until("JOINED handled", WAIT, () -> node.handled(CallbackKeys.roomEvents(TENANT), joined));
        List<MockApns.Push> cancels = apns.of("r-1").stream().filter(p -> "cancel".equals(p.kind())).toList();
        assertThat(cancels).extracting(MockApns.Push::token).containsExactly(LOGGED_OUT_TOKEN);
        assertThat(cancels.get(0).collapseId()).isEqualTo("room-r-1");

        // The call ends: nothing more is pushed, and the room is forgotten.
        String closed = node.roomEvent(TENANT, event(RoomEvent.Kind.CLOSED, parked, "1011", "hangup"));
        Await.until("CLOSED handled", WAIT, () -> node.handled(CallbackKeys.roomEvents(TENANT), closed));
        assertThat(apns.of("r-1")).hasSize(3);
        assertThat(node.redis.exists(CallbackKeys.ticket(TENANT, "r-1"))).isZero();
    }

    @Test
    void aNotReadyAgentsRunningSoftphoneIsWokenThroughTheLiveChannelAndTheWakeEndsWhenTheCallerLeaves()
            throws Exception {
        // Queue 7004: 1016 is not ready with no push binding, but its softphone's node marked it seen just now.
        node.member(TENANT, "7004", "1016", 1);
        node.redis.hset(NodeKeys.agent(TENANT, "1016"), Map.of("state", "not-ready", "version", "1", "node", "n1",
                "seen", Long.toString(System.currentTimeMillis())));
        List<JsonNode> live = new CopyOnWriteArrayList<>();
        RedisClient client = RedisClient.create(redisServer.uri());
        StatefulRedisPubSubConnection<String, String> subscriber = client.connectPubSub();
        subscriber.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                try {
                    live.add(JSON.readTree(message));
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException(e);
                }
            }
        });
        subscriber.sync().subscribe(NodeKeys.liveEvents(TENANT));
        try {
            long now = System.currentTimeMillis();
            RoomEvent parked = parked("r-20", "7004", "n1", now - 5_000, 0, now);
            node.park(TENANT, parked);

            JsonNode wake = Await.value("a callback.wake for 1016", WAIT, () -> live.stream()
                    .filter(m -> "callback.wake".equals(m.path("kind").asText())).findFirst(), live::toString);
            assertThat(wake.path("agentId").asText()).isEqualTo("1016");
            assertThat(wake.has("id")).as("a direct message has no stream id").isFalse();
            CallbackWake payload = CallbackWake.of(JSON.convertValue(wake.path("fields"),
                    new TypeReference<Map<String, String>>() { }));
            assertThat(payload.room()).isEqualTo("r-20");
            assertThat(payload.callerNumber()).isEqualTo("+4930123456");
            assertThat(payload.queue()).isEqualTo("7004");
            assertThat(payload.waitedSeconds()).isGreaterThanOrEqualTo(5);
            assertThat(payload.joinUri()).isEqualTo("sip:join*" + payload.joinToken() + "@127.0.0.1:5060");
            JoinToken token = JoinToken.verify(payload.joinToken(),
                    ServiceInstance.SECRET.getBytes(StandardCharsets.UTF_8), now, null).orElseThrow();
            assertThat(token.user()).isEqualTo("1016");
            assertThat(token.room()).isEqualTo("r-20");
            Await.until("the websocket push recorded", WAIT, () -> node.redis.xrange(
                    ServiceKeys.pushRecords(TENANT), Range.create("-", "+")).stream().map(StreamMessage::getBody)
                    .anyMatch(b -> "r-20".equals(b.get("room")) && "websocket".equals(b.get("provider"))
                            && "1016".equals(b.get("user")) && "accepted".equals(b.get("outcome"))));
            assertThat(node.redis.xrange(NodeKeys.events(TENANT), Range.create("-", "+")))
                    .as("the token is not written to the tenant's event stream")
                    .noneMatch(e -> e.getBody().get("kind").startsWith("callback.wake"));

            String abandoned = node.roomEvent(TENANT, event(RoomEvent.Kind.ABANDONED, parked, "", "hangup"));
            Await.until("ABANDONED handled", WAIT, () -> node.handled(CallbackKeys.roomEvents(TENANT), abandoned));
            JsonNode ended = Await.value("a callback.wake.ended for 1016", WAIT, () -> live.stream()
                    .filter(m -> "callback.wake.ended".equals(m.path("kind").asText())).findFirst(), live::toString);
            assertThat(ended.path("agentId").asText()).isEqualTo("1016");
            assertThat(ended.path("fields").path("room").asText()).isEqualTo("r-20");
        } finally {
            subscriber.close();
            client.shutdown();
        }
    }

    @Test
    void aCallerHangingUpWhileParkedCancelsTheRingsAndLeavesNoTicket() {
        long now = System.currentTimeMillis();
        RoomEvent parked = parked("r-8", "7002", "n1", now, 0, now);
        node.park(TENANT, parked);
        Await.until("two rings for r-8", WAIT, () -> apns.of("r-8").size() == 2);

        String abandoned = node.roomEvent(TENANT, event(RoomEvent.Kind.ABANDONED, parked, "", "hangup"));
        Await.until("ABANDONED handled", WAIT, () -> node.handled(CallbackKeys.roomEvents(TENANT), abandoned));
        assertThat(apns.of("r-8").stream().filter(p -> "cancel".equals(p.kind())).map(MockApns.Push::token))
                .containsExactlyInAnyOrder(NOT_READY_TOKEN, LOGGED_OUT_TOKEN);
        assertThat(node.redis.exists(CallbackKeys.ticket(TENANT, "r-8"))).isZero();
        assertThat(node.redis.hexists(ServiceKeys.parkedRooms(TENANT), "r-8")).isFalse();
    }

    @Test
    void aRoomTheNodeLostIsTicketed() {
        long now = System.currentTimeMillis();
        RoomEvent parked = parked("r-9", "7002", "n1", now - 20_000, 2, now);
        node.park(TENANT, parked);
        String lost = node.roomEvent(TENANT, event(RoomEvent.Kind.LOST, parked, "", "shutdown"));

        Await.until("LOST handled", WAIT, () -> node.handled(CallbackKeys.roomEvents(TENANT), lost));
        assertThat(node.redis.hgetall(CallbackKeys.ticket(TENANT, "r-9"))).containsEntry("state", "open")
                .containsEntry("reason", "lost").containsEntry("enqueuedAt", Long.toString(now - 20_000))
                .containsEntry("priority", "2");
    }

    @Test
    void aParkedEventReadAfterItsParkTimeoutWakesNobody() {
        long longAgo = System.currentTimeMillis() - Duration.ofMinutes(3).toMillis();
        String stale = node.park(TENANT, parked("r-5", "7002", "n1", longAgo, 0, longAgo));
        String fresh = node.park(TENANT, parked("r-6", "7002", "n1", System.currentTimeMillis(), 0,
                System.currentTimeMillis()));

        Await.until("both PARKED handled", WAIT, () -> node.handled(CallbackKeys.roomEvents(TENANT), fresh));
        assertThat(stale).isNotEqualTo(fresh);
        assertThat(apns.of("r-5")).isEmpty();
        assertThat(apns.of("r-6")).hasSize(2);
    }

    @Test
    void anEntryWhoseHandlingFailsEveryTimeIsDroppedAfterItsLastTry() {
        // Queue 7099's member list is not a sorted set: every try of its PARKED fails with WRONGTYPE.
        node.redis.set(NodeKeys.queueMembers(TENANT, "7099"), "not a sorted set");
        long now = System.currentTimeMillis();
        String poison = node.park(TENANT, parked("r-7", "7099", "n1", now, 0, now));

        Await.until("the failing PARKED dropped", WAIT,
                () -> node.handled(CallbackKeys.roomEvents(TENANT), poison));
        MeterRegistry meters = service.getBean(MeterRegistry.class);
        assertThat(meters.get("tandem.callback.entries").tag("outcome", "dropped").counter().count()).isEqualTo(1);
        assertThat(meters.get("tandem.callback.entries").tag("outcome", "failed").counter().count())
                .isEqualTo(TenantConsumer.MAX_DELIVERIES - 1);
    }

    @Test
    void aDeadTokenLosesItsPushBindingAndTheRecordSaysWhy() throws Exception {
        long now = System.currentTimeMillis();
        node.park(TENANT, parked("r-3", "7003", "n1", now, 0, now));

        Await.until("1015's dead binding removed", WAIT,
                () -> !node.redis.hexists(CallbackKeys.pushBindings(TENANT, "1015"), "phone-1015"));
        Await.until("the dead-token record", WAIT, () -> records("r-3", "ring", "dead-token") == 1);
        assertThat(apns.of("r-3")).isEmpty();

        // Supervisors read the record over REST.
        HttpResponse<String> list = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + ServiceInstance.port(service) + "/api/v1/pushes?room=r-3"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        "2000:supervisor-pw".getBytes(StandardCharsets.UTF_8)))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(list.statusCode()).isEqualTo(200);
        JsonNode records = new ObjectMapper().readTree(list.body());
        assertThat(records).hasSize(1);
        assertThat(records.get(0).path("outcome").asText()).isEqualTo("dead-token");
        assertThat(records.get(0).path("detail").asText()).isEqualTo("Unregistered");
        assertThat(records.get(0).path("user").asText()).isEqualTo("1015");
        assertThat(records.get(0).path("provider").asText()).isEqualTo("apns");
    }

    @Test
    void aRoomWhoseNodeStoppedBeatingIsTicketed() {
        long now = System.currentTimeMillis();
        node.park(TENANT, parked("r-4", "7002", "n-gone", now - 5_000, 5, now));

        Await.until("a ticket for r-4", WAIT,
                () -> "open".equals(node.redis.hget(CallbackKeys.ticket(TENANT, "r-4"), "state")));
        Map<String, String> ticket = node.redis.hgetall(CallbackKeys.ticket(TENANT, "r-4"));
        assertThat(ticket).containsEntry("reason", "node-lost").containsEntry("callerNumber", "+4930123456")
                .containsEntry("enqueuedAt", Long.toString(now - 5_000)).containsEntry("priority", "5")
                .containsEntry("queue", "7002");
        // The rings it started are cancelled: nobody can join a room that is gone.
        Await.until("the rings of r-4 cancelled", WAIT,
                () -> apns.of("r-4").stream().filter(p -> "cancel".equals(p.kind())).count() == 2);
    }

    private static long records(String room, String kind, String outcome) {
        return node.redis.xrange(ServiceKeys.pushRecords(TENANT), Range.create("-", "+"))
                .stream().map(StreamMessage::getBody)
                .filter(b -> room.equals(b.get("room")) && kind.equals(b.get("kind"))
                        && outcome.equals(b.get("outcome")))
                .count();
    }

    static RoomEvent parked(String room, String queue, String node, long enqueuedAt, int priority, long at) {
        return new RoomEvent(RoomEvent.Kind.PARKED, room, node, "call-" + room, queue, "+4930123456", "Ada Caller",
                enqueuedAt, priority, "", "no-agent", at);
    }

    static RoomEvent event(RoomEvent.Kind kind, RoomEvent parked, String agent, String reason) {
        return new RoomEvent(kind, parked.room(), parked.node(), parked.callId(), parked.queue(),
                parked.callerNumber(), parked.callerName(), parked.enqueuedAt(), parked.priority(), agent, reason,
                System.currentTimeMillis());
    }
}
