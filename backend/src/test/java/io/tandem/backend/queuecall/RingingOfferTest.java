package io.tandem.backend.queuecall;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.backend.acd.dispatch.Claims;
import io.tandem.backend.acd.dispatch.OfferGrant;
import io.tandem.backend.node.sip.OutgoingBranch;
import io.tandem.backend.routing.Route;
import io.tandem.telephony.sdp.NegotiatedMedia;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The offer being rung for a waiting caller, on fake time and without sockets: the branches are real
 * {@link OutgoingBranch}es whose messages are recorded, the claim scripts and the caller are recorded too.
 */
class RingingOfferTest {

    private static final Duration RING = Duration.ofSeconds(15);
    static final String ANSWER_SDP = """
            v=0\r
            o=- 1 1 IN IP4 127.0.0.1\r
            s=-\r
            c=IN IP4 127.0.0.1\r
            t=0 0\r
            m=audio 40000 RTP/AVP 0\r
            a=rtpmap:0 PCMU/8000\r
            a=sendrecv\r
            """;

    private final ManualTimers timers = new ManualTimers();
    private final RecordedReports reports = new RecordedReports();
    private final RecordedLines lines = new RecordedLines();
    private final RecordedCaller caller = new RecordedCaller();
    private final OfferGrant grant = new OfferGrant("o1", "acme", "7000", "caller-1", "node-a",
            Instant.parse("2026-01-01T00:00:30Z"), List.of(new OfferGrant.Reservation("a1", 11, "node-a", List.of()),
                    new OfferGrant.Reservation("a2", 21, "node-a", List.of())));
    private final RingingOffer offer = new RingingOffer(grant, RING, reports, lines, caller, timers, new Object());

    @Test
    void theRingTimeoutReportsEveryAgentThatDidNotAnswerAndTheCallerKeepsItsPlace() {
        offer.ring(bothReachable());
        respond("a1", 180);
        timers.advance(RING.minusSeconds(1));
        assertThat(reports.events).isEmpty();

        timers.advance(Duration.ofSeconds(1));
        assertThat(reports.events).containsExactly("no-answer a1", "no-answer a2");
        assertThat(lines.sent("a1")).containsExactly("INVITE", "CANCEL");
        assertThat(lines.sent("a2")).containsExactly("INVITE"); // RFC 3261 §9.1: no CANCEL before a 1xx
        assertThat(caller.events).containsExactly("over o1"); // back in its place, offered again later
        assertThat(offer.isOver()).isTrue();

        respond("a2", 180);
        assertThat(lines.sent("a2")).containsExactly("INVITE", "CANCEL");
        respond("a1", 487);
        respond("a2", 487);
        assertThat(reports.events).hasSize(2);
        assertThat(lines.released).containsExactly("a1", "a2");
        assertThat(caller.events).containsExactly("over o1");
    }

    @Test
    void theCallerHangingUpCancelsWhatRingsAndReportsNothing() {
        offer.ring(bothReachable());
        respond("a1", 180);
        offer.withdraw();
        assertThat(lines.sent("a1")).containsExactly("INVITE", "CANCEL");
        assertThat(lines.sent("a2")).containsExactly("INVITE");

        timers.advance(RING);
        respond("a1", 487);
        respond("a2", 100);
        assertThat(lines.sent("a2")).containsExactly("INVITE", "CANCEL");
        assertThat(reports.events).isEmpty(); // the caller's ABANDON ends the offer in the claim scripts
        assertThat(caller.events).isEmpty();
    }

    @Test
    void theFirstAnswerTheScriptsAcceptWinsAndTheOtherAgentIsCancelled() {
        offer.ring(bothReachable());
        respond("a1", 180);
        respond("a2", 180);
        respond("a2", 200);
        assertThat(reports.events).containsExactly("accept a2 v21");
        assertThat(lines.sent("a2")).containsExactly("INVITE", "ACK");
        assertThat(lines.sent("a1")).containsExactly("INVITE", "CANCEL");
        assertThat(caller.events).containsExactly("connect a2 PCMU");

        timers.advance(RING);
        assertThat(reports.events).containsExactly("accept a2 v21");
        respond("a1", 487);
        assertThat(reports.events).containsExactly("accept a2 v21");
        assertThat(lines.released).containsExactly("a1");
    }

    @Test
    void anAnswerThatLostTheOfferIsHungUpAndTheOthersStillCount() {
        reports.verdict = Claims.Answer.LOST;
        offer.ring(bothReachable());
        respond("a1", 200);
        assertThat(lines.sent("a1")).containsExactly("INVITE", "ACK", "BYE");
        assertThat(caller.events).isEmpty();

        respond("a2", 486); // RFC 3261 §21.4.7: busy counts as not answering
        assertThat(reports.events).containsExactly("accept a1 v11", "no-answer a2");
        assertThat(caller.events).containsExactly("over o1");
    }

    @Test
    void busyAndDeclineAreMissesAndTheOfferIsOverOnceEveryAgentIsAnsweredFor() {
        offer.ring(bothReachable());
        respond("a1", 486);
        assertThat(reports.events).containsExactly("no-answer a1");
        assertThat(caller.events).isEmpty();
        respond("a2", 603);
        assertThat(reports.events).containsExactly("no-answer a1", "no-answer a2");
        assertThat(caller.events).containsExactly("over o1");
        timers.advance(RING);
        assertThat(reports.events).hasSize(2);
    }

    @Test
    void anAgentWhoCannotBeReachedIsReportedUnreachableAtOnce() {
        Map<String, Route> routes = bothReachable();
        routes.put("a1", new Route.Offline());
        offer.ring(routes);
        assertThat(lines.sent).doesNotContainKey("a1");
        assertThat(reports.events).containsExactly("unreachable a1");
        assertThat(caller.events).isEmpty();
    }

    @Test
    void anOfferTheAcdEndsIsCancelledWithoutReportsOfOurOwn() {
        offer.ring(bothReachable());
        respond("a1", 180);
        offer.endedByAcd("freed");
        assertThat(lines.sent("a1")).containsExactly("INVITE", "CANCEL");
        assertThat(reports.events).isEmpty();
        assertThat(caller.events).containsExactly("over o1");
    }

    @Test
    void anAnswerThatCrossedTheRingTimeoutsCancelIsEndedAndNotReportedAgain() {
        offer.ring(bothReachable());
        respond("a1", 180);
        respond("a2", 180);
        timers.advance(RING);
        respond("a1", 200);
        assertThat(lines.sent("a1")).containsExactly("INVITE", "CANCEL", "ACK", "BYE");
        assertThat(reports.events).containsExactly("no-answer a1", "no-answer a2");
        assertThat(caller.events).containsExactly("over o1");
    }

    @Test
    void aPhoneThatIsNotThereIsUnreachableButADeclineOrATimeoutIsAMiss() {
        offer.ring(bothReachable());
        respond("a1", 480); // RFC 3261 §21.4.18: the agent's phone is not available
        respond("a2", 603);
        assertThat(reports.events).containsExactly("unreachable a1", "no-answer a2");
        assertThat(caller.events).containsExactly("over o1");
    }

    @Test
    void aTimeoutAfterAnUnreachableAgentIsAMiss() {
        Map<String, Route> routes = bothReachable();
        routes.put("a1", new Route.Offline());
        offer.ring(routes);
        respond("a2", 408);
        assertThat(reports.events).containsExactly("unreachable a1", "no-answer a2");
        assertThat(caller.events).containsExactly("over o1");
    }

    private Map<String, Route> bothReachable() {
        Map<String, Route> routes = new HashMap<>();
        for (OfferGrant.Reservation r : grant.agents()) {
            routes.put(r.agentId(), new Route.Ring(List.of(new Route.Target("sip:" + r.agentId() + "@10.0.0.1:5060",
                    "udp", null))));
        }
        return routes;
    }

    /** A response to an agent's INVITE, handed to the offer as the queue call does. */
    private void respond(String agent, int status) {
        AgentBranch branch = lines.branches.get(agent);
        switch (lines.respond(agent, status)) {
            case ANSWERED -> offer.answered(branch, ANSWER_SDP);
            case ENDED -> offer.ended(branch);
            default -> {
            }
        }
    }

    private static final class RecordedReports implements RingingOffer.Reports {
        final List<String> events = new ArrayList<>();
        Claims.Answer verdict = Claims.Answer.CONNECTED;

        @Override
        public Claims.Answer accept(String agentId, long version) {
            events.add("accept " + agentId + " v" + version);
            return verdict;
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
    }

    private static final class RecordedCaller implements RingingOffer.Caller {
        final List<String> events = new ArrayList<>();
        boolean waiting = true;

        @Override
        public boolean waiting() {
            return waiting;
        }

        @Override
        public void connect(RingingOffer offer, AgentBranch branch, NegotiatedMedia media) {
            waiting = false;
            events.add("connect " + branch.agentId + " " + media.codec().encodingName());
        }

        @Override
        public void over(RingingOffer offer) {
            events.add("over " + offer.offerId());
        }
    }

}
