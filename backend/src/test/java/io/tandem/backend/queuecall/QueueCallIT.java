package io.tandem.backend.queuecall;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.tandem.backend.TestNode;
import io.tandem.backend.acd.agents.AgentSessions;
import io.tandem.backend.acd.dispatch.Callers;
import io.tandem.backend.acd.dispatch.Claims;
import io.tandem.backend.acd.queues.QueueDefinition;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Queue calls end to end on three nodes and one Redis: a caller is answered by the node it reached, hears music,
 * waits in the cluster-wide queue; the offer rings the agent's phone wherever it is registered (over the trunk),
 * the answer bridges caller and agent on the caller's node with tones both ways; the ACD's states, queue log and
 * the CDR follow.
 */
class QueueCallIT {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    static final Duration AUDIO = Duration.ofSeconds(20);

    static TestNode n1;
    static TestNode n2;
    static TestNode n3;

    @BeforeAll
    static void nodes() {
        n1 = QueueNodes.node(redis, "q1");
        n2 = QueueNodes.node(redis, "q2");
        n3 = QueueNodes.node(redis, "q3");
    }

    @AfterAll
    static void stop() {
        for (TestNode node : List.of(n1, n2, n3)) {
            // A figure for the report, not an assertion: every offer here found its agent free.
            var snapshot = node.bean(io.micrometer.core.instrument.MeterRegistry.class)
                    .get("tandem.queue.dispatch").timer().takeSnapshot();
            System.out.printf("queue dispatch latency (agents free) %s: n=%d max=%.1f ms %s%n",
                    node.bean(io.tandem.backend.node.NodeIdentity.class).id(), snapshot.count(),
                    snapshot.max(java.util.concurrent.TimeUnit.MILLISECONDS),
                    java.util.Arrays.toString(snapshot.percentileValues()));
        }
        n1.close();
        n2.close();
        n3.close();
    }

    static AgentState state(String agent) {
        return n1.bean(AgentSessions.class).status("demo", agent).state();
    }

    static List<String> queueLog(String callId) {
        return n1.bean(Redis.class).commands().xrange(Keys.queueLog("demo"), Range.create("-", "+")).stream()
                .filter(m -> callId.equals(m.getBody().get("callid"))).map(m -> m.getBody().get("event")).toList();
    }

    static Map<String, String> cdr(String callId) {
        return n1.bean(Redis.class).commands().xrange(Keys.cdr("demo"), Range.create("-", "+")).stream()
                .map(StreamMessage::getBody).filter(b -> callId.equals(b.get("callId"))).findFirst().orElse(Map.of());
    }

    @Test
    void aCallerOnNode1IsAnsweredHearsMusicAndTalksWithTheAgentOnNode2() throws Exception {
        n1.bean(Queues.class).save("demo", QueueNodes.queue("7000", Strategy.LONGEST_IDLE, 15, 1, 2, 3,
                List.of("1002")), false);
        try (QueuePhone agent = QueuePhone.agent(n2, "1002", 440, 1000);
             AgentDesk desk = AgentDesk.available(n2, "1002").listen();
             QueuePhone caller = QueuePhone.caller("1001", 1000, 440)) {
            Call call = caller.dial(n1, "7000");
            caller.awaitState(call, CallState.CONNECTED);
            Await.until("the caller hears music on hold", AUDIO, () -> caller.ear(call).soundFrames() > 50);

            JsonNode offer = desk.next("offer");
            Call ringing = agent.nextIncoming();
            assertThat(offer.path("callId").asText()).isEqualTo(call.id());
            assertThat(offer.path("callerNumber").asText()).isEqualTo("1001");
            assertThat(ringing.inviteHeader("X-Tandem-Offer")).isEqualTo(offer.path("offerId").asText());
            assertThat(ringing.inviteHeader("P-Asserted-Identity")).contains("sip:1001@");
            assertThat(state("1002")).isEqualTo(AgentState.RESERVED);

            ringing.answer();
            agent.awaitState(ringing, CallState.CONNECTED);
            long musicTone = caller.ear(call).toneFrames();
            Await.until("the agent hears the caller's 1 kHz", AUDIO, () -> agent.ear(ringing).toneFrames() > 25);
            Await.until("the caller hears the agent's 440 Hz", AUDIO,
                    () -> caller.ear(call).toneFrames() > musicTone + 25);
            assertThat(state("1002")).isEqualTo(AgentState.ON_CALL);

            call.hangup();
            agent.awaitState(ringing, CallState.ENDED);
            Await.until("1002 in wrap-up after the call", Duration.ofSeconds(30),
                    () -> state("1002") == AgentState.WRAP_UP || state("1002") == AgentState.AVAILABLE);
            Await.until("1002 available after wrap-up", Duration.ofSeconds(30),
                    () -> state("1002") == AgentState.AVAILABLE);
            assertThat(queueLog(call.id())).containsSubsequence("ENTERQUEUE", "CONNECT", "COMPLETECALLER");
            Await.until("the call's record", Duration.ofSeconds(30), () -> !cdr(call.id()).isEmpty());
            Map<String, String> record = cdr(call.id());
            assertThat(record).containsEntry("queue", "7000").containsEntry("agent", "1002")
                    .containsEntry("nodes", "q1,q2").containsEntry("from", "1001")
                    .containsEntry("hungUpBy", "caller").containsEntry("endCause", "normal");
            assertThat(record.get("answeredAt")).isNotEmpty();
            Await.until("node 1 let the call go", Duration.ofSeconds(30),
                    () -> n1.bean(QueueCalls.class).activeCalls() == 0);
            desk.state("not-ready");
        }
    }

    @Test
    void ringAllWithFiveAgentsAnsweringAtOnceConnectsOneAndReleasesFour() throws Exception {
        List<String> ids = List.of("1011", "1012", "1013", "1014", "1015");
        n1.bean(Queues.class).save("demo", QueueNodes.queue("7100", Strategy.RING_ALL, 15, 1, 0, 0, ids), false);
        TestNode[] at = {n1, n2, n3, n1, n2};
        List<QueuePhone> agents = new ArrayList<>();
        List<AgentDesk> desks = new ArrayList<>();
        try (QueuePhone caller = QueuePhone.caller("1010", 1000, 440)) {
            for (int i = 0; i < ids.size(); i++) {
                agents.add(QueuePhone.agent(at[i], ids.get(i), 440, 1000));
                desks.add(AgentDesk.available(at[i], ids.get(i)));
            }
            Call call = caller.dial(n3, "7100");
            caller.awaitState(call, CallState.CONNECTED);
            List<Call> ringing = new ArrayList<>();
            for (QueuePhone agent : agents) {
                ringing.add(agent.nextIncoming());
            }
            ids.forEach(id -> assertThat(state(id)).isEqualTo(AgentState.RESERVED));
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> answering = new ArrayList<>();
            for (Call r : ringing) {
                Thread t = new Thread(() -> {
                    try {
                        go.await();
                        r.answer();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                t.start();
                answering.add(t);
            }
            go.countDown();
            for (Thread t : answering) {
                t.join();
            }
            Await.until("one agent on the call, four released", AUDIO,
                    () -> ringing.stream().filter(r -> r.state() == CallState.ENDED).count() == 4
                            && ringing.stream().filter(r -> r.state() == CallState.CONNECTED).count() == 1);
            int winner = 0;
            while (ringing.get(winner).state() != CallState.CONNECTED) {
                winner++;
            }
            String winnerId = ids.get(winner);
            assertThat(state(winnerId)).isEqualTo(AgentState.ON_CALL);
            Await.until("the four others available again", Duration.ofSeconds(30),
                    () -> ids.stream().filter(id -> !id.equals(winnerId))
                            .allMatch(id -> state(id) == AgentState.AVAILABLE));
            Call won = ringing.get(winner);
            QueuePhone winnerPhone = agents.get(winner);
            Await.until("the winner hears the caller", AUDIO, () -> winnerPhone.ear(won).toneFrames() > 25);
            assertThat(queueLog(call.id()).stream().filter("CONNECT"::equals).count()).isEqualTo(1);
            won.hangup();
            caller.awaitState(call, CallState.ENDED);
            Await.until("the winner available after the call", Duration.ofSeconds(30),
                    () -> state(winnerId) == AgentState.AVAILABLE);
        } finally {
            for (AgentDesk desk : desks) {
                desk.state("not-ready");
                desk.close();
            }
            agents.forEach(QueuePhone::close);
        }
    }

    @Test
    void anAgentWhoDoesNotAnswerGoesNotReadyAndTheCallerIsOfferedToTheNext() throws Exception {
        n1.bean(Queues.class).save("demo", QueueNodes.queue("7200", Strategy.LINEAR, 2, 1, 0, 1,
                List.of("1021", "1022")), false);
        try (QueuePhone sleepy = QueuePhone.agent(n1, "1021", 440, 1000);
             QueuePhone awake = QueuePhone.agent(n3, "1022", 440, 1000).onIncoming(Call::answer);
             AgentDesk d1 = AgentDesk.available(n1, "1021");
             AgentDesk d2 = AgentDesk.available(n3, "1022");
             QueuePhone caller = QueuePhone.caller("1020", 1000, 440)) {
            Call call = caller.dial(n2, "7200");
            caller.awaitState(call, CallState.CONNECTED);
            Call missed = sleepy.nextIncoming();
            sleepy.awaitState(missed, CallState.ENDED);
            assertThat(missed.endStatus()).isEqualTo(487);
            Await.until("1021 not ready after one miss", Duration.ofSeconds(30),
                    () -> state("1021") == AgentState.NOT_READY);
            Call answered = awake.nextIncoming();
            awake.awaitState(answered, CallState.CONNECTED);
            Await.until("1022 hears the caller", AUDIO, () -> awake.ear(answered).toneFrames() > 25);
            assertThat(queueLog(call.id())).containsSubsequence("ENTERQUEUE", "RINGNOANSWER", "CONNECT");
            answered.hangup();
            caller.awaitState(call, CallState.ENDED);
            // The caller's BYE can arrive before the node has finished the call's bookkeeping.
            Await.until("COMPLETEAGENT in the queue log", Duration.ofSeconds(30),
                    () -> queueLog(call.id()).contains("COMPLETEAGENT"));
            d2.state("not-ready");
        }
    }

    @Test
    void anAgentOnADirectCallGetsNoQueueOfferUntilThatCallEnds() throws Exception {
        QueueDefinition queue = QueueNodes.queue("7400", Strategy.LONGEST_IDLE, 15, 1, 0, 3, List.of("1030"));
        n1.bean(Queues.class).save("demo", queue, false);
        try (QueuePhone agent = QueuePhone.agent(n2, "1030", 440, 1000).onIncoming(Call::answer);
             AgentDesk desk = AgentDesk.available(n2, "1030");
             QueuePhone colleague = QueuePhone.caller("1031", 1000, 440);
             QueuePhone caller = QueuePhone.caller("1032", 1000, 440)) {
            // A colleague calls the agent through node 1; the agent's leg is on node 2, across the trunk.
            Call direct = colleague.dial(n1, "1030");
            Call directLeg = agent.nextIncoming();
            colleague.awaitState(direct, CallState.CONNECTED);
            Await.until("node 2 counts 1030 on a direct call", Duration.ofSeconds(30), () -> "1".equals(
                    n1.bean(Redis.class).commands().hget(Keys.agent("demo", "1030"), "direct:q2")));

            Call queued = caller.dial(n3, "7400");
            caller.awaitState(queued, CallState.CONNECTED);
            Await.until("the caller waits in 7400", Duration.ofSeconds(30),
                    () -> n1.bean(Callers.class).waiting("demo", "7400").size() == 1);
            // Available for queue calls, yet busy: neither the claims the nodes ran nor one more finds the agent.
            assertThat(state("1030")).isEqualTo(AgentState.AVAILABLE);
            assertThat(n3.bean(Claims.class).claim("demo", queue, Set.of("q1", "q2", "q3"))).isEmpty();
            assertThat(agent.incoming).isEmpty();

            // The direct call ends: the waiting caller is offered to the agent, who answers.
            direct.hangup();
            agent.awaitState(directLeg, CallState.ENDED);
            Call queueLeg = agent.nextIncoming();
            agent.awaitState(queueLeg, CallState.CONNECTED);
            Await.until("1030 hears the caller", AUDIO, () -> agent.ear(queueLeg).toneFrames() > 25);
            assertThat(queueLeg.inviteHeader("P-Asserted-Identity")).contains("sip:1032@");
            assertThat(queueLog(queued.id())).containsSubsequence("ENTERQUEUE", "CONNECT")
                    .doesNotContain("RINGNOANSWER");
            assertThat(n1.bean(Redis.class).commands().hget(Keys.agent("demo", "1030"), "direct:q2")).isNull();
            queued.hangup();
            desk.stateAfterCall("not-ready");
        }
    }

    @Test
    void aCallerWhoHangsUpWhileTheAgentRingsIsLoggedAsAbandonAndTheOfferCancelled() throws Exception {
        n1.bean(Queues.class).save("demo", QueueNodes.queue("7300", Strategy.LONGEST_IDLE, 15, 1, 0, 3,
                List.of("1023")), false);
        try (QueuePhone agent = QueuePhone.agent(n2, "1023", 440, 1000);
             AgentDesk desk = AgentDesk.available(n2, "1023");
             QueuePhone caller = QueuePhone.caller("1024", 1000, 440)) {
            Call call = caller.dial(n1, "7300");
            caller.awaitState(call, CallState.CONNECTED);
            Call ringing = agent.nextIncoming();
            call.hangup();
            agent.awaitState(ringing, CallState.ENDED);
            assertThat(ringing.endStatus()).isEqualTo(487);
            Await.until("1023 available again", Duration.ofSeconds(30),
                    () -> state("1023") == AgentState.AVAILABLE);
            assertThat(queueLog(call.id())).containsSubsequence("ENTERQUEUE", "ABANDON");
            Await.until("the abandoned call's record", Duration.ofSeconds(30), () -> !cdr(call.id()).isEmpty());
            assertThat(cdr(call.id())).containsEntry("endCause", "abandoned").containsEntry("answeredAt", "");
            desk.state("not-ready");
        }
    }

    @Test
    void theExitKeyLeavesForAnotherQueueWhereMaxWaitEndsTheCallWithAnnouncementsMeanwhile() throws Exception {
        QueueDefinition.Announcements often = new QueueDefinition.Announcements(true, true, 1, 1);
        QueueDefinition overflow = new QueueDefinition("7601", "overflow", Strategy.LONGEST_IDLE, 3, 0, true, false,
                15, 1, 0, 0, 20, 30, List.of(), often, "default", "", QueueDefinition.Destination.NONE,
                QueueDefinition.Destination.NONE);
        QueueDefinition first = new QueueDefinition("7600", "first", Strategy.LONGEST_IDLE, 0, 0, true, false, 15, 1,
                0, 0, 20, 30, List.of(), often, "default", "5", new QueueDefinition.Destination("queue", "7601"),
                QueueDefinition.Destination.NONE);
        n1.bean(Queues.class).save("demo", overflow, false);
        n1.bean(Queues.class).save("demo", first, false);
        long announced = n2.bean(QueueCalls.class).announcementsPlayed();
        try (QueuePhone caller = QueuePhone.caller("1026", 1000, 440)) {
            Call call = caller.dial(n2, "7600");
            caller.awaitState(call, CallState.CONNECTED);
            Await.until("position and wait announced to the caller", AUDIO,
                    () -> n2.bean(QueueCalls.class).announcementsPlayed() >= announced + 2);
            Await.until("the caller hears prompts and music", AUDIO, () -> caller.ear(call).soundFrames() > 50);

            call.sendDtmf('5');
            Await.until("the caller left 7600 with its exit key for 7601", AUDIO,
                    () -> queueLog(call.id()).contains("EXITWITHKEY")
                            && n1.bean(Callers.class).find("demo", "7601", call.id()).isPresent());
            caller.awaitState(call, CallState.ENDED);
            Await.until("EXITWITHTIMEOUT in the queue log", Duration.ofSeconds(30),
                    () -> queueLog(call.id()).contains("EXITWITHTIMEOUT"));
            assertThat(queueLog(call.id())).containsSubsequence("ENTERQUEUE", "EXITWITHKEY", "ENTERQUEUE",
                    "EXITWITHTIMEOUT");
            Await.until("the record", Duration.ofSeconds(30), () -> !cdr(call.id()).isEmpty());
            assertThat(cdr(call.id())).containsEntry("endCause", "timeout").containsEntry("queue", "7601");
        }
    }
}
