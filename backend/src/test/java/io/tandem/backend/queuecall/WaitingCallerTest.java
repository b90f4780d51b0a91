package io.tandem.backend.queuecall;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.backend.acd.dispatch.Callers;
import io.tandem.backend.acd.dispatch.Claims;
import io.tandem.backend.acd.dispatch.OfferGrant;
import io.tandem.backend.acd.queues.QueueDefinition;
import io.tandem.backend.acd.queues.Strategy;
import io.tandem.backend.routing.Route;
import io.tandem.telephony.sdp.NegotiatedMedia;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A queue caller waiting for an agent, on fake time and without sockets or Redis: its seat in the cluster-wide queue
 * and its call are recorded, the agents' phones are {@link RecordedLines}.
 */
class WaitingCallerTest {

    private static final QueueDefinition QUEUE = new QueueDefinition("7000", "support", Strategy.LONGEST_IDLE, 10, 0,
            true, false, 15, 5, 10, 3, 20, 30, List.of(), new QueueDefinition.Announcements(false, false, 0, 0),
            "default", "0", new QueueDefinition.Destination("callback", ""),
            new QueueDefinition.Destination("extension", "1002", true));

    private static final QueueDefinition PARKING = new QueueDefinition("7002", "app support",
            Strategy.LONGEST_IDLE, 0, 0, true, false, 15, 5, 10, 3, 20, 30, List.of(), QUEUE.announcements(),
            "default", "", QueueDefinition.Destination.NONE, QueueDefinition.Destination.NONE)
            .withPark(new QueueDefinition.Park(true, true, false, 0, 90));

    private final ManualTimers timers = new ManualTimers();
    private final RecordedLines lines = new RecordedLines();
    private final RecordedSeat seat = new RecordedSeat();
    private final RecordedCall call = new RecordedCall();
    private final WaitingCaller caller = new WaitingCaller(QUEUE, seat, call, lines, timers, new Object());

    @Test
    void hangingUpWhileAnOfferRingsCancelsItAndRecordsTheAbandon() {
        caller.startWaiting();
        caller.place(offer("o1"), routes());
        lines.respond("a1", 180);
        caller.hungUp();
        assertThat(lines.sent("a1")).containsExactly("INVITE", "CANCEL");
        assertThat(seat.events).containsExactly("leave 7000 ABANDON '' ''");

        caller.onStep(lines.branches.get("a1"), lines.respond("a1", 487), null);
        timers.advance(Duration.ofMinutes(1)); // neither the ring timeout nor the maximum wait fires now
        assertThat(seat.events).containsExactly("leave 7000 ABANDON '' ''");
        assertThat(call.events).isEmpty();
    }

    @Test
    void theMaximumWaitWithdrawsTheOfferAndLeavesForTheOverflowDestination() {
        caller.startWaiting();
        caller.place(offer("o1"), routes());
        timers.advance(Duration.ofSeconds(10));
        assertThat(seat.events).containsExactly("leave 7000 TIMEOUT '' 'extension:1002'");
        assertThat(call.events).containsExactly("leaveFor TIMEOUT Extension[number=1002, orCallback=true] timeout");
        assertThat(lines.sent("a1")).containsExactly("INVITE"); // RFC 3261 §9.1: the CANCEL waits for a 1xx
        lines.respond("a1", 180);
        assertThat(lines.sent("a1")).containsExactly("INVITE", "CANCEL");
    }

    @Test
    void theExitKeyLeavesForTheExitDestination() {
        caller.startWaiting();
        caller.digit('0');
        assertThat(seat.events).containsExactly("leave 7000 EXIT_KEY '0' 'callback'");
        assertThat(call.events).containsExactly("leaveFor EXIT_KEY Callback[] exit-key");
    }

    @Test
    void anAgentsAnswerConnectsTheCallerAndEndsTheWait() {
        caller.startWaiting();
        caller.place(offer("o1"), routes());
        caller.onStep(lines.branches.get("a1"), lines.respond("a1", 200), RingingOfferTest.ANSWER_SDP);
        assertThat(seat.events).containsExactly("accept a1");
        assertThat(call.events).containsExactly("connect a1");
        timers.advance(Duration.ofMinutes(5));
        assertThat(seat.events).containsExactly("accept a1");
        assertThat(call.events).containsExactly("connect a1");
    }

    @Test
    void aMissedOfferLeavesTheCallerInItsPlaceToBeOfferedAgain() {
        QueueDefinition patient = new QueueDefinition("7000", "support", Strategy.LONGEST_IDLE, 0, 0, true, false, 15,
                5, 10, 3, 20, 30, List.of(), QUEUE.announcements(), "default", "", QueueDefinition.Destination.NONE,
                QueueDefinition.Destination.NONE);
        WaitingCaller waiting = new WaitingCaller(patient, seat, call, lines, timers, new Object());
        waiting.startWaiting();
        waiting.place(offer("o1"), routes());
        timers.advance(Duration.ofSeconds(15));
        assertThat(seat.events).containsExactly("no-answer a1", "offer again 7000");
        assertThat(call.events).isEmpty();

        waiting.place(offer("o2"), routes()); // the next claim rings again
        assertThat(lines.sent("a1")).containsExactly("INVITE");
    }

    @Test
    void anOfferThatComesWhileAnotherRingsOrAfterTheCallerLeftIsReleased() {
        caller.startWaiting();
        caller.place(offer("o1"), routes());
        caller.place(offer("o2"), routes());
        assertThat(seat.events).containsExactly("release o2 busy");
        call.waiting = false;
        caller.place(offer("o3"), routes());
        assertThat(seat.events).containsExactly("release o2 busy", "release o3 caller-gone");
    }

    @Test
    void theAcdEndingTheRingingOfferCancelsItAndTheCallerIsOfferedAgain() {
        caller.startWaiting();
        caller.place(offer("o1"), routes());
        lines.respond("a1", 180);
        caller.offerEnded("o-other", "freed");
        assertThat(lines.sent("a1")).containsExactly("INVITE");
        caller.offerEnded("o1", "freed");
        assertThat(lines.sent("a1")).containsExactly("INVITE", "CANCEL");
        timers.advance(Duration.ZERO);
        assertThat(seat.events).containsExactly("offer again 7000");
    }

    @Test
    void anAgentWithoutAPhoneIsReportedUnreachableAndTheCallerOfAParkingQueueIsParkedWhenNobodyIsLeft() {
        WaitingCaller waiting = new WaitingCaller(PARKING, seat, call, lines, timers, new Object());
        seat.available = false;
        waiting.startWaiting();
        waiting.place(offer("o1"), Map.of("a1", new Route.Offline()));
        timers.advance(Duration.ZERO);
        assertThat(seat.events).containsExactly("unreachable a1", "available? 7002", "leave 7002 PARK '' 'park'");
        assertThat(call.events).containsExactly("leaveFor PARK Park[reason=no-agent] park");
    }

    @Test
    void anAgentWhosePhoneAnswers480IsUnreachableAndTheCallerIsParked() {
        WaitingCaller waiting = new WaitingCaller(PARKING, seat, call, lines, timers, new Object());
        seat.available = false;
        waiting.startWaiting();
        waiting.place(offer("o1"), routes());
        waiting.onStep(lines.branches.get("a1"), lines.respond("a1", 480), null);
        timers.advance(Duration.ZERO);
        assertThat(seat.events).containsExactly("unreachable a1", "available? 7002", "leave 7002 PARK '' 'park'");
    }

    @Test
    void aDeclineIsAMissAndTheCallerStaysWhileAnotherMemberIsAvailable() {
        WaitingCaller waiting = new WaitingCaller(PARKING, seat, call, lines, timers, new Object());
        waiting.startWaiting();
        waiting.place(offer("o1"), routes());
        waiting.onStep(lines.branches.get("a1"), lines.respond("a1", 603), null);
        timers.advance(Duration.ZERO);
        assertThat(seat.events).containsExactly("no-answer a1", "available? 7002", "offer again 7002");
        assertThat(call.events).isEmpty();
    }

    @Test
    void inAQueueThatDoesNotParkTheCallerOfAnUnreachableAgentKeepsWaiting() {
        caller.startWaiting();
        seat.available = false;
        caller.place(offer("o1"), Map.of("a1", new Route.Offline()));
        timers.advance(Duration.ZERO);
        assertThat(seat.events).containsExactly("unreachable a1", "offer again 7000");
        assertThat(call.events).isEmpty();
    }

    @Test
    void theDrainParksAWaitingCallerOnceNoMemberIsAvailableButNotWhileAnOfferRings() {
        WaitingCaller waiting = new WaitingCaller(PARKING, seat, call, lines, timers, new Object());
        waiting.startWaiting();
        assertThat(waiting.parkIfNobodyAvailable()).isFalse(); // a member is available: the claim will come
        waiting.place(offer("o1"), routes());
        seat.available = false;
        assertThat(waiting.parkIfNobodyAvailable()).isFalse(); // its offer rings
        assertThat(seat.events).containsExactly("available? 7002");

        waiting.onStep(lines.branches.get("a1"), lines.respond("a1", 486), null);
        assertThat(waiting.parkIfNobodyAvailable()).isTrue();
        assertThat(seat.events).containsExactly("available? 7002", "no-answer a1", "available? 7002",
                "leave 7002 PARK '' 'park'");
        timers.advance(Duration.ZERO); // the offer's end finds the caller gone
        assertThat(call.events).containsExactly("leaveFor PARK Park[reason=no-agent] park");
    }

    private static OfferGrant offer(String id) {
        return new OfferGrant(id, "acme", "7000", "caller-1", "node-a", Instant.parse("2026-01-01T00:00:30Z"),
                List.of(new OfferGrant.Reservation("a1", 11, "node-a", List.of())));
    }

    private static Map<String, Route> routes() {
        return Map.of("a1", new Route.Ring(List.of(new Route.Target("sip:a1@10.0.0.1:5060", "udp", null))));
    }

    private static final class RecordedSeat implements WaitingCaller.Seat {
        final List<String> events = new ArrayList<>();
        boolean available = true;

        @Override
        public void leave(String queue, Callers.Exit exit, String key, String destination) {
            events.add("leave " + queue + " " + exit + " '" + key + "' '" + destination + "'");
        }

        @Override
        public void release(QueueDefinition queue, OfferGrant grant, String why) {
            events.add("release " + grant.offerId() + " " + why);
        }

        @Override
        public RingingOffer.Reports reports(QueueDefinition queue, OfferGrant grant) {
            return new RingingOffer.Reports() {
                @Override
                public Claims.Answer accept(String agentId, long version) {
                    events.add("accept " + agentId);
                    return Claims.Answer.CONNECTED;
                }

                @Override
                public String noAnswer(String agentId) {
                    events.add("no-answer " + agentId);
                    return "NOT_READY";
                }

                @Override
                public String unreachable(String agentId) {
                    events.add("unreachable " + agentId);
                    return "not-ready";
                }
            };
        }

        @Override
        public void offerAgainLater(QueueDefinition queue) {
            events.add("offer again " + queue.number());
        }

        @Override
        public boolean anyMemberAvailable(QueueDefinition queue) {
            events.add("available? " + queue.number());
            return available;
        }
    }

    private static final class RecordedCall implements WaitingCaller.Call {
        final List<String> events = new ArrayList<>();
        boolean waiting = true;

        @Override
        public boolean waiting() {
            return waiting;
        }

        @Override
        public void connect(AgentBranch branch, NegotiatedMedia media) {
            waiting = false;
            events.add("connect " + branch.agentId);
        }

        @Override
        public void leaveFor(Callers.Exit exit, Destination destination, String cause) {
            waiting = false;
            events.add("leaveFor " + exit + " " + destination + " " + cause);
        }

        @Override
        public void announce(QueueDefinition.Announcements what) {
            events.add("announce");
        }
    }
}
