package io.tandem.backend.queuecall;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.Range;
import io.tandem.backend.TestNode;
import io.tandem.backend.acd.agents.AgentSessions;
import io.tandem.backend.acd.dispatch.Callers;
import io.tandem.backend.acd.queues.Queues;
import io.tandem.backend.acd.queues.Strategy;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.Redis;
import io.tandem.protocol.AgentState;
import io.tandem.telephony.testing.Await;
import io.tandem.telephony.testing.SentinelGroup;
import io.tandem.telephony.ua.Call;
import io.tandem.telephony.ua.CallState;
import io.tandem.telephony.ua.RegistrationState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Redis master dies (SIGKILL) under two nodes on a {@code redis-sentinel://} URI, with agents talking and
 * callers waiting on both. The sentinels promote a replica; the nodes find it through the sentinels by themselves.
 * New queue calls and REGISTERs succeed again, each waiting caller is offered once and connected once, no agent is
 * left reserved, and every caller has its queue-log records. The time from the kill to the first successful queue
 * call and REGISTER is printed for the note, not asserted.
 */
class SentinelFailoverIT {

    @RegisterExtension
    static final SentinelGroup redis = new SentinelGroup();

    static final Duration AUDIO = Duration.ofSeconds(20);
    /** How long the service may take to come back, generous for a loaded machine; the figure is printed. */
    static final Duration RECOVERY = Duration.ofSeconds(60);

    static TestNode s1;
    static TestNode s2;

    /** Production's command timeout: a request waits that long for the new master before its 503. */
    @BeforeAll
    static void start() {
        s1 = QueueNodes.node(redis.uri(), "s1", "tandem.redis.command-timeout=5s");
        s2 = QueueNodes.node(redis.uri(), "s2", "tandem.redis.command-timeout=5s");
    }

    @AfterAll
    static void stop() {
        s1.close();
        s2.close();
    }

    static AgentState state(String agent) {
        return s1.bean(AgentSessions.class).status("demo", agent).state();
    }

    static List<String> queueLog(String callId) {
        return s1.bean(Redis.class).commands().xrange(Keys.queueLog("demo"), Range.create("-", "+")).stream()
                .filter(m -> callId.equals(m.getBody().get("callid"))).map(m -> m.getBody().get("event")).toList();
    }

    /** The offers made to {@code callId}, one per agent rung, from the tenant's event stream. */
    static long offers(String callId) {
        return s1.bean(Redis.class).commands().xrange(Keys.events("demo"), Range.create("-", "+")).stream()
                .map(m -> m.getBody())
                .filter(b -> "offer".equals(b.get("kind")) && callId.equals(b.get("callId"))).count();
    }

    @Test
    void theQueueCarriesOnAfterTheMasterFailsOver() throws Exception {
        s1.bean(Queues.class).save("demo", QueueNodes.queue("7600", Strategy.LONGEST_IDLE, 15, 1, 0, 3,
                List.of("1061", "1062")), false);
        try (QueuePhone agent1 = QueuePhone.agent(s1, "1061", 440, 1000).onIncoming(Call::answer);
             AgentDesk desk1 = AgentDesk.available(s1, "1061");
             QueuePhone agent2 = QueuePhone.agent(s2, "1062", 440, 1000).onIncoming(Call::answer);
             AgentDesk desk2 = AgentDesk.available(s2, "1062");
             QueuePhone talking1 = QueuePhone.caller("1063", 1000, 440);
             QueuePhone talking2 = QueuePhone.caller("1064", 1000, 440);
             QueuePhone waiting1 = QueuePhone.caller("1065", 1000, 440);
             QueuePhone waiting2 = QueuePhone.caller("1066", 1000, 440);
             QueuePhone late = QueuePhone.caller("1067", 1000, 440)) {
            // Both agents talking, one caller from each node.
            Call a = talking1.dial(s1, "7600");
            Call b = talking2.dial(s2, "7600");
            Call legA = agent1.nextIncoming();
            Call legB = agent2.nextIncoming();
            agent1.awaitState(legA, CallState.CONNECTED);
            agent2.awaitState(legB, CallState.CONNECTED);
            Await.until("both agents on call", Duration.ofSeconds(30),
                    () -> state("1061") == AgentState.ON_CALL && state("1062") == AgentState.ON_CALL);

            // Two callers waiting, one on each node.
            Call c = waiting1.dial(s1, "7600");
            Call d = waiting2.dial(s2, "7600");
            waiting1.awaitState(c, CallState.CONNECTED);
            waiting2.awaitState(d, CallState.CONNECTED);
            Await.until("two callers waiting", Duration.ofSeconds(30),
                    () -> s1.bean(Callers.class).waiting("demo", "7600").size() == 2);

            int oldMaster = redis.masterPort();
            redis.killMaster();
            long killed = System.nanoTime();

            // A REGISTER sent now waits in the node for the new master; the phone retries every second after a 503.
            try (QueuePhone newcomer = QueuePhone.registering(s2, "1068", Duration.ofSeconds(15),
                    Duration.ofSeconds(1))) {
                // New queue calls: each attempt either waits for the new master and is queued, or gets a 503.
                List<Integer> refusals = new ArrayList<>();
                Call queued = null;
                long deadline = killed + RECOVERY.toNanos();
                while (queued == null && System.nanoTime() < deadline) {
                    Call attempt = late.dial(s1, "7600");
                    Await.until("the attempt is answered or refused", QueuePhone.WAIT,
                            () -> attempt.state() == CallState.CONNECTED || attempt.state() == CallState.ENDED);
                    if (attempt.state() == CallState.CONNECTED) {
                        queued = attempt;
                    } else {
                        refusals.add(attempt.endStatus());
                    }
                }
                assertThat(queued).as("a queue call succeeds after the failover (refused: " + refusals + ")")
                        .isNotNull();
                Call firstQueued = queued;
                Await.until("the new caller is in the queue", RECOVERY,
                        () -> queueLog(firstQueued.id()).contains("ENTERQUEUE"));
                System.out.printf("sentinel failover: first queue call in the queue %d ms after the master's death"
                        + " (%d refused first: %s)%n", (System.nanoTime() - killed) / 1_000_000, refusals.size(),
                        refusals);
                int newMaster = redis.awaitFailover(RECOVERY);
                System.out.printf("sentinel failover: sentinels agree on master %d (was %d) %d ms after its death%n",
                        newMaster, oldMaster, (System.nanoTime() - killed) / 1_000_000);
                // Offers for a caller held by the other node travel over its pub/sub channel: both nodes must listen
                // on the new master, or such an offer is released unplaced and the caller waits for the next claim.
                for (String node : List.of("s1", "s2")) {
                    String channel = Keys.nodeOffers(node);
                    Await.until(node + " listens for offers on the new master", RECOVERY,
                            () -> s1.bean(Redis.class).commands().pubsubNumsub(channel).getOrDefault(channel, 0L) >= 1);
                }
                Await.until("a REGISTER succeeds after the failover", RECOVERY,
                        () -> newcomer.ua.registrationState() == RegistrationState.REGISTERED);
                System.out.printf("sentinel failover: a REGISTER succeeded %d ms after the master's death%n",
                        (System.nanoTime() - killed) / 1_000_000);
                queued.hangup();
                late.awaitState(queued, CallState.ENDED);
                // The node writes the caller's departure after its BYE is answered.
                Await.until("the caller who left has its ABANDON record", RECOVERY,
                        () -> queueLog(firstQueued.id()).contains("ABANDON"));
                assertThat(queueLog(queued.id())).as("the caller who came during the failover")
                        .containsSubsequence("ENTERQUEUE", "ABANDON");
            }

            // The talking calls end; the agents take the waiting callers, each once.
            a.hangup();
            b.hangup();
            Call legC = nextConnected(agent1, agent2);
            Call legD = nextConnected(agent1, agent2);
            Await.until("both waiting callers connected", RECOVERY,
                    () -> queueLog(c.id()).contains("CONNECT") && queueLog(d.id()).contains("CONNECT"));
            assertThat(List.of(legC.inviteHeader("P-Asserted-Identity"), legD.inviteHeader("P-Asserted-Identity")))
                    .anyMatch(h -> h.contains("sip:1065@")).anyMatch(h -> h.contains("sip:1066@"));
            for (String id : List.of(c.id(), d.id())) {
                assertThat(queueLog(id)).as("caller " + id).containsSubsequence("ENTERQUEUE", "CONNECT")
                        .doesNotContain("LOSTNODE", "ABANDON", "RINGNOANSWER");
                assertThat(queueLog(id).stream().filter("CONNECT"::equals).count()).as("connects of " + id)
                        .isEqualTo(1);
                assertThat(offers(id)).as("offers of " + id).isEqualTo(1);
            }
            assertThat(agent1.incoming.poll(2, TimeUnit.SECONDS)).as("a third offer to agent 1061").isNull();
            assertThat(agent2.incoming.poll(0, TimeUnit.SECONDS)).as("a third offer to agent 1062").isNull();
            assertThat(s1.bean(Callers.class).waiting("demo", "7600")).isEmpty();
            assertNoAgentReservedBeyondItsLease();

            for (Call talked : List.of(a, b)) {
                assertThat(queueLog(talked.id())).as("caller " + talked.id() + " (talking at the failover)")
                        .isNotEmpty();
            }
            legC.hangup();
            legD.hangup();
            Await.until("both agents available after their calls", Duration.ofSeconds(30),
                    () -> state("1061") == AgentState.AVAILABLE && state("1062") == AgentState.AVAILABLE);
            assertNoAgentReservedBeyondItsLease();
            desk1.state("not-ready");
            desk2.state("not-ready");
        }
    }

    /** Every agent record that says reserved still holds a lease that has not run out. */
    static void assertNoAgentReservedBeyondItsLease() {
        long now = System.currentTimeMillis();
        for (String agent : List.of("1061", "1062")) {
            Map<String, String> record = s1.bean(Redis.class).commands().hgetall(Keys.agent("demo", agent));
            if ("reserved".equals(record.get("state"))) {
                assertThat(Long.parseLong(record.getOrDefault("leaseUntil", "0"))).as("lease of " + agent + " " + record)
                        .isGreaterThan(now);
            }
        }
    }

    /** The next call either agent answered (both answer as soon as they ring). */
    private static Call nextConnected(QueuePhone agent1, QueuePhone agent2) throws InterruptedException {
        long deadline = System.nanoTime() + QueuePhone.WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            for (QueuePhone agent : List.of(agent1, agent2)) {
                Call call = agent.incoming.poll(50, TimeUnit.MILLISECONDS);
                if (call != null) {
                    agent.awaitState(call, CallState.CONNECTED);
                    Await.until(agent.extension + " hears the caller", AUDIO, () -> agent.ear(call).toneFrames() > 25);
                    return call;
                }
            }
        }
        throw new AssertionError("no agent took a waiting caller");
    }
}
