package io.tandem.backend.queuecall;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.tandem.backend.TestNode;
import io.tandem.backend.acd.agents.AgentSessions;
import io.tandem.backend.acd.dispatch.Callers;
import io.tandem.backend.acd.queues.Queues;
import io.tandem.backend.acd.queues.Strategy;
import io.tandem.backend.cluster.NodeRegistry;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.Redis;
import io.tandem.protocol.AgentState;
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
 * Redis restarts while two nodes have agents talking and callers waiting. Redis runs with an append-only file, as
 * production with persistence does, so the queue, the sessions and the bindings survive the restart. While it is
 * down the nodes answer a new INVITE with 503 and the bridged calls keep their media (media never touches Redis);
 * a call that ends during the outage still ends at both sides. Once Redis is back the nodes reconnect by themselves,
 * the waiting callers are offered and answered, and the agents (the one whose call ended during the outage too)
 * return to available. The outage outlasts the heartbeat TTL (3 s, the production default), so every membership
 * key has expired when Redis comes back: no waiting caller may be taken for lost to node failure.
 */
class QueueRedisRestartIT {

    @RegisterExtension
    static final RedisServer redis = RedisServer.persistent();

    static final Duration AUDIO = Duration.ofSeconds(20);
    /** 250 frames of 20 ms: the bridged calls must carry five seconds of tone with Redis down. */
    static final long OUTAGE_FRAMES = 250;

    static TestNode r1;
    static TestNode r2;

    /** Production's heartbeat TTL and command timeout (the latter bounds how long a request waits before its 503). */
    @BeforeAll
    static void start() {
        r1 = QueueNodes.node(redis, "r1", "tandem.node.heartbeat-ttl=3s", "tandem.redis.command-timeout=5s");
        r2 = QueueNodes.node(redis, "r2", "tandem.node.heartbeat-ttl=3s", "tandem.redis.command-timeout=5s");
    }

    @AfterAll
    static void stop() {
        r1.close();
        r2.close();
    }

    static AgentState state(String agent) {
        return r1.bean(AgentSessions.class).status("demo", agent).state();
    }

    static List<String> queueLog(String callId) {
        return r1.bean(Redis.class).commands().xrange(Keys.queueLog("demo"), Range.create("-", "+")).stream()
                .filter(m -> callId.equals(m.getBody().get("callid"))).map(m -> m.getBody().get("event")).toList();
    }

    @Test
    void theQueueCarriesOnAfterRedisRestarts() throws Exception {
        r1.bean(Queues.class).save("demo", QueueNodes.queue("7500", Strategy.LONGEST_IDLE, 15, 1, 0, 3,
                List.of("1051", "1052")), false);
        try (QueuePhone agent1 = QueuePhone.agent(r1, "1051", 440, 1000).onIncoming(Call::answer);
             AgentDesk desk1 = AgentDesk.available(r1, "1051");
             QueuePhone agent2 = QueuePhone.agent(r2, "1052", 440, 1000).onIncoming(Call::answer);
             AgentDesk desk2 = AgentDesk.available(r2, "1052");
             QueuePhone talking1 = QueuePhone.caller("1053", 1000, 440);
             QueuePhone talking2 = QueuePhone.caller("1054", 1000, 440);
             QueuePhone waiting1 = QueuePhone.caller("1055", 1000, 440);
             QueuePhone waiting2 = QueuePhone.caller("1056", 1000, 440);
             QueuePhone late = QueuePhone.caller("1057", 1000, 440)) {
            // Both agents talking, one caller from each node.
            Call a = talking1.dial(r1, "7500");
            Call b = talking2.dial(r2, "7500");
            Call legA = agent1.nextIncoming();
            Call legB = agent2.nextIncoming();
            agent1.awaitState(legA, CallState.CONNECTED);
            agent2.awaitState(legB, CallState.CONNECTED);
            Await.until("both agents on call", Duration.ofSeconds(30),
                    () -> state("1051") == AgentState.ON_CALL && state("1052") == AgentState.ON_CALL);

            // Two callers waiting, one on each node.
            Call c = waiting1.dial(r1, "7500");
            Call d = waiting2.dial(r2, "7500");
            waiting1.awaitState(c, CallState.CONNECTED);
            waiting2.awaitState(d, CallState.CONNECTED);
            Await.until("two callers waiting", Duration.ofSeconds(30),
                    () -> r1.bean(Callers.class).waiting("demo", "7500").size() == 2);

            redis.stop();
            try {
                long dialled = System.nanoTime();
                Call refused = late.dial(r1, "7500");
                late.awaitState(refused, CallState.ENDED);
                assertThat(refused.endStatus()).as("a new call while Redis is down").isEqualTo(503);
                // A figure for the report, not an assertion: bounded by tandem.redis.command-timeout.
                System.out.printf("redis restart: INVITE answered 503 after %d ms%n",
                        (System.nanoTime() - dialled) / 1_000_000);

                long heardA = agent1.ear(legA).toneFrames();
                long heardB = talking2.ear(b).toneFrames();
                long musicC = waiting1.ear(c).soundFrames();
                Await.until("the bridged calls keep their media with Redis down", AUDIO,
                        () -> agent1.ear(legA).toneFrames() > heardA + OUTAGE_FRAMES
                                && talking2.ear(b).toneFrames() > heardB + OUTAGE_FRAMES);
                assertThat(waiting1.ear(c).soundFrames()).as("music on hold goes on").isGreaterThan(musicC);
                assertThat(a.state()).isEqualTo(CallState.CONNECTED);
                assertThat(c.state()).isEqualTo(CallState.CONNECTED);
                assertThat(d.state()).isEqualTo(CallState.CONNECTED);

                // A call ends while Redis is down: the BYE goes through, the agent's leg is released at once.
                boolean bOnAgent1 = legA.inviteHeader("P-Asserted-Identity").contains("sip:1054@");
                b.hangup();
                Call otherLeg = bOnAgent1 ? legB : legA;
                QueuePhone otherAgent = bOnAgent1 ? agent2 : agent1;
                (bOnAgent1 ? agent1 : agent2).awaitState(bOnAgent1 ? legA : legB, CallState.ENDED);
                // Redis stays down past the command timeout after that BYE, so the agent's release fails once
                // and must be carried over the outage: the other call keeps talking meanwhile.
                long heardOther = otherAgent.ear(otherLeg).toneFrames();
                Await.until("the other call keeps its media", AUDIO,
                        () -> otherAgent.ear(otherLeg).toneFrames() > heardOther + 300);
            } finally {
                redis.startAgain();
            }
            long back = System.nanoTime();

            // The nodes reconnect by themselves; the agents finish their calls and take the waiting callers.
            Await.until("the nodes reach Redis again", Duration.ofSeconds(30), () -> {
                try {
                    return state("1051") == AgentState.ON_CALL;
                } catch (RuntimeException notYet) {
                    return false;
                }
            });
            System.out.printf("redis restart: node r1 served again %d ms after Redis was back%n",
                    (System.nanoTime() - back) / 1_000_000);
            a.hangup();
            Call legC = nextConnected(agent1, agent2);
            Call legD = nextConnected(agent1, agent2);
            waiting1.awaitState(c, CallState.CONNECTED);
            waiting2.awaitState(d, CallState.CONNECTED);
            Await.until("both waiting callers connected", Duration.ofSeconds(30),
                    () -> queueLog(c.id()).contains("CONNECT") && queueLog(d.id()).contains("CONNECT"));
            assertThat(List.of(legC.inviteHeader("P-Asserted-Identity"), legD.inviteHeader("P-Asserted-Identity")))
                    .anyMatch(h -> h.contains("sip:1055@")).anyMatch(h -> h.contains("sip:1056@"));
            for (String id : List.of(c.id(), d.id())) {
                assertThat(queueLog(id)).as("caller " + id).containsSubsequence("ENTERQUEUE", "CONNECT")
                        .doesNotContain("LOSTNODE", "ABANDON");
            }
            assertThat(r1.bean(Callers.class).waiting("demo", "7500")).isEmpty();

            c.hangup();
            d.hangup();
            Await.until("both agents available after their calls", Duration.ofSeconds(30),
                    () -> state("1051") == AgentState.AVAILABLE && state("1052") == AgentState.AVAILABLE);
            desk1.state("not-ready");
            desk2.state("not-ready");
        }
    }

    /** The next call either agent answered (both answer as soon as they ring). */
    private static Call nextConnected(QueuePhone agent1, QueuePhone agent2) throws InterruptedException {
        long deadline = System.nanoTime() + QueuePhone.WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            for (QueuePhone agent : List.of(agent1, agent2)) {
                Call call = agent.incoming.poll(50, java.util.concurrent.TimeUnit.MILLISECONDS);
                if (call != null) {
                    agent.awaitState(call, CallState.CONNECTED);
                    Await.until(agent.extension + " hears the caller", AUDIO, () -> agent.ear(call).toneFrames() > 25);
                    return call;
                }
            }
        }
        throw new AssertionError("no agent took a waiting caller; " + snapshot());
    }

    /**
     * What Redis and both nodes hold when no agent was offered a waiting caller: the agents' records, the waiting
     * callers, each node's live-node view and the tenant's latest events, so a failure says where the queue stopped.
     */
    static String snapshot() {
        try {
            var commands = r1.bean(Redis.class).commands();
            StringBuilder out = new StringBuilder();
            for (String agent : List.of("1051", "1052")) {
                out.append("\nagent ").append(agent).append(' ').append(commands.hgetall(Keys.agent("demo", agent)));
            }
            out.append("\nwait ").append(commands.zrangeWithScores(Keys.queueWait("demo", "7500"), 0, -1));
            out.append("\nready ").append(commands.zrangeWithScores(Keys.queueReady("demo", "7500"), 0, -1));
            for (String caller : commands.zrange(Keys.queueWait("demo", "7500"), 0, -1)) {
                out.append("\ncaller ").append(caller).append(' ')
                        .append(commands.hgetall(Keys.queueCaller("demo", caller)));
            }
            out.append("\nnodes ").append(commands.smembers(Keys.nodes()));
            for (TestNode node : List.of(r1, r2)) {
                out.append("\nalive at ").append(node.sipPort()).append(' ')
                        .append(node.bean(NodeRegistry.class).aliveIds());
            }
            out.append("\nevents ");
            commands.xrevrange(Keys.events("demo"), Range.create("-", "+"), Limit.create(0, 40))
                    .forEach(m -> out.append("\n  ").append(m.getId()).append(' ').append(m.getBody()));
            out.append("\nqueue log ");
            commands.xrevrange(Keys.queueLog("demo"), Range.create("-", "+"), Limit.create(0, 30))
                    .forEach(m -> out.append("\n  ").append(m.getId()).append(' ').append(m.getBody()));
            return out.toString();
        } catch (RuntimeException e) {
            return "(no snapshot: " + e + ")";
        }
    }
}
