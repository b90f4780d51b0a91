package io.tandem.backend.queuecall;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.tandem.backend.TestNode;
import io.tandem.backend.acd.agents.AgentSessions;
import io.tandem.backend.acd.dispatch.Callers;
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
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An agent who answered a queue call transfers the caller (REFER, RFC 3515 / RFC 5589 §6): to an extension, put
 * through from the caller's node, or to another queue, where another agent answers. Tones between the new pair;
 * the agent's part ends as a hang-up's would (wrap-up) with BLINDTRANSFER in the queue log; the call's one record
 * carries the queue, the agent and the transfer.
 */
class QueueTransferIT {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    static final Duration AUDIO = Duration.ofSeconds(20);

    static TestNode n1;
    static TestNode n2;

    @BeforeAll
    static void nodes() {
        n1 = QueueNodes.node(redis, "qt1");
        n2 = QueueNodes.node(redis, "qt2");
    }

    @AfterAll
    static void stop() {
        n1.close();
        n2.close();
    }

    @Test
    void anAgentOnAnotherNodeSendsTheCallerToAnExtensionAndGoesToWrapUp() throws Exception {
        n1.bean(Queues.class).save("demo", QueueNodes.queue("7400", Strategy.LONGEST_IDLE, 15, 1, 2, 3,
                List.of("1041")), false);
        // The agent's phone talks to node 2, the caller's queue call is on node 1: node 2 passes the REFER on.
        try (QueuePhone agent = QueuePhone.agent(n2, "1041", 440, 1000);
             AgentDesk desk = AgentDesk.available(n2, "1041");
             QueuePhone extension = QueuePhone.agent(n1, "1042", 600, 1000);
             QueuePhone caller = QueuePhone.caller("1040", 1000, 600)) {
            Connected connected = connect(caller, agent, "7400");
            Call call = connected.call();
            Call answered = connected.answered();

            answered.transfer("sip:1042@127.0.0.1:" + n2.sipPort());
            assertThat(agent.nextTransferStatus("NOTIFY 100")).isEqualTo(100);
            assertThat(agent.nextTransferStatus("NOTIFY 200")).isEqualTo(200);
            agent.awaitState(answered, CallState.ENDED);
            Await.until("1041 in wrap-up after the transfer", Duration.ofSeconds(30),
                    () -> state("1041") == AgentState.WRAP_UP || state("1041") == AgentState.AVAILABLE);

            Call putThrough = extension.nextIncoming();
            putThrough.answer();
            extension.awaitState(putThrough, CallState.CONNECTED);
            long heardBefore = caller.ear(call).toneFrames();
            Await.until("1042 hears the caller's 1 kHz", AUDIO, () -> extension.ear(putThrough).toneFrames() > 25);
            Await.until("the caller hears 1042's 600 Hz", AUDIO,
                    () -> caller.ear(call).toneFrames() > heardBefore + 25);

            call.hangup();
            extension.awaitState(putThrough, CallState.ENDED);
            assertThat(queueLog(call.id())).containsSubsequence("ENTERQUEUE", "CONNECT", "BLINDTRANSFER")
                    .doesNotContain("COMPLETECALLER", "COMPLETEAGENT");
            assertThat(queueLogEntry(call.id(), "BLINDTRANSFER")).containsEntry("agent", "1041")
                    .containsEntry("queue", "7400").containsEntry("data1", "1042").containsEntry("data2", "demo")
                    .containsEntry("data5", "1").hasEntrySatisfying("data3", seconds())
                    .hasEntrySatisfying("data4", seconds());
            Map<String, String> record = record(call.id());
            assertThat(record).containsEntry("queue", "7400").containsEntry("agent", "1041")
                    .containsEntry("extension", "1042").containsEntry("transfers", "1041>1042 blind")
                    .containsEntry("from", "1040").containsEntry("hungUpBy", "caller");
            Await.until("1041 available after wrap-up", Duration.ofSeconds(30),
                    () -> state("1041") == AgentState.AVAILABLE);
            desk.state("not-ready");
        }
    }

    @Test
    void theAgentSendsTheCallerToAnotherQueueWhereAnotherAgentAnswers() throws Exception {
        n1.bean(Queues.class).save("demo", QueueNodes.queue("7410", Strategy.LONGEST_IDLE, 15, 1, 0, 3,
                List.of("1044")), false);
        n1.bean(Queues.class).save("demo", QueueNodes.queue("7411", Strategy.LONGEST_IDLE, 15, 1, 0, 3,
                List.of("1045")), false);
        try (QueuePhone first = QueuePhone.agent(n1, "1044", 440, 1000);
             AgentDesk firstDesk = AgentDesk.available(n1, "1044");
             QueuePhone second = QueuePhone.agent(n2, "1045", 600, 1000);
             AgentDesk secondDesk = AgentDesk.available(n2, "1045");
             QueuePhone caller = QueuePhone.caller("1043", 1000, 600)) {
            Call call = caller.dial(n1, "7410");
            caller.awaitState(call, CallState.CONNECTED);
            Call answered = first.nextIncoming();
            answered.answer();
            first.awaitState(answered, CallState.CONNECTED);
            Await.until("1044 hears the caller's 1 kHz", AUDIO, () -> first.ear(answered).toneFrames() > 25);

            answered.transfer("sip:7411@127.0.0.1:" + n1.sipPort());
            int status;
            do {
                status = first.nextTransferStatus("final NOTIFY");
            } while (status < 200);
            assertThat(status).isEqualTo(200);
            first.awaitState(answered, CallState.ENDED);

            Call offered = second.nextIncoming();
            offered.answer();
            second.awaitState(offered, CallState.CONNECTED);
            long heardBefore = caller.ear(call).toneFrames();
            Await.until("1045 hears the caller's 1 kHz", AUDIO, () -> second.ear(offered).toneFrames() > 25);
            Await.until("the caller hears 1045's 600 Hz", AUDIO,
                    () -> caller.ear(call).toneFrames() > heardBefore + 25);
            Await.until("1044 available again (no wrap-up)", Duration.ofSeconds(30),
                    () -> state("1044") == AgentState.AVAILABLE);
            assertThat(state("1045")).isEqualTo(AgentState.ON_CALL);

            offered.hangup();
            caller.awaitState(call, CallState.ENDED);
            Await.until("the second agent's end is logged", Duration.ofSeconds(30),
                    () -> queueLog(call.id()).contains("COMPLETEAGENT"));
            assertThat(queueLog(call.id())).containsSubsequence("ENTERQUEUE", "CONNECT", "BLINDTRANSFER",
                    "ENTERQUEUE", "CONNECT", "COMPLETEAGENT");
            assertThat(queueLogEntry(call.id(), "BLINDTRANSFER")).containsEntry("queue", "7410")
                    .containsEntry("agent", "1044").containsEntry("data1", "7411").containsEntry("data2", "demo")
                    .containsEntry("data5", "1");
            Map<String, String> record = record(call.id());
            assertThat(record).containsEntry("queue", "7411").containsEntry("agent", "1045")
                    .containsEntry("transfers", "1044>7411 blind").containsEntry("hungUpBy", "callee");
            firstDesk.state("not-ready");
            secondDesk.stateAfterCall("not-ready");
        }
    }

    @Test
    void anAgentOnAnotherNodeJoinsItsHeldCallerWithTheColleagueItConsulted() throws Exception {
        n1.bean(Queues.class).save("demo", QueueNodes.queue("7440", Strategy.LONGEST_IDLE, 15, 1, 2, 3,
                List.of("1050")), false);
        // The caller's queue call is on node 1, the agent's phone talks to node 2 and consults through it; the
        // colleague's phone is on node 1.
        try (QueuePhone agent = QueuePhone.agent(n2, "1050", 440, 1000);
             AgentDesk desk = AgentDesk.available(n2, "1050");
             QueuePhone colleague = QueuePhone.agent(n1, "1051", 600, 1000);
             QueuePhone caller = QueuePhone.caller("1052", 1000, 600)) {
            Connected connected = connect(caller, agent, "7440");
            Attended attended = attendedTransfer(connected, agent, colleague, caller, n2, "1051");
            Call call = connected.call();
            Call consultation = attended.consultation();
            Call consulted = attended.consulted();
            Await.until("1050 in wrap-up after the transfer", Duration.ofSeconds(30),
                    () -> state("1050") == AgentState.WRAP_UP || state("1050") == AgentState.AVAILABLE);
            assertThat(call.state()).isEqualTo(CallState.CONNECTED);
            assertThat(consulted.state()).isEqualTo(CallState.CONNECTED);

            call.hangup();
            colleague.awaitState(consulted, CallState.ENDED);
            assertThat(queueLog(call.id())).containsSubsequence("ENTERQUEUE", "CONNECT", "ATTENDEDTRANSFER")
                    .doesNotContain("COMPLETECALLER", "COMPLETEAGENT", "BLINDTRANSFER");
            assertThat(queueLogEntry(call.id(), "ATTENDEDTRANSFER")).containsEntry("agent", "1050")
                    .containsEntry("queue", "7440").containsEntry("data1", "BRIDGE").containsEntry("data2", "1051")
                    .containsEntry("data5", "1").hasEntrySatisfying("data3", seconds())
                    .hasEntrySatisfying("data4", seconds());
            assertThat(record(call.id())).containsEntry("queue", "7440").containsEntry("agent", "1050")
                    .containsEntry("extension", "1051").containsEntry("transfers", "1050>1051 attended")
                    .containsEntry("from", "1052").containsEntry("hungUpBy", "caller");
            assertThat(record(consultation.id())).containsEntry("from", "1050").containsEntry("to", "1051")
                    .containsEntry("transfers", "1050>1052 replaces");
            Await.until("1050 available after wrap-up", Duration.ofSeconds(30),
                    () -> state("1050") == AgentState.AVAILABLE);
            desk.state("not-ready");
        }
    }

    @Test
    void anAgentOnTheCallersNodeJoinsItsHeldCallerWithAColleagueOnTheOtherNode() throws Exception {
        n1.bean(Queues.class).save("demo", QueueNodes.queue("7450", Strategy.LONGEST_IDLE, 15, 1, 0, 3,
                List.of("1053")), false);
        // The agent's phone talks to the caller's node 1 and consults through it; the colleague's phone is on node 2:
        // node 1 replaces the consultation's half on node 2.
        try (QueuePhone agent = QueuePhone.agent(n1, "1053", 440, 1000);
             AgentDesk desk = AgentDesk.available(n1, "1053");
             QueuePhone colleague = QueuePhone.agent(n2, "1054", 600, 1000);
             QueuePhone caller = QueuePhone.caller("1055", 1000, 600)) {
            Connected connected = connect(caller, agent, "7450");
            Attended attended = attendedTransfer(connected, agent, colleague, caller, n1, "1054");
            Call call = connected.call();
            Call consultation = attended.consultation();
            Call consulted = attended.consulted();

            consulted.hangup();
            caller.awaitState(call, CallState.ENDED);
            assertThat(queueLog(call.id())).containsSubsequence("ENTERQUEUE", "CONNECT", "ATTENDEDTRANSFER");
            assertThat(record(call.id())).containsEntry("agent", "1053").containsEntry("extension", "1054")
                    .containsEntry("transfers", "1053>1054 attended").containsEntry("hungUpBy", "callee");
            desk.stateAfterCall("not-ready");
        }
    }

    @Test
    void anAgentOnTheCallersNodeJoinsItsHeldCallerWithAColleagueOnTheSameNode() throws Exception {
        n1.bean(Queues.class).save("demo", QueueNodes.queue("7460", Strategy.LONGEST_IDLE, 15, 1, 2, 3,
                List.of("1056")), false);
        // The caller's queue call, the agent's consultation and the colleague's phone are all on node 1: the node
        // hands the consultation's colleague leg to the queue call instead of sending an INVITE with Replaces.
        try (QueuePhone agent = QueuePhone.agent(n1, "1056", 440, 1000);
             AgentDesk desk = AgentDesk.available(n1, "1056");
             QueuePhone colleague = QueuePhone.agent(n1, "1057", 600, 1000);
             QueuePhone caller = QueuePhone.caller("1058", 1000, 600)) {
            Connected connected = connect(caller, agent, "7460");
            Attended attended = attendedTransfer(connected, agent, colleague, caller, n1, "1057");
            Call call = connected.call();
            Call consultation = attended.consultation();
            Call consulted = attended.consulted();
            Await.until("1056 in wrap-up after the transfer", Duration.ofSeconds(30),
                    () -> state("1056") == AgentState.WRAP_UP || state("1056") == AgentState.AVAILABLE);
            assertThat(call.state()).isEqualTo(CallState.CONNECTED);
            assertThat(consulted.state()).isEqualTo(CallState.CONNECTED);
            // 1057 still talks, to the caller now: its busy lamp stays lit (naming the caller) and the ACD still
            // counts it on a direct call, though the consultation that lit them is over.
            Await.until("1057 shown on a call with 1058", Duration.ofSeconds(30),
                    () -> callFields("1057").stream().anyMatch(v -> v.contains("\"peer\":\"1058\"")));
            assertThat(onDirectCall("1057")).as("1057 counted on a direct call").isTrue();

            consulted.hangup();
            caller.awaitState(call, CallState.ENDED);
            Await.until("1057 off the call: no call field, no direct-call count", Duration.ofSeconds(30),
                    () -> callFields("1057").isEmpty() && !onDirectCall("1057"));
            assertThat(queueLog(call.id())).containsSubsequence("ENTERQUEUE", "CONNECT", "ATTENDEDTRANSFER")
                    .doesNotContain("COMPLETECALLER", "COMPLETEAGENT", "BLINDTRANSFER");
            assertThat(queueLogEntry(call.id(), "ATTENDEDTRANSFER")).containsEntry("agent", "1056")
                    .containsEntry("queue", "7460").containsEntry("data1", "BRIDGE").containsEntry("data2", "1057")
                    .containsEntry("data5", "1");
            assertThat(record(call.id())).containsEntry("queue", "7460").containsEntry("agent", "1056")
                    .containsEntry("extension", "1057").containsEntry("transfers", "1056>1057 attended")
                    .containsEntry("from", "1058").containsEntry("hungUpBy", "callee");
            assertThat(record(consultation.id())).containsEntry("from", "1056").containsEntry("to", "1057")
                    .containsEntry("transfers", "1056>1058 attended");
            Await.until("1056 available after wrap-up", Duration.ofSeconds(30),
                    () -> state("1056") == AgentState.AVAILABLE);
            desk.state("not-ready");
        }
    }

    @Test
    void anAgentOnTheCallersNodeMayTransferOnlyToWhatItMayCallItself() throws Exception {
        n1.bean(Queues.class).save("demo", QueueNodes.queue("7420", Strategy.LONGEST_IDLE, 15, 1, 0, 3,
                List.of("1046")), false);
        // The agent's phone talks to the caller's node: the queue call itself gets the REFER.
        try (QueuePhone agent = QueuePhone.agent(n1, "1046", 440, 1000);
             AgentDesk desk = AgentDesk.available(n1, "1046");
             QueuePhone caller = QueuePhone.caller("1047", 1000, 440)) {
            Connected connected = connect(caller, agent, "7420");
            Call call = connected.call();
            Call answered = connected.answered();

            // 1046 has no outside-call permission: it may not send its caller to the public network either.
            answered.transfer("sip:+442012345678@127.0.0.1:" + n1.sipPort());
            assertThat(agent.nextTransferStatus("REFER refused")).isEqualTo(403);
            long heardBefore = caller.ear(call).toneFrames();
            Await.until("the caller still hears the agent's 440 Hz", AUDIO,
                    () -> caller.ear(call).toneFrames() > heardBefore + 25);
            assertThat(call.state()).isEqualTo(CallState.CONNECTED);
            assertThat(answered.state()).isEqualTo(CallState.CONNECTED);
            assertThat(queueLog(call.id())).doesNotContain("BLINDTRANSFER");

            call.hangup();
            agent.awaitState(answered, CallState.ENDED);
            assertThat(record(call.id())).containsEntry("agent", "1046").doesNotContainKey("transfers");
            desk.stateAfterCall("not-ready");
        }
    }

    @Test
    void aCallerTransferredToAnotherQueueLeavesItWithThatQueuesExitKey() throws Exception {
        n1.bean(Queues.class).save("demo", QueueNodes.queue("7430", Strategy.LONGEST_IDLE, 15, 1, 0, 3,
                List.of("1048")), false);
        QueueDefinition.Announcements none = new QueueDefinition.Announcements(false, false, 0, 0);
        n1.bean(Queues.class).save("demo", new QueueDefinition("7432", "after the key", Strategy.LONGEST_IDLE, 0, 0,
                true, false, 15, 1, 0, 0, 20, 30, List.of(), none, "default", "", QueueDefinition.Destination.NONE,
                QueueDefinition.Destination.NONE), false);
        n1.bean(Queues.class).save("demo", new QueueDefinition("7431", "with a key", Strategy.LONGEST_IDLE, 0, 0,
                true, false, 15, 1, 0, 0, 20, 30, List.of(), none, "default", "5",
                new QueueDefinition.Destination("queue", "7432"), QueueDefinition.Destination.NONE), false);
        try (QueuePhone agent = QueuePhone.agent(n1, "1048", 440, 1000);
             AgentDesk desk = AgentDesk.available(n1, "1048");
             QueuePhone caller = QueuePhone.caller("1049", 1000, 440)) {
            Connected connected = connect(caller, agent, "7430");
            Call call = connected.call();
            Call answered = connected.answered();

            answered.transfer("sip:7431@127.0.0.1:" + n1.sipPort());
            int status;
            do {
                status = agent.nextTransferStatus("final NOTIFY");
            } while (status < 200);
            assertThat(status).isEqualTo(200);
            Await.until("the caller waits in 7431", AUDIO,
                    () -> n1.bean(Callers.class).find("demo", "7431", call.id()).isPresent());

            // The digit is the new wait's, not the ended bridge's to relay to the agent's closed stream.
            call.sendDtmf('5');
            Await.until("the caller left 7431 with its exit key for 7432", AUDIO,
                    () -> queueLog(call.id()).contains("EXITWITHKEY")
                            && n1.bean(Callers.class).find("demo", "7432", call.id()).isPresent());
            assertThat(queueLog(call.id())).containsSubsequence("ENTERQUEUE", "CONNECT", "BLINDTRANSFER",
                    "ENTERQUEUE", "EXITWITHKEY", "ENTERQUEUE");
            assertThat(queueLogEntry(call.id(), "EXITWITHKEY")).containsEntry("queue", "7431");

            call.hangup();
            caller.awaitState(call, CallState.ENDED);
            Await.until("the abandon in 7432 is logged", Duration.ofSeconds(30),
                    () -> queueLog(call.id()).contains("ABANDON"));
            desk.state("not-ready");
        }
    }

    private static AgentState state(String agent) {
        return n1.bean(AgentSessions.class).status("demo", agent).state();
    }

    private static List<Map<String, String>> queueLogOf(String callId) {
        return n1.bean(Redis.class).commands().xrange(Keys.queueLog("demo"), Range.create("-", "+")).stream()
                .map(StreamMessage::getBody).filter(b -> callId.equals(b.get("callid"))).toList();
    }

    private static List<String> queueLog(String callId) {
        return queueLogOf(callId).stream().map(b -> b.get("event")).toList();
    }

    /** A queue_log field holding whole seconds, as Asterisk writes holdtime and calltime. */
    private static Consumer<String> seconds() {
        return field -> assertThat(field).matches("[0-9]+");
    }

    private static Map<String, String> queueLogEntry(String callId, String event) {
        return queueLogOf(callId).stream().filter(b -> event.equals(b.get("event"))).findFirst().orElse(Map.of());
    }

    /** The call's record, once written (an owed write after the call's end). */
    private static Map<String, String> record(String callId) {
        return Await.value("the record of call " + callId, AUDIO, () -> n1.bean(Redis.class).commands()
                .xrange(Keys.cdr("demo"), Range.create("-", "+")).stream().map(StreamMessage::getBody)
                .filter(b -> callId.equals(b.get("callId"))).findFirst());
    }

    /** The caller's queue call and the agent's answered offer. */
    private record Connected(Call call, Call answered) {
    }

    /** The caller dials {@code queue} on node 1 and the agent answers: both connected, the agent hearing 1 kHz. */
    private static Connected connect(QueuePhone caller, QueuePhone agent, String queue) throws Exception {
        Call call = caller.dial(n1, queue);
        caller.awaitState(call, CallState.CONNECTED);
        Call answered = agent.nextIncoming();
        answered.answer();
        agent.awaitState(answered, CallState.CONNECTED);
        Await.until("the agent hears the caller's 1 kHz", AUDIO, () -> agent.ear(answered).toneFrames() > 25);
        return new Connected(call, answered);
    }

    /** The call fields of {@code extension}'s binding (what its busy lamp shows). */
    private static List<String> callFields(String extension) {
        return n1.bean(Redis.class).commands().hgetall(Keys.registration("demo", extension)).entrySet().stream()
                .filter(e -> e.getKey().startsWith("call:")).map(Map.Entry::getValue).toList();
    }

    /** Whether some node counts {@code extension} on a direct call (the ACD offers it nothing then). */
    private static boolean onDirectCall(String extension) {
        return n1.bean(Redis.class).commands().hkeys(Keys.agent("demo", extension)).stream()
                .anyMatch(f -> f.startsWith("direct:"));
    }

    /** The consultation the agent placed and the colleague's side of it, after the transfer joined the caller. */
    private record Attended(Call consultation, Call consulted) {
    }

    /**
     * The agent holds the caller, consults {@code colleagueExt} through {@code consultVia}, and transfers the caller
     * to it: the final NOTIFY is 200, the agent's two calls end, and the colleague and the caller hear each other
     * (1 kHz from the caller, 600 Hz from the colleague), which the colleague did not before the transfer.
     */
    private static Attended attendedTransfer(Connected connected, QueuePhone agent, QueuePhone colleague,
            QueuePhone caller, TestNode consultVia, String colleagueExt) throws Exception {
        Call call = connected.call();
        Call answered = connected.answered();
        answered.hold();
        Await.until("the caller is held", AUDIO, answered::isOnHold);
        Call consultation = agent.dial(consultVia, colleagueExt);
        Call consulted = colleague.nextIncoming();
        consulted.answer();
        agent.awaitState(consultation, CallState.CONNECTED);
        colleague.awaitState(consulted, CallState.CONNECTED);
        assertThat(colleague.ear(consulted).toneFrames()).as(colleagueExt + " hears no 1 kHz before the transfer")
                .isLessThan(5);
        long callerHeard = caller.ear(call).toneFrames();

        answered.transfer(consultation);
        int status;
        do {
            status = agent.nextTransferStatus("final NOTIFY");
        } while (status < 200);
        assertThat(status).as("the final NOTIFY of the attended transfer to " + colleagueExt).isEqualTo(200);
        agent.awaitState(consultation, CallState.ENDED);
        agent.awaitState(answered, CallState.ENDED);

        Await.until(colleagueExt + " hears the caller's 1 kHz", AUDIO,
                () -> colleague.ear(consulted).toneFrames() > 25,
                () -> colleagueExt + ": " + consulted.statistics() + ", caller: " + call.statistics());
        Await.until("the caller hears " + colleagueExt + "'s 600 Hz", AUDIO,
                () -> caller.ear(call).toneFrames() > callerHeard + 25);
        return new Attended(consultation, consulted);
    }
}
