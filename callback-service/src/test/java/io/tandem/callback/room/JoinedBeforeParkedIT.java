package io.tandem.callback.room;

import static io.tandem.callback.room.RoomOrchestrationIT.event;
import static io.tandem.callback.room.RoomOrchestrationIT.parked;
import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.callback.MockApns;
import io.tandem.callback.NodeSide;
import io.tandem.callback.ServiceInstance;
import io.tandem.callback.cluster.ServiceKeys;
import io.tandem.protocol.callback.CallbackKeys;
import io.tandem.protocol.callback.NodeKeys;
import io.tandem.protocol.callback.RoomEvent;
import io.tandem.telephony.testing.RedisServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two instances share a tenant's room events, so a room's JOINED can be handled by one instance before the other has
 * finished handling the room's PARKED. The room was answered: whatever order its events are handled in, it must not
 * stay in {@code cb:parked}, and a node that dies during the call must not get its customer a callback ticket. The
 * two handlings are driven here on the orchestrator bean in that racy order (no stream entries, so the running
 * consumer handles nothing of these rooms), against a real Redis holding the rooms as the node writes them.
 */
class JoinedBeforeParkedIT {

    @RegisterExtension
    static final RedisServer redisServer = new RedisServer();

    @TempDir
    static Path dir;

    private static final String TENANT = "demo";
    private static final String TOKEN_1011 = "1".repeat(64);

    private static MockApns apns;
    private static NodeSide node;
    private static ConfigurableApplicationContext service;
    private static RoomOrchestrator orchestrator;

    @BeforeAll
    static void start() throws Exception {
        apns = new MockApns(dir, Set.of(TOKEN_1011), Set.of());
        node = new NodeSide(redisServer.uri());
        node.tenant(TENANT);
        node.member(TENANT, "7002", "1011", 1);
        node.agentState(TENANT, "1011", "not-ready");
        node.pushBinding(TENANT, "1011", "phone-1011", TOKEN_1011,
                System.currentTimeMillis() + Duration.ofDays(7).toMillis());
        service = ServiceInstance.start("svc-race", redisServer.uri(), apns.properties());
        orchestrator = service.getBean(RoomOrchestrator.class);
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
    void aRoomJoinedBeforeItsParkedWasHandledIsNotWatchedAndNotTicketedWhenItsNodeDies() {
        node.nodeAlive("n-joined");
        long now = System.currentTimeMillis();
        RoomEvent answered = parked("r-60", "7002", "n-joined", now - 5_000, 0, now);
        RoomEvent waiting = parked("r-61", "7002", "n-joined", now - 5_000, 0, now);
        room(answered, "parked", "");
        room(waiting, "parked", "");

        // The node lets 1011 into r-60 (join.lua: parked -> connected), and instance B handles the JOINED...
        room(answered, "connected", "1011");
        orchestrator.onRoomEvent(TENANT, event(RoomEvent.Kind.JOINED, answered, "1011", ""));
        // ...before instance A has handled the room's PARKED.
        orchestrator.onRoomEvent(TENANT, answered);
        orchestrator.onRoomEvent(TENANT, waiting);

        assertThat(node.redis.hexists(ServiceKeys.parkedRooms(TENANT), "r-60")).as("an answered room is not watched")
                .isFalse();
        assertThat(node.redis.hexists(ServiceKeys.parkedRooms(TENANT), "r-61")).as("a waiting room is").isTrue();

        // The node dies during the call to r-60, with r-61's caller still parked on it.
        node.redis.del(NodeKeys.node("n-joined"));
        orchestrator.checkNodes(TENANT);

        assertThat(node.redis.hget(CallbackKeys.ticket(TENANT, "r-61"), "reason")).isEqualTo("node-lost");
        assertThat(node.redis.exists(CallbackKeys.ticket(TENANT, "r-60"))).as("no callback for an answered customer")
                .isZero();
    }

    @Test
    void aWatchEntryLeftForAnAnsweredRoomIsDroppedNotTicketed() {
        node.nodeAlive("n-old");
        long now = System.currentTimeMillis();
        RoomEvent answered = parked("r-62", "7002", "n-old", now - 5_000, 0, now);
        room(answered, "parked", "");
        orchestrator.onRoomEvent(TENANT, answered);
        assertThat(node.redis.hexists(ServiceKeys.parkedRooms(TENANT), "r-62")).isTrue();
        // Joined on the node; its JOINED not handled yet (or the entry was left by an instance before this check).
        room(answered, "connected", "1011");

        node.redis.del(NodeKeys.node("n-old"));
        orchestrator.checkNodes(TENANT);

        assertThat(node.redis.exists(CallbackKeys.ticket(TENANT, "r-62"))).isZero();
        assertThat(node.redis.hexists(ServiceKeys.parkedRooms(TENANT), "r-62")).as("the entry is dropped").isFalse();
    }

    /** The room's hash as the node's conference scripts write it. */
    private static void room(RoomEvent parked, String state, String agent) {
        node.redis.hset(CallbackKeys.room(TENANT, parked.room()), Map.of("id", parked.room(), "state", state,
                "node", parked.node(), "callId", parked.callId(), "queue", parked.queue(), "agent", agent,
                "deadline", Long.toString(System.currentTimeMillis() + Duration.ofMinutes(10).toMillis())));
    }
}
