package io.tandem.backend.queuecall;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.tandem.backend.TestNode;
import io.tandem.backend.acd.queues.QueueDefinition;
import io.tandem.backend.acd.queues.Queues;
import io.tandem.backend.acd.queues.Strategy;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.Redis;
import io.tandem.protocol.callback.RoomEvent;
import io.tandem.telephony.testing.Await;
import io.tandem.telephony.testing.RedisServer;
import io.tandem.telephony.ua.Call;
import io.tandem.telephony.ua.CallState;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Parked callers are told their position among the queue's parked callers and their wait, on the queue's
 * announcement times, as queue callers are (issue 15): two callers parked one after the other hold places 1 and 2;
 * the announcements are played to them; when the first leaves, the second is next.
 */
class ParkAnnouncementsIT {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    static final Duration AUDIO = Duration.ofSeconds(20);

    static TestNode n1;

    @BeforeAll
    static void nodes() {
        n1 = QueueNodes.node(redis, "pa1");
    }

    @AfterAll
    static void stop() {
        n1.close();
    }

    @Test
    void parkedCallersHearTheirPositionAndWaitUntilTheyLeave() throws Exception {
        QueueDefinition.Announcements everySecond = new QueueDefinition.Announcements(true, true, 1, 1);
        n1.bean(Queues.class).save("demo", new QueueDefinition("7210", "parked announcements", Strategy.LONGEST_IDLE,
                0, 0, true, false, 15, 1, 0, 0, 20, 30, List.of(QueueDefinition.Member.of("1071")), everySecond,
                "default", "", QueueDefinition.Destination.NONE, QueueDefinition.Destination.NONE)
                .withPark(new QueueDefinition.Park(true, true, false, 0, 120)), false);
        QueueCalls calls = n1.bean(QueueCalls.class);
        try (QueuePhone first = QueuePhone.caller("1070", 1000, 440);
                QueuePhone second = QueuePhone.caller("1072", 1000, 440)) {
            long before = calls.announcementsPlayed();
            Call call1 = first.dial(n1, "7210");
            first.awaitState(call1, CallState.CONNECTED);
            String room1 = parkedRoom(call1.id());
            Await.until("the first parked caller is told its place", AUDIO,
                    () -> calls.announcementsPlayed() >= before + 1);
            Call call2 = second.dial(n1, "7210");
            second.awaitState(call2, CallState.CONNECTED);
            String room2 = parkedRoom(call2.id());
            assertThat(parkedInOrder()).containsExactly(room1, room2);

            long both = calls.announcementsPlayed();
            Await.until("both parked callers are told again, every second", AUDIO,
                    () -> calls.announcementsPlayed() >= both + 2);
            Await.until("the second parked caller hears prompts and music", AUDIO,
                    () -> second.ear(call2).soundFrames() > 100);

            call1.hangup();
            first.awaitState(call1, CallState.ENDED);
            Await.until("the first caller's room left the queue's parked callers", AUDIO,
                    () -> parkedInOrder().equals(List.of(room2)));
            long alone = calls.announcementsPlayed();
            Await.until("the second caller, now next, is still told", AUDIO,
                    () -> calls.announcementsPlayed() >= alone + 1);
            call2.hangup();
            second.awaitState(call2, CallState.ENDED);
            Await.until("no parked caller is left to be told", AUDIO, () -> parkedInOrder().isEmpty());
        }
    }

    private static List<String> parkedInOrder() {
        return n1.bean(Redis.class).commands().zrange(Keys.queueParked("demo", "7210"), 0, -1);
    }

    private static String parkedRoom(String callId) {
        Await.until("the room's PARKED event", AUDIO, () -> !parked(callId).isEmpty());
        return parked(callId).get(0).room();
    }

    private static List<RoomEvent> parked(String callId) {
        return n1.bean(Redis.class).commands().xrange(Keys.roomEvents("demo"), Range.create("-", "+")).stream()
                .map(StreamMessage::getBody).map(RoomEvent::of)
                .filter(e -> e.callId().equals(callId) && e.kind() == RoomEvent.Kind.PARKED).toList();
    }
}
