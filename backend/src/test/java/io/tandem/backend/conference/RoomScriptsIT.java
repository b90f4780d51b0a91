package io.tandem.backend.conference;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tandem.backend.acd.queues.QueueDefinition.Park.Wake;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.Redis;
import io.tandem.backend.redis.RedisProperties;
import io.tandem.protocol.callback.RoomEvent;
import io.tandem.telephony.testing.RedisServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A room's state on a real Redis, without SIP: each script changes the hash and appends its RoomEvent in one run;
 * the first join wins and every later one is REFUSED with the reason; closing twice writes one event; the abandon
 * writes the queue log's ABANDON; the node stopping loses its open rooms.
 */
class RoomScriptsIT {

    @RegisterExtension
    static final RedisServer server = new RedisServer();

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-06T12:00:00Z"), ZoneOffset.UTC);

    static Redis redis;
    static ScheduledExecutorService mixerClock;
    static RoomScripts scripts;

    @BeforeAll
    static void connect() {
        redis = Redis.connect(new RedisProperties(server.uri(), 0, Duration.ofSeconds(5), 100, 10_000));
        mixerClock = Executors.newSingleThreadScheduledExecutor();
        scripts = new RoomScripts(redis, CLOCK, "n1", new ConferenceProperties(10_000, 60, 86_400, 1_000), 10_000);
    }

    @AfterAll
    static void close() {
        mixerClock.shutdownNow();
        redis.close();
    }

    static Rooms rooms() {
        return new Rooms(scripts, mixerClock, new SimpleMeterRegistry());
    }

    static Room.Parked parked(String callId) {
        return new Room.Parked("demo", callId, "7002", "2001", "Ana", CLOCK.millis() - 42_000, 3, "no-agent",
                CLOCK.millis() + 90_000, Wake.TIERS, 20_000);
    }

    static List<RoomEvent> events(String room) {
        return redis.commands().xrange(Keys.roomEvents("demo"), Range.create("-", "+")).stream()
                .map(StreamMessage::getBody).map(RoomEvent::of).filter(e -> e.room().equals(room)).toList();
    }

    @Test
    void theFirstJoinWinsAndLaterOnesAreRefusedWithTheReason() {
        Room room = rooms().open(parked("call-1"));
        assertThat(events(room.id())).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(RoomEvent.Kind.PARKED);
            assertThat(e.node()).isEqualTo("n1");
            assertThat(e.callerName()).isEqualTo("Ana");
            assertThat(e.enqueuedAt()).isEqualTo(CLOCK.millis() - 42_000);
            assertThat(e.priority()).isEqualTo(3);
            assertThat(e.reason()).isEqualTo("no-agent");
        });
        assertThat(redis.commands().smembers(Keys.rooms("demo"))).contains(room.id());
        assertThat(redis.commands().hgetall(Keys.room("demo", room.id()))).as("the queue's wake, for the service")
                .containsEntry("wake", "tiers").containsEntry("wakeTierDelay", "20000");

        assertThat(room.join("1011")).isEqualTo(Room.Join.JOINED);
        assertThat(room.join("1012")).isEqualTo(Room.Join.TAKEN);
        assertThat(room.holder()).isEqualTo("1011");
        room.close(RoomEvent.Kind.CLOSED, "call-ended");
        room.close(RoomEvent.Kind.CLOSED, "call-ended");
        assertThat(room.join("1013")).isEqualTo(Room.Join.CLOSED);

        assertThat(events(room.id())).extracting(RoomEvent::kind, RoomEvent::agent, RoomEvent::reason).containsExactly(
                Tuple.tuple(RoomEvent.Kind.PARKED, "", "no-agent"),
                Tuple.tuple(RoomEvent.Kind.JOINED, "1011", ""),
                Tuple.tuple(RoomEvent.Kind.REFUSED, "1012", "taken"),
                Tuple.tuple(RoomEvent.Kind.CLOSED, "1011", "call-ended"),
                Tuple.tuple(RoomEvent.Kind.REFUSED, "1013", "closed"));
        Map<String, String> hash = redis.commands().hgetall(Keys.room("demo", room.id()));
        assertThat(hash).containsEntry("state", "closed").containsEntry("agent", "1011");
        assertThat(redis.commands().ttl(Keys.room("demo", room.id()))).isBetween(1L, 60L);
        assertThat(redis.commands().smembers(Keys.rooms("demo"))).doesNotContain(room.id());
    }

    @Test
    void anAbandonWritesTheQueueLogsAbandonAndTheNodeStoppingLosesItsRooms() {
        Rooms rooms = rooms();
        Room abandoned = rooms.open(parked("call-2"));
        Room open = rooms.open(parked("call-3"));
        abandoned.close(RoomEvent.Kind.ABANDONED, "caller-hung-up");
        assertThat(redis.commands().xrange(Keys.queueLog("demo"), Range.create("-", "+")).stream()
                .map(StreamMessage::getBody).filter(b -> "call-2".equals(b.get("callid"))))
                .singleElement().satisfies(b -> assertThat(b).containsEntry("event", "ABANDON")
                        .containsEntry("queue", "7002").containsEntry("data3", "42"));
        assertThat(rooms.find(abandoned.id())).isEmpty();

        rooms.close();
        assertThat(events(open.id())).extracting(RoomEvent::kind)
                .containsExactly(RoomEvent.Kind.PARKED, RoomEvent.Kind.LOST);
        assertThat(rooms.size()).isZero();
    }
}
