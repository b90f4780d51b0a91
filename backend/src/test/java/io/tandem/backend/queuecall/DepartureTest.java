package io.tandem.backend.queuecall;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.backend.acd.dispatch.Callers;
import io.tandem.backend.acd.queues.QueueDefinition;
import io.tandem.backend.acd.queues.Strategy;
import io.tandem.telephony.media.MediaSource;
import io.tandem.telephony.sdp.NegotiatedMedia;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Leaving a queue without an agent, without sockets: which destinations send the caller on to another queue, which
 * make it LEAVING (and with which cause for its record), and which end the call; at the door and after waiting.
 */
class DepartureTest {

    private final RecordedCall call = new RecordedCall();
    private final RecordedSeat seat = new RecordedSeat();
    private final ManualTimers timers = new ManualTimers();
    // Overflow and the caller's legs are only reached on the extension and callback paths, which need Redis and SIP
    private final Departure departure = new Departure(call, seat, null, null, timers);

    @Test
    void anExitToAQueueThatTakesTheCallerKeepsItWaitingThere() {
        seat.takes = queue("7001", QueueDefinition.Destination.NONE);
        departure.leaveFor(Callers.Exit.EXIT_KEY, new Destination.Queue("7001"), "exit-key");
        assertThat(seat.joined).containsExactly("7001");
        assertThat(call.events).containsExactly("waits in 7001");
    }

    @Test
    void anExitToAQueueThatRefusesTheCallerEndsTheCallWithTheExitsCause() {
        departure.leaveFor(Callers.Exit.TIMEOUT, new Destination.Queue("7001"), "timeout");
        assertThat(seat.joined).containsExactly("7001");
        assertThat(call.events).containsExactly("hung up: timeout");
    }

    @Test
    void leavingForARoomParksTheCallerWithoutJoiningAnotherQueue() {
        departure.leaveFor(Callers.Exit.PARK, new Destination.Park("key"), "park");
        assertThat(seat.joined).isEmpty();
        assertThat(call.events).containsExactly("parked: key");
    }

    @Test
    void aQueueThatParksTakesACallerNobodyIsLoggedInForIntoARoomInsteadOfItsOverflow() {
        call.queue = queue("7002", new QueueDefinition.Destination("callback", ""))
                .withPark(QueueDefinition.Park.onNoAgent());
        assertThat(departure.atTheDoor(refused(Callers.Refused.QUEUE_FULL))).isTrue();
        assertThat(departure.cause()).as("a full queue still overflows").isEqualTo("callback");
        call.events.clear();
        assertThat(departure.atTheDoor(refused(Callers.Refused.QUEUE_EMPTY))).isTrue();
        assertThat(departure.cause()).isEqualTo("park");
        departure.afterTheDoor(Callers.Refused.QUEUE_EMPTY);
        assertThat(call.events).containsExactly("leaving", "parked: no-agent");
    }

    @Test
    void anExitToNowhereEndsTheCall() {
        departure.leaveFor(Callers.Exit.EXIT_KEY, new Destination.Nowhere(), "exit-key");
        assertThat(seat.joined).isEmpty();
        assertThat(call.events).containsExactly("hung up: exit-key");
    }

    @Test
    void aFullQueueOverflowingToAnotherQueueSendsTheCallerOnBeforeItIsAnswered() {
        call.queue = queue("7000", new QueueDefinition.Destination("queue", "7001"));
        seat.takes = queue("7001", QueueDefinition.Destination.NONE);
        assertThat(departure.atTheDoor(refused(Callers.Refused.QUEUE_FULL))).isTrue();
        assertThat(call.events).containsExactly("sent on to 7001");
    }

    @Test
    void aQueueOverflowingToItselfOrToAQueueThatRefusesLetsTheDoorsRefusalStand() {
        call.queue = queue("7000", new QueueDefinition.Destination("queue", "7000"));
        assertThat(departure.atTheDoor(refused(Callers.Refused.QUEUE_FULL))).isFalse();
        assertThat(seat.joined).as("no second try at the same queue").isEmpty();
        call.queue = queue("7000", new QueueDefinition.Destination("queue", "7001"));
        assertThat(departure.atTheDoor(refused(Callers.Refused.QUEUE_EMPTY))).isFalse();
        assertThat(seat.joined).containsExactly("7001");
        assertThat(call.events).isEmpty();
    }

    @Test
    void onlyAFullQueueOrOneWithNobodyToAnswerOverflowsAtTheDoor() {
        call.queue = queue("7000", new QueueDefinition.Destination("callback", ""));
        assertThat(departure.atTheDoor(refused(Callers.Refused.ALREADY_WAITING))).isFalse();
        assertThat(call.events).isEmpty();
        assertThat(departure.atTheDoor(refused(Callers.Refused.QUEUE_EMPTY))).isTrue();
        assertThat(call.events).containsExactly("leaving");
        assertThat(departure.cause()).isEqualTo("callback");
    }

    @Test
    void aDoorSendingTheCallerToAnExtensionRecordsWhyTheQueueRefusedIt() {
        call.queue = queue("7000", new QueueDefinition.Destination("extension", "1002", true));
        assertThat(departure.atTheDoor(refused(Callers.Refused.QUEUE_FULL))).isTrue();
        assertThat(departure.cause()).isEqualTo("full");
        assertThat(departure.atTheDoor(refused(Callers.Refused.QUEUE_EMPTY))).isTrue();
        assertThat(departure.cause()).isEqualTo("join-empty");
        assertThat(timers.pending()).as("nothing waits to hang up before the caller is answered").isZero();
    }

    private static Callers.Joined refused(Callers.Refused why) {
        return new Callers.Joined(0, why, List.of());
    }

    private static QueueDefinition queue(String number, QueueDefinition.Destination overflow) {
        return new QueueDefinition(number, "support", Strategy.LONGEST_IDLE, 0, 0, true, false, 15, 5, 10, 3, 20, 30,
                List.of(), new QueueDefinition.Announcements(false, false, 0, 0), "default", "",
                QueueDefinition.Destination.NONE, overflow);
    }

    private static final class RecordedSeat implements Departure.Seat {
        final List<String> joined = new ArrayList<>();
        QueueDefinition takes;

        @Override
        public CallingParty party() {
            return new CallingParty("demo", "call-1", "1001", "Caller");
        }

        @Override
        public CallerDetails details() {
            return CallerDetails.NONE;
        }

        @Override
        public Optional<QueueDefinition> join(Destination.Queue to) {
            joined.add(to.number());
            return takes != null && takes.number().equals(to.number()) ? Optional.of(takes) : Optional.empty();
        }
    }

    private static final class RecordedCall implements Departure.Call {
        final List<String> events = new ArrayList<>();
        QueueDefinition queue = DepartureTest.queue("7000", QueueDefinition.Destination.NONE);
        boolean leaving;

        @Override
        public QueueDefinition queue() {
            return queue;
        }

        @Override
        public void sentOn(QueueDefinition next) {
            events.add("sent on to " + next.number());
            queue = next;
        }

        @Override
        public void waitIn(QueueDefinition next) {
            events.add("waits in " + next.number());
            queue = next;
        }

        @Override
        public void leaving() {
            events.add("leaving");
            leaving = true;
        }

        @Override
        public boolean isLeaving() {
            return leaving;
        }

        @Override
        public void playMusic() {
            events.add("music");
        }

        @Override
        public void hear(MediaSource source) {
            events.add("hears a prompt");
        }

        @Override
        public void connectExtension(AgentBranch leg, NegotiatedMedia media) {
            events.add("connected to " + leg.agentId);
        }

        @Override
        public void hangUp(String cause) {
            events.add("hung up: " + cause);
        }

        @Override
        public void park(String reason) {
            events.add("parked: " + reason);
        }

        @Override
        public Duration waited() {
            return Duration.ofSeconds(42);
        }
    }
}
