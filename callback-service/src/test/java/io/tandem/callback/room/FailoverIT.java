package io.tandem.callback.room;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.Consumer;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.tandem.callback.MockApns;
import io.tandem.callback.NodeSide;
import io.tandem.callback.ServiceInstance;
import io.tandem.protocol.callback.CallbackKeys;
import io.tandem.protocol.callback.RoomEvent;
import io.tandem.telephony.testing.Await;
import io.tandem.telephony.testing.RedisServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Several service instances share the work as one consumer group: an entry a dead instance read and never
 * acknowledged is taken over, one instance stopping mid-way leaves the rest to the other, and a room event written
 * twice is handled by whichever instance gets it — and across all of it no device gets a ring twice for one room
 * (the Redis push ledger).
 */
class FailoverIT {

    @RegisterExtension
    static final RedisServer redisServer = new RedisServer();

    @TempDir
    static Path dir;

    private static final String TENANT = "demo";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String TOKEN_1011 = "1".repeat(64);
    private static final String TOKEN_1012 = "2".repeat(64);
    private static final List<String> FAST_TAKEOVER = List.of("--tandem.callback.claim-idle=1s");

    private static MockApns apns;
    private static NodeSide node;
    private static ConfigurableApplicationContext first;
    private static ConfigurableApplicationContext second;

    @BeforeAll
    static void start() throws Exception {
        apns = new MockApns(dir, Set.of(TOKEN_1011, TOKEN_1012), Set.of());
        node = new NodeSide(redisServer.uri());
        node.tenant(TENANT);
        node.nodeAlive("n1");
        long inAWeek = System.currentTimeMillis() + Duration.ofDays(7).toMillis();
        node.member(TENANT, "7002", "1011", 1);
        node.member(TENANT, "7002", "1012", 2);
        node.agentState(TENANT, "1011", "not-ready");
        node.agentState(TENANT, "1012", "logged-out");
        node.pushBinding(TENANT, "1011", "phone-1011", TOKEN_1011, inAWeek);
        node.pushBinding(TENANT, "1012", "phone-1012", TOKEN_1012, inAWeek);
    }

    @AfterAll
    static void stop() throws Exception {
        for (ConfigurableApplicationContext context : new ConfigurableApplicationContext[] {first, second}) {
            if (context != null && context.isActive()) {
                context.close();
            }
        }
        if (node != null) {
            node.close();
        }
        if (apns != null) {
            apns.close();
        }
    }

    @Test
    void aSurvivorCarriesOnWithoutPushingTwice() {
        // An instance that read a PARKED entry and died before handling it.
        String rooms = CallbackKeys.roomEvents(TENANT);
        node.redis.xgroupCreate(XReadArgs.StreamOffset.from(rooms, "0-0"), CallbackKeys.SERVICE_GROUP,
                XGroupCreateArgs.Builder.mkstream());
        park("r-10");
        assertThat(node.redis.xreadgroup(Consumer.from(CallbackKeys.SERVICE_GROUP, "crashed"),
                XReadArgs.StreamOffset.lastConsumed(rooms))).hasSize(1);

        first = ServiceInstance.start("svc-1", redisServer.uri(), concat(apns.properties(), FAST_TAKEOVER));
        second = ServiceInstance.start("svc-2", redisServer.uri(), concat(apns.properties(), FAST_TAKEOVER));
        awaitRings("r-10");

        for (String room : List.of("r-11", "r-12", "r-13", "r-14")) {
            park(room);
        }
        // A node writing the same PARKED twice (its XADD retried after a timeout): the same rings, not new ones.
        node.roomEvent(TENANT, parked("r-11"));
        for (String room : List.of("r-11", "r-12", "r-13", "r-14")) {
            awaitRings(room);
        }

        first.close();
        String last = null;
        for (String room : List.of("r-15", "r-16", "r-17")) {
            last = park(room);
        }
        String lastEntry = last;
        Await.until("the events after the first instance stopped handled", WAIT,
                () -> node.handled(rooms, lastEntry));
        for (String room : List.of("r-15", "r-16", "r-17")) {
            awaitRings(room);
        }

        Map<String, Long> ringsPerRoomAndDevice = apns.accepted().stream()
                .filter(p -> "ring".equals(p.kind()))
                .collect(Collectors.groupingBy(p -> p.room() + " " + p.token(), Collectors.counting()));
        assertThat(ringsPerRoomAndDevice).hasSize(8 * 2);
        assertThat(ringsPerRoomAndDevice.values()).allMatch(count -> count == 1,
                "one ring per device and room: " + ringsPerRoomAndDevice);
        assertThat(node.redis.xpending(rooms, CallbackKeys.SERVICE_GROUP).getCount()).isZero();
    }

    private static void awaitRings(String room) {
        Await.until("rings to both devices for " + room, WAIT,
                () -> apns.of(room).stream().map(MockApns.Push::token).collect(Collectors.toSet())
                        .equals(Set.of(TOKEN_1011, TOKEN_1012)),
                () -> "accepted: " + apns.accepted().stream().map(p -> p.room() + "/" + p.kind())
                        .collect(Collectors.toList()));
    }

    /**
     * A parked room whose deadline (written by the node, as it does) is an hour away: the two instances may take
     * longer than the default 90 s park timeout to start on a loaded machine, and a room read after its deadline is
     * rightly not woken.
     */
    private static String park(String room) {
        node.redis.hset(CallbackKeys.room(TENANT, room), "deadline",
                Long.toString(System.currentTimeMillis() + Duration.ofHours(1).toMillis()));
        return node.park(TENANT, parked(room));
    }

    private static RoomEvent parked(String room) {
        long now = System.currentTimeMillis();
        return new RoomEvent(RoomEvent.Kind.PARKED, room, "n1", "call-" + room, "7002", "+4930999", "Cy Caller",
                now - 10_000, 0, "", "no-agent", now);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return Stream.concat(a.stream(), b.stream()).toList();
    }
}
