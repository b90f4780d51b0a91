package io.tandem.backend.queuecall;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.backend.acd.queues.QueueDefinition;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The announcement times a queue caller and a parked caller share, on fake time: first after the queue's delay (not
 * before a prompt the caller hears first), then every period, never once the caller stops waiting (someone joined).
 */
class AnnouncementTimesTest {

    private final ManualTimers timers = new ManualTimers();
    private final AtomicBoolean waiting = new AtomicBoolean(true);
    private final AtomicInteger told = new AtomicInteger();

    @Test
    void aParkedCallerIsToldFirstAfterTheDelayThenEveryPeriodUntilSomeoneJoins() {
        AnnouncementTimes times = times(new QueueDefinition.Announcements(true, true, 20, 30));
        times.start(Duration.ofSeconds(1));
        timers.advance(Duration.ofSeconds(19));
        assertThat(told).hasValue(0);
        timers.advance(Duration.ofSeconds(1));
        assertThat(told).hasValue(1);
        timers.advance(Duration.ofSeconds(60));
        assertThat(told).hasValue(3);
        waiting.set(false); // an agent joined the room
        timers.advance(Duration.ofMinutes(5));
        assertThat(told).hasValue(3);
        assertThat(timers.pending()).isZero();
    }

    @Test
    void theFirstAnnouncementWaitsForThePromptHeardBeforeIt() {
        AnnouncementTimes times = times(new QueueDefinition.Announcements(true, false, 0, 0));
        times.start(Duration.ofSeconds(1));
        timers.advance(Duration.ofMillis(999));
        assertThat(told).hasValue(0);
        timers.advance(Duration.ofMillis(1));
        assertThat(told).hasValue(1);
        timers.advance(Duration.ofMinutes(10));
        assertThat(told).hasValue(1);
    }

    @Test
    void stoppingCancelsTheNextAnnouncement() {
        AnnouncementTimes times = times(new QueueDefinition.Announcements(false, true, 10, 10));
        times.start(Duration.ZERO);
        timers.advance(Duration.ofSeconds(10));
        times.stop();
        timers.advance(Duration.ofMinutes(10));
        assertThat(told).hasValue(1);
        assertThat(timers.pending()).isZero();
    }

    @Test
    void aQueueWithoutAnnouncementsArmsNothing() {
        times(new QueueDefinition.Announcements(false, false, 10, 10)).start(Duration.ZERO);
        assertThat(timers.pending()).isZero();
    }

    private AnnouncementTimes times(QueueDefinition.Announcements a) {
        return new AnnouncementTimes(a, timers, new Object(), waiting::get, told::incrementAndGet);
    }
}
