package io.tandem.backend.queuecall;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.backend.acd.dispatch.Callers;
import io.tandem.backend.acd.queues.QueueDefinition;
import io.tandem.backend.acd.queues.Strategy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A caller's wait in a queue on fake time: when it leaves, for which destination, and when it is told its place. */
class QueueWaitTest {

    private final ManualTimers timers = new ManualTimers();
    private final RecordedCaller caller = new RecordedCaller();

    @Test
    void theMaximumWaitLeavesForTheOverflowDestination() {
        QueueWait wait = start(queue(120, "", QueueDefinition.Destination.NONE,
                new QueueDefinition.Destination("extension", "1002", true), silent()));
        timers.advance(Duration.ofSeconds(119));
        assertThat(caller.events).isEmpty();
        timers.advance(Duration.ofSeconds(1));
        assertThat(caller.events).containsExactly("leave TIMEOUT '' Extension[number=1002, orCallback=true] timeout");
        wait.stop();
        assertThat(timers.pending()).isZero();
    }

    @Test
    void noMaximumWaitMeansTheCallerWaitsForAnAgent() {
        start(queue(0, "", QueueDefinition.Destination.NONE, new QueueDefinition.Destination("callback", ""),
                silent()));
        timers.advance(Duration.ofHours(2));
        assertThat(caller.events).isEmpty();
    }

    @Test
    void theExitKeyLeavesForTheExitDestinationAndOtherDigitsDoNothing() {
        QueueWait wait = start(queue(120, "0", new QueueDefinition.Destination("queue", "7001"),
                QueueDefinition.Destination.NONE, silent()));
        wait.digit('5');
        assertThat(caller.events).isEmpty();
        wait.digit('0');
        assertThat(caller.events).containsExactly("leave EXIT_KEY '0' Queue[number=7001] exit-key");
    }

    @Test
    void aQueueThatParksAfterAWaitParksTheCallerThen() {
        QueueWait wait = start(queue(120, "", QueueDefinition.Destination.NONE, QueueDefinition.Destination.NONE,
                silent()).withPark(new QueueDefinition.Park(true, false, false, 30, 90)));
        timers.advance(Duration.ofSeconds(29));
        assertThat(caller.events).isEmpty();
        timers.advance(Duration.ofSeconds(1));
        assertThat(caller.events).containsExactly("leave PARK '' Park[reason=wait] park");
        wait.stop();
    }

    @Test
    void theExitKeyParksWhenTheQueueSaysSo() {
        QueueWait wait = start(queue(120, "0", new QueueDefinition.Destination("queue", "7001"),
                QueueDefinition.Destination.NONE, silent()).withPark(new QueueDefinition.Park(true, true, true, 0, 90)));
        wait.digit('0');
        assertThat(caller.events).containsExactly("leave PARK '0' Park[reason=key] park");
    }

    @Test
    void aCallerNoLongerWaitingIsNeitherSentOnNorTold() {
        QueueWait wait = start(queue(60, "0", new QueueDefinition.Destination("callback", ""),
                QueueDefinition.Destination.NONE, new QueueDefinition.Announcements(true, true, 10, 20)));
        caller.waiting = false; // an agent answered
        wait.digit('0');
        timers.advance(Duration.ofMinutes(5));
        assertThat(caller.events).isEmpty();
    }

    @Test
    void announcementsComeFirstAfterTheirDelayThenEveryPeriodUntilTheWaitStops() {
        QueueWait wait = start(queue(0, "", QueueDefinition.Destination.NONE, QueueDefinition.Destination.NONE,
                new QueueDefinition.Announcements(true, false, 30, 60)));
        timers.advance(Duration.ofSeconds(29));
        assertThat(caller.events).isEmpty();
        timers.advance(Duration.ofSeconds(1));
        assertThat(caller.events).containsExactly("announce");
        timers.advance(Duration.ofSeconds(120));
        assertThat(caller.events).containsExactly("announce", "announce", "announce");
        wait.stop();
        timers.advance(Duration.ofSeconds(600));
        assertThat(caller.events).hasSize(3);
    }

    @Test
    void anAnnouncementWithoutRepeatIsMadeOnce() {
        start(queue(0, "", QueueDefinition.Destination.NONE, QueueDefinition.Destination.NONE,
                new QueueDefinition.Announcements(false, true, 5, 0)));
        timers.advance(Duration.ofMinutes(10));
        assertThat(caller.events).containsExactly("announce");
    }

    @Test
    void aStoppedWaitIgnoresTheExitKey() {
        QueueWait wait = start(queue(0, "#", new QueueDefinition.Destination("callback", ""),
                QueueDefinition.Destination.NONE, silent()));
        wait.stop();
        wait.digit('#');
        assertThat(caller.events).isEmpty();
    }

    private QueueWait start(QueueDefinition queue) {
        QueueWait wait = new QueueWait(queue, timers, caller, new Object());
        wait.start();
        return wait;
    }

    private static QueueDefinition.Announcements silent() {
        return new QueueDefinition.Announcements(false, false, 0, 0);
    }

    private static QueueDefinition queue(int maxWaitSeconds, String exitKey, QueueDefinition.Destination exit,
            QueueDefinition.Destination overflow, QueueDefinition.Announcements announcements) {
        return new QueueDefinition("7000", "support", Strategy.LONGEST_IDLE, maxWaitSeconds, 0, true, false, 15, 5,
                10, 3, 20, 30, List.of(), announcements, "default", exitKey, exit, overflow);
    }

    private static final class RecordedCaller implements QueueWait.Caller {
        final List<String> events = new ArrayList<>();
        boolean waiting = true;

        @Override
        public boolean waiting() {
            return waiting;
        }

        @Override
        public void leave(Callers.Exit exit, String key, Destination destination, String cause) {
            waiting = false;
            events.add("leave " + exit + " '" + key + "' " + destination + " " + cause);
        }

        @Override
        public void announce(QueueDefinition.Announcements what) {
            events.add("announce");
        }
    }
}
