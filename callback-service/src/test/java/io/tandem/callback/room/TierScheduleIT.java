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
import io.tandem.telephony.testing.Await;
import io.tandem.telephony.testing.RedisServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The tier schedule of rooms whose queue wakes by tiers, against one service instance, a real Redis and Pushy's
 * MockApnsServer, the nodes' side written into Redis as the nodes write it (the room hash's {@code wake} and
 * {@code wakeTierDelay}, the queue's {@code q:<n>:tiers}): tiers follow one another to the last, and a room that is
 * over — closed by its node, timed out — has no later tier rung.
 */
class TierScheduleIT {

    @RegisterExtension
    static final RedisServer redisServer = new RedisServer();

    @TempDir
    static Path dir;

    private static final String TENANT = "demo";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final long IN_A_WEEK = System.currentTimeMillis() + Duration.ofDays(7).toMillis();

    private static MockApns apns;
    private static NodeSide node;
    private static ConfigurableApplicationContext service;

    @BeforeAll
    static void start() throws Exception {
        apns = new MockApns(dir, Set.of(token("1031"), token("1032"), token("1033"), token("1041"), token("1042"),
                token("1051"), token("1052")), Set.of());
        node = new NodeSide(redisServer.uri());
        node.tenant(TENANT);
        node.nodeAlive("n1");
        // 7031: three tiers, member order unlike tier order. 7041 and 7051: two tiers.
        queue("7031", Map.of("1033", 1, "1031", 2, "1032", 3), Map.of("1031", "1|0", "1032", "2|0", "1033", "3|0"));
        queue("7041", Map.of("1041", 1, "1042", 2), Map.of("1041", "1|0", "1042", "2|0"));
        queue("7051", Map.of("1051", 1, "1052", 2), Map.of("1051", "1|0", "1052", "2|0"));
        service = ServiceInstance.start("svc-tiers", redisServer.uri(), apns.properties());
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
    void eachTierFollowsTheOneBeforeToTheLastThenTheScheduleEnds() {
        park("r-31", "7031", "300");

        Await.until("three rings for r-31", WAIT, () -> apns.of("r-31").size() == 3, () -> "accepted: "
                + apns.accepted());
        assertThat(apns.of("r-31")).as("tier 1, then 2, then 3; each device once").extracting(MockApns.Push::token)
                .containsExactly(token("1031"), token("1032"), token("1033"));
        Await.until("the schedule ends after the last tier", WAIT, () -> due("r-31") == null);
        assertThat(node.redis.hget(ServiceKeys.wakeTierReached(TENANT), "r-31")).isNull();
        assertThat(node.redis.hkeys(ServiceKeys.woken(TENANT, "r-31"))).as("every tier's devices, for the cancels")
                .containsExactlyInAnyOrder("phone-1031", "phone-1032", "phone-1033");
    }

    @Test
    void aRoomTheNodeNoLongerHasParkedGetsNoLaterTier() {
        park("r-41", "7041", Long.toString(Duration.ofHours(1).toMillis()));
        Await.until("tier 1 rung", WAIT, () -> apns.of("r-41").size() == 1);
        Await.until("tier 2 scheduled", WAIT, () -> due("r-41") != null);
        // The node connected the room; its JOINED has not reached this service (another instance has it).
        node.redis.hset(CallbackKeys.room(TENANT, "r-41"), Map.of("state", "connected", "agent", "1041"));
        // Then the hour is over: tier 2 is due now.
        node.redis.zadd(ServiceKeys.wakeTiersDue(TENANT), (double) System.currentTimeMillis(), "r-41");

        Await.until("the due tier finds the room over and ends the schedule", WAIT, () -> due("r-41") == null);
        assertThat(apns.of("r-41")).as("tier 2 never rung").extracting(MockApns.Push::token)
                .containsExactly(token("1041"));
    }

    @Test
    void aRoomThatTimedOutGetsNoLaterTier() {
        RoomEvent parked = park("r-51", "7051", Long.toString(Duration.ofHours(1).toMillis()));
        Await.until("tier 1 rung", WAIT, () -> apns.of("r-51").size() == 1);
        Await.until("tier 2 scheduled", WAIT, () -> due("r-51") != null);

        node.roomEvent(TENANT, event(RoomEvent.Kind.CLOSED, parked, "", "timeout"));

        Await.until("the ticket", WAIT, () -> node.redis.exists(CallbackKeys.ticket(TENANT, "r-51")) == 1);
        // The schedule is forgotten before the cancels go out.
        Await.until("tier 1's ring cancelled", WAIT, () -> apns.of("r-51").size() == 2);
        assertThat(due("r-51")).as("the timeout ended the schedule").isNull();
        assertThat(node.redis.hget(ServiceKeys.wakeTierReached(TENANT), "r-51")).isNull();
        assertThat(apns.of("r-51")).as("tier 1's ring and its cancel; tier 2 never rung")
                .allSatisfy(p -> assertThat(p.token()).isEqualTo(token("1051")))
                .extracting(p -> p.payload().get("kind")).containsExactly("ring", "cancel");
    }

    /** A parked caller of {@code queue}, its room waking by tiers every {@code delayMs}. */
    private static RoomEvent park(String room, String queue, String delayMs) {
        long now = System.currentTimeMillis();
        // The node writes the queue's wake setting with the room, before PARKED.
        node.redis.hset(CallbackKeys.room(TENANT, room), Map.of("wake", "tiers", "wakeTierDelay", delayMs,
                "deadline", Long.toString(now + Duration.ofMinutes(10).toMillis())));
        RoomEvent parked = parked(room, queue, "n1", now - 5_000, 0, now);
        node.park(TENANT, parked);
        return parked;
    }

    private static void queue(String queue, Map<String, Integer> positions, Map<String, String> tiers) {
        positions.forEach((member, position) -> {
            node.member(TENANT, queue, member, position);
            node.agentState(TENANT, member, "not-ready");
            node.pushBinding(TENANT, member, "phone-" + member, token(member), IN_A_WEEK);
        });
        node.redis.hset(NodeKeys.queueTiers(TENANT, queue), tiers);
    }

    private static Double due(String room) {
        return node.redis.zscore(ServiceKeys.wakeTiersDue(TENANT), room);
    }

    private static String token(String member) {
        return (member + "0").repeat(13).substring(0, 64);
    }
}
