package io.tandem.backend.queuecall;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.tandem.backend.TestNode;
import io.tandem.backend.acd.agents.AgentSessions;
import io.tandem.backend.acd.queues.Queues;
import io.tandem.backend.acd.queues.Strategy;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.Redis;
import io.tandem.protocol.AgentState;
import io.tandem.telephony.testing.Await;
import io.tandem.telephony.testing.RedisServer;
import io.tandem.telephony.ua.Call;
import io.tandem.telephony.ua.CallState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * RFC 4028 session timers on a queue caller's leg, on a node whose Min-SE is lowered for the test: an interval below
 * it gets 422 and the caller joins nothing; a caller the node refreshes by UPDATE keeps its call with its agent, and
 * a caller that stops refreshing is hung up on both sides, its agent back from the call and the call recorded as
 * {@code session-expired}.
 */
class QueueSessionTimerIT {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void anIntervalBelowMinSeIsRefusedWith422AndTheCallerJoinsNothing() throws Exception {
        try (TestNode node = QueueNodes.node(redis, "qs1", "tandem.sip.min-session-expires=4s",
                "tandem.sip.session-expires=12s");
             QueuePhone caller = QueuePhone.caller("1060", 1000, 440)) {
            node.bean(Queues.class).save("demo", QueueNodes.queue("7600", Strategy.LONGEST_IDLE, 15, 1, 0, 3,
                    List.of("1061")), false);
            Call call = caller.dial(node, "7600", Map.of("Supported", "timer", "Session-Expires", "2"));
            caller.awaitState(call, CallState.ENDED);
            assertThat(call.endStatus()).isEqualTo(422);
            assertThat(node.bean(Redis.class).commands().xrange(Keys.queueLog("demo"), Range.create("-", "+"))
                    .stream().filter(m -> call.id().equals(m.getBody().get("callid")))).as("never queued").isEmpty();
        }
    }

    @Test
    void aCallerWhoStopsRefreshingIsHungUpWhileARefreshedOneTalksOn() throws Exception {
        try (TestNode node = QueueNodes.node(redis, "qs2", "tandem.sip.min-session-expires=4s",
                "tandem.sip.session-expires=12s")) {
            node.bean(Queues.class).save("demo", QueueNodes.queue("7610", Strategy.LONGEST_IDLE, 15, 1, 0, 3,
                    List.of("1063")), false);
            node.bean(Queues.class).save("demo", QueueNodes.queue("7611", Strategy.LONGEST_IDLE, 15, 1, 0, 3,
                    List.of("1064")), false);
            try (QueuePhone keptAgent = QueuePhone.agent(node, "1063", 440, 1000);
                 AgentDesk keptDesk = AgentDesk.available(node, "1063");
                 QueuePhone goneAgent = QueuePhone.agent(node, "1064", 440, 1000);
                 AgentDesk goneDesk = AgentDesk.available(node, "1064");
                 QueuePhone refreshed = QueuePhone.caller("1065", 1000, 440);
                 QueuePhone vanishing = QueuePhone.caller("1066", 1000, 440)) {
                // The caller asks the node to refresh: UPDATEs come from it.
                Call kept = refreshed.dial(node, "7610",
                        Map.of("Supported", "timer", "Session-Expires", "12;refresher=uas"));
                refreshed.awaitState(kept, CallState.CONNECTED);
                Call keptAnswered = keptAgent.nextIncoming();
                keptAnswered.answer();
                keptAgent.awaitState(keptAnswered, CallState.CONNECTED);
                // The same interval, started later, never refreshed: a phone that vanished without a BYE.
                Call gone = vanishing.dial(node, "7611",
                        Map.of("Supported", "timer", "Session-Expires", "12;refresher=uac"));
                gone.stopSessionRefresh();
                vanishing.awaitState(gone, CallState.CONNECTED);
                Call goneAnswered = goneAgent.nextIncoming();
                goneAnswered.answer();
                goneAgent.awaitState(goneAnswered, CallState.CONNECTED);
                Await.until("1064 hears its caller", WAIT, () -> goneAgent.ear(goneAnswered).toneFrames() > 25);

                vanishing.awaitState(gone, CallState.ENDED);
                goneAgent.awaitState(goneAnswered, CallState.ENDED);
                Map<String, String> record = Await.value("the expired call's record", WAIT, () -> node
                        .bean(Redis.class).commands().xrange(Keys.cdr("demo"), Range.create("-", "+")).stream()
                        .map(StreamMessage::getBody).filter(m -> gone.id().equals(m.get("callId"))).findFirst());
                assertThat(record).containsEntry("endCause", "session-expired").containsEntry("hungUpBy", "system")
                        .containsEntry("queue", "7611").containsEntry("agent", "1064");
                Await.until("1064 is off the call", WAIT,
                        () -> node.bean(AgentSessions.class).status("demo", "1064").state() != AgentState.ON_CALL);

                // The other call began earlier with the same interval: only the node's refreshes kept it.
                assertThat(kept.state()).isEqualTo(CallState.CONNECTED);
                assertThat(keptAnswered.state()).isEqualTo(CallState.CONNECTED);
                Await.until("an UPDATE from the node refreshed 1065's call", WAIT,
                        () -> kept.sessionRefreshesReceived() > 0);
                kept.hangup();
                keptAgent.awaitState(keptAnswered, CallState.ENDED);
                keptDesk.stateAfterCall("not-ready");
                goneDesk.stateAfterCall("not-ready");
            }
        }
    }
}
