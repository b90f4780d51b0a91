package io.tandem.backend.queuecall;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.tandem.backend.TestNode;
import io.tandem.backend.acd.agents.AgentSessions;
import io.tandem.backend.acd.dispatch.Callers;
import io.tandem.backend.acd.dispatch.QueueEntry;
import io.tandem.backend.acd.queues.Queues;
import io.tandem.backend.acd.queues.Strategy;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.Redis;
import io.tandem.backend.registrar.RawRegisterClient;
import io.tandem.protocol.AgentState;
import io.tandem.protocol.callback.CallWake;
import io.tandem.protocol.callback.NodeCommand;
import io.tandem.protocol.callback.TicketEvent;
import io.tandem.telephony.testing.Await;
import io.tandem.telephony.testing.RedisServer;
import io.tandem.telephony.ua.Call;
import io.tandem.telephony.ua.CallState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Callback tickets worked by the nodes (issue 15), the callback service's side played through the contract: the
 * ticket's hash as the service writes it and the OFFER_TICKET command it sends to one node; what the node reports is
 * read from the ticket-event stream. The ticket waits at the caller's original place, is offered to the queue's agent
 * through the ACD's claim; the agent answers, the customer's phone rings, answers, both hear each other; the agent's
 * hang-up ends it (CONNECT marked as a callback, wrap-up, a record). A busy customer ends the attempt; handed out
 * again it is offered again. Handed to two nodes at once, the agent is offered it once.
 */
class TicketCallIT {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    static final Duration AUDIO = Duration.ofSeconds(20);
    static final String TENANT = "demo";

    static TestNode n1;
    static TestNode n2;

    @BeforeAll
    static void nodes() {
        n1 = QueueNodes.node(redis, "t1");
        n2 = QueueNodes.node(redis, "t2");
    }

    @AfterAll
    static void stop() {
        n1.close();
        n2.close();
    }

    static Redis redis() {
        return n1.bean(Redis.class);
    }

    /** The ticket's hash, as the callback service writes it (the node reads queue, customer and place). */
    static void ticket(String id, String queue, String customer, long enqueuedAt, int priority) {
        redis().commands().hset(Keys.ticket(TENANT, id), Map.of("id", id, "state", "open", "queue", queue,
                "callerNumber", customer, "callerName", "Customer " + customer, "enqueuedAt",
                Long.toString(enqueuedAt), "priority", Integer.toString(priority), "assignee", ""));
    }

    static void handOut(String node, String commandId, String ticket, String assignee) {
        redis().commands().xadd(Keys.nodeCommands(node), new NodeCommand(commandId, NodeCommand.Kind.OFFER_TICKET,
                TENANT, ticket, assignee, "", System.currentTimeMillis()).fields());
    }

    static List<TicketEvent> events(String ticket) {
        return redis().commands().xrange(Keys.ticketEvents(TENANT), Range.create("-", "+")).stream()
                .map(StreamMessage::getBody).map(TicketEvent::of).filter(e -> e.ticket().equals(ticket)).toList();
    }

    static List<TicketEvent.Kind> kinds(String ticket) {
        return events(ticket).stream().map(TicketEvent::kind).toList();
    }

    static List<Map<String, String>> queueLog(String callId) {
        return redis().commands().xrange(Keys.queueLog(TENANT), Range.create("-", "+")).stream()
                .map(StreamMessage::getBody).filter(b -> callId.equals(b.get("callid"))).toList();
    }

    static Map<String, String> cdr(String callId) {
        return redis().commands().xrange(Keys.cdr(TENANT), Range.create("-", "+")).stream()
                .map(StreamMessage::getBody).filter(b -> callId.equals(b.get("callId"))).findFirst()
                .orElse(Map.of());
    }

    static AgentState state(String agent) {
        return n1.bean(AgentSessions.class).status(TENANT, agent).state();
    }

    @Test
    void aTicketIsOfferedToAnAgentWhoTalksWithTheCustomerItCallsBack() throws Exception {
        n1.bean(Queues.class).save(TENANT, QueueNodes.queue("7400", Strategy.LONGEST_IDLE, 15, 1, 1, 0,
                List.of("1041")), false);
        long enqueuedAt = System.currentTimeMillis() - 60_000;
        ticket("tk-1", "7400", "1042", enqueuedAt, 3);
        try (QueuePhone agent = QueuePhone.agent(n1, "1041", 440, 1000);
             QueuePhone customer = QueuePhone.agent(n1, "1042", 1000, 440)) {
            handOut("t1", "ticket:tk-1:offer-ticket:0:1", "tk-1", "");
            // waiting at the caller's place: its first enqueue time, not now
            Await.until("the ticket's entry in 7400", AUDIO, () -> entry("7400", "ticket-tk-1").isPresent());
            assertThat(entry("7400", "ticket-tk-1").get().enqueuedAt().toEpochMilli()).isEqualTo(enqueuedAt);
            assertThat(entry("7400", "ticket-tk-1").get().priority()).isEqualTo(3);
            // the agent's offer shows it is a callback, and of which ticket
            assertThat(entry("7400", "ticket-tk-1").get().data()).containsEntry("callback", "ticket")
                    .containsEntry("ticket", "tk-1");

            try (AgentDesk desk = AgentDesk.available(n1, "1041")) {
                Call offer = agent.nextIncoming();
                assertThat(offer.inviteHeader("P-Asserted-Identity")).contains("sip:1042@");
                assertThat(offer.inviteHeader("From")).contains("Callback");
                Await.until("OFFERED", AUDIO, () -> kinds("tk-1").contains(TicketEvent.Kind.OFFERED));
                assertThat(customer.incoming).as("the customer is called after the agent answers").isEmpty();
                offer.answer();
                agent.awaitState(offer, CallState.CONNECTED);

                Call callback = customer.nextIncoming();
                assertThat(callback.inviteHeader("P-Asserted-Identity")).contains("sip:7400@");
                assertThat(kinds("tk-1")).containsSubsequence(TicketEvent.Kind.OFFERED, TicketEvent.Kind.DIALLING);
                callback.answer();
                customer.awaitState(callback, CallState.CONNECTED);
                Await.until("the agent hears the customer's 1 kHz", AUDIO,
                        () -> agent.ear(offer).toneFrames() > 25);
                Await.until("the customer hears the agent's 440 Hz", AUDIO,
                        () -> customer.ear(callback).toneFrames() > 25);
                Await.until("CONNECTED", AUDIO, () -> kinds("tk-1").contains(TicketEvent.Kind.CONNECTED));
                assertThat(state("1041")).isEqualTo(AgentState.ON_CALL);
                assertThat(queueLog("ticket-tk-1")).filteredOn(e -> "CONNECT".equals(e.get("event")))
                        .singleElement().satisfies(e -> assertThat(e).containsEntry("agent", "1041")
                                .containsEntry("data2", "callback"));

                offer.hangup();
                customer.awaitState(callback, CallState.ENDED);
                Await.until("ENDED", AUDIO, () -> kinds("tk-1").contains(TicketEvent.Kind.ENDED));
                assertThat(kinds("tk-1")).containsExactly(TicketEvent.Kind.OFFERED, TicketEvent.Kind.DIALLING,
                        TicketEvent.Kind.CONNECTED, TicketEvent.Kind.ENDED);
                assertThat(events("tk-1")).allSatisfy(e -> assertThat(e.node()).isEqualTo("t1"));
                Await.until("1041 wraps up", AUDIO,
                        () -> state("1041") == AgentState.WRAP_UP || state("1041") == AgentState.AVAILABLE);
                Await.until("the record", AUDIO, () -> !cdr("ticket-tk-1").isEmpty());
                assertThat(cdr("ticket-tk-1")).containsEntry("queue", "7400").containsEntry("agent", "1041")
                        .containsEntry("hungUpBy", "callee").containsEntry("endCause", "normal");
                assertThat(queueLog("ticket-tk-1").stream().map(e -> e.get("event")).toList())
                        .containsSubsequence("ENTERQUEUE", "CONNECT", "COMPLETEAGENT");
                assertThat(entry("7400", "ticket-tk-1")).isEmpty();
                desk.state("not-ready");
            }
        }
    }

    @Test
    void aBusyCustomerEndsTheAttemptAndTheTicketHandedOutAgainIsOfferedAgain() throws Exception {
        n1.bean(Queues.class).save(TENANT, QueueNodes.queue("7401", Strategy.LONGEST_IDLE, 15, 1, 0, 0,
                List.of("1043")), false);
        ticket("tk-2", "7401", "1044", System.currentTimeMillis() - 30_000, 0);
        try (QueuePhone agent = QueuePhone.agent(n1, "1043", 440, 1000);
             QueuePhone customer = QueuePhone.agent(n1, "1044", 1000, 440);
             AgentDesk desk = AgentDesk.available(n1, "1043")) {
            customer.onIncoming(call -> call.reject(486));
            handOut("t1", "ticket:tk-2:offer-ticket:0:1", "tk-2", "");
            Call first = agent.nextIncoming();
            first.answer();
            agent.awaitState(first, CallState.CONNECTED);
            agent.awaitState(first, CallState.ENDED); // the node's BYE: nobody to talk to
            Await.until("UNANSWERED busy", AUDIO, () -> events("tk-2").stream()
                    .anyMatch(e -> e.kind() == TicketEvent.Kind.UNANSWERED && e.reason().equals("busy")));
            assertThat(entry("7401", "ticket-tk-2")).as("the attempt is over: out of the wait set").isEmpty();
            Await.until("1043 available again", AUDIO, () -> state("1043") == AgentState.AVAILABLE);

            // the service's retry: handed out again, offered again
            handOut("t1", "ticket:tk-2:offer-ticket:1:2", "tk-2", "");
            Call second = agent.nextIncoming();
            Await.until("offered a second time", AUDIO, () -> kinds("tk-2").stream()
                    .filter(k -> k == TicketEvent.Kind.OFFERED).count() == 2);
            second.reject(603); // the agent declines: the ticket keeps its place
            Await.until("DECLINED", AUDIO, () -> kinds("tk-2").contains(TicketEvent.Kind.DECLINED));
            assertThat(entry("7401", "ticket-tk-2")).isPresent();
            desk.state("not-ready");
        }
    }

    @Test
    void aTicketHandedToTwoNodesIsOfferedOnce() throws Exception {
        n1.bean(Queues.class).save(TENANT, QueueNodes.queue("7402", Strategy.LONGEST_IDLE, 15, 1, 0, 1,
                List.of("1045")), false);
        ticket("tk-3", "7402", "1046", System.currentTimeMillis() - 10_000, 0);
        try (QueuePhone agent = QueuePhone.agent(n1, "1045", 440, 1000)) {
            handOut("t1", "ticket:tk-3:offer-ticket:0:1", "tk-3", "");
            handOut("t2", "ticket:tk-3:offer-ticket:0:2", "tk-3", "");
            Await.until("the entry", AUDIO, () -> entry("7402", "ticket-tk-3").isPresent());
            try (AgentDesk desk = AgentDesk.available(n2, "1045")) {
                Call offer = agent.nextIncoming();
                Await.until("OFFERED", AUDIO, () -> kinds("tk-3").contains(TicketEvent.Kind.OFFERED));
                offer.reject(603);
                Await.until("DECLINED", AUDIO, () -> kinds("tk-3").contains(TicketEvent.Kind.DECLINED));
                assertThat(kinds("tk-3")).containsExactly(TicketEvent.Kind.OFFERED, TicketEvent.Kind.DECLINED);
                assertThat(agent.incoming).as("rung once").isEmpty();
                assertThat(n1.bean(Callers.class).waiting(TENANT, "7402")).extracting(QueueEntry::callId)
                        .containsExactly("ticket-tk-3");
                desk.state("not-ready");
            }
        }
    }

    @Test
    void anAssignedTicketIsOfferedToThatAgentOnlyAndAWithdrawnOneLeavesTheWaitSet() throws Exception {
        n1.bean(Queues.class).save(TENANT, QueueNodes.queue("7405", Strategy.LONGEST_IDLE, 15, 1, 0, 1,
                List.of("1050", "1051")), false);
        ticket("tk-6", "7405", "1052", System.currentTimeMillis() - 30_000, 0);
        try (QueuePhone idlest = QueuePhone.agent(n1, "1050", 440, 1000);
             QueuePhone assigned = QueuePhone.agent(n1, "1051", 440, 1000);
             AgentDesk first = AgentDesk.available(n1, "1050");
             AgentDesk second = AgentDesk.available(n1, "1051")) {
            handOut("t1", "ticket:tk-6:offer-ticket:0:1", "tk-6", "1051");
            Call offer = assigned.nextIncoming();
            Await.until("OFFERED to 1051", AUDIO, () -> events("tk-6").stream()
                    .anyMatch(e -> e.kind() == TicketEvent.Kind.OFFERED && e.agent().equals("1051")));
            assertThat(idlest.incoming).as("1050, idle longer, is not offered an assigned ticket").isEmpty();
            offer.reject(603);
            Await.until("DECLINED", AUDIO, () -> kinds("tk-6").contains(TicketEvent.Kind.DECLINED));

            redis().commands().xadd(Keys.nodeCommands("t1"), new NodeCommand("ticket:tk-6:withdraw-ticket:0:2",
                    NodeCommand.Kind.WITHDRAW_TICKET, TENANT, "tk-6", "", "", System.currentTimeMillis()).fields());
            Await.until("WITHDRAWN", AUDIO, () -> kinds("tk-6").contains(TicketEvent.Kind.WITHDRAWN));
            assertThat(entry("7405", "ticket-tk-6")).isEmpty();
            assertThat(idlest.incoming).isEmpty();
            first.state("not-ready");
            second.state("not-ready");
        }
    }

    @Test
    void aTicketHandedOnFromANodeThatDiedIsTakenOverAtItsPlace() throws Exception {
        n1.bean(Queues.class).save(TENANT, QueueNodes.queue("7404", Strategy.LONGEST_IDLE, 15, 1, 0, 1,
                List.of("1048")), false);
        long enqueuedAt = System.currentTimeMillis() - 45_000;
        ticket("tk-5", "7404", "1049", enqueuedAt, 0);
        handOut("t2", "ticket:tk-5:offer-ticket:0:1", "tk-5", "");
        Await.until("the entry on t2", AUDIO, () -> entry("7404", "ticket-tk-5").isPresent());
        // t2 "dies" holding it: its entry names a node without a heartbeat, the sweeper has not dropped it yet
        redis().commands().hset(Keys.queueCaller(TENANT, "ticket-tk-5"), "owner", "t9");
        handOut("t1", "ticket:tk-5:offer-ticket:0:2", "tk-5", "");
        Await.until("t1 holds it", AUDIO, () -> entry("7404", "ticket-tk-5").map(QueueEntry::owner)
                .filter("t1"::equals).isPresent());
        assertThat(entry("7404", "ticket-tk-5").get().enqueuedAt().toEpochMilli()).isEqualTo(enqueuedAt);
        try (QueuePhone agent = QueuePhone.agent(n1, "1048", 440, 1000);
             AgentDesk desk = AgentDesk.available(n1, "1048")) {
            Call offer = agent.nextIncoming();
            Await.until("OFFERED by t1", AUDIO, () -> events("tk-5").stream()
                    .anyMatch(e -> e.kind() == TicketEvent.Kind.OFFERED && e.node().equals("t1")));
            offer.reject(603);
            Await.until("DECLINED", AUDIO, () -> kinds("tk-5").contains(TicketEvent.Kind.DECLINED));
            desk.state("not-ready");
        }
    }

    @Test
    void aCustomerWhoseAppSleepsIsWokenByPushAndAnswersTheCallBack() throws Exception {
        n1.bean(Queues.class).save(TENANT, QueueNodes.queue("7403", Strategy.LONGEST_IDLE, 15, 1, 0, 0,
                List.of("1047")), false);
        fallAsleep("2001");
        ticket("tk-4", "7403", "2001", System.currentTimeMillis() - 90_000, 0);
        try (QueuePhone agent = QueuePhone.agent(n1, "1047", 440, 1000);
             AgentDesk desk = AgentDesk.available(n1, "1047")) {
            handOut("t1", "ticket:tk-4:offer-ticket:0:1", "tk-4", "");
            Call offer = agent.nextIncoming();
            offer.answer();
            agent.awaitState(offer, CallState.CONNECTED);
            // no live contact: the customer's app is woken as for any call to it, and its REGISTER is rung
            Await.until("a ring wake for 2001", AUDIO, () -> wakes("2001").stream()
                    .anyMatch(w -> w.kind() == CallWake.Kind.RING));
            assertThat(wakes("2001").get(0).callerNumber()).isEqualTo("7403");
            try (QueuePhone app = QueuePhone.agent(n1, "2001", 1000, 440)) {
                Call callback = app.nextIncoming();
                callback.answer();
                app.awaitState(callback, CallState.CONNECTED);
                Await.until("the agent hears the customer", AUDIO, () -> agent.ear(offer).toneFrames() > 25);
                Await.until("the customer hears the agent", AUDIO, () -> app.ear(callback).toneFrames() > 25);
                Await.until("CONNECTED", AUDIO, () -> kinds("tk-4").contains(TicketEvent.Kind.CONNECTED));
                Await.until("the answer written for the cancel push", AUDIO, () -> wakes("2001").stream()
                        .anyMatch(w -> w.kind() == CallWake.Kind.ANSWERED));
                callback.hangup();
                agent.awaitState(offer, CallState.ENDED);
                Await.until("ENDED", AUDIO, () -> kinds("tk-4").contains(TicketEvent.Kind.ENDED));
            }
            desk.state("not-ready");
        }
    }

    /** The app registers with APNs push parameters, then removes its contact: only its push binding is left. */
    static void fallAsleep(String user) throws Exception {
        try (RawRegisterClient app = new RawRegisterClient(user, n1.sipPort())) {
            String contact = "<" + app.contact() + ";pn-provider=apns;pn-prid=" + "c".repeat(64)
                    + ";pn-param=ABCDE12345.com.example.app.voip>;+sip.instance="
                    + "\"<urn:uuid:6f1b0e0a-0000-4000-8000-00000000" + user + ">\"";
            assertThat(app.registerWithPassword(TestNode.PASSWORD, 300, contact).getStatusCode()).isEqualTo(200);
            assertThat(app.registerWithPassword(TestNode.PASSWORD, 0, "*").getStatusCode()).isEqualTo(200);
        }
        assertThat(redis().commands().hlen(Keys.pushBindings(TENANT, user))).isEqualTo(1);
        assertThat(redis().commands().hlen(Keys.registration(TENANT, user))).isZero();
    }

    static List<CallWake> wakes(String callee) {
        return redis().commands().xrange(Keys.callWakes(TENANT), Range.create("-", "+")).stream()
                .map(e -> CallWake.of(e.getBody())).filter(w -> w.callee().equals(callee)).toList();
    }

    static Optional<QueueEntry> entry(String queue, String entryId) {
        return n1.bean(Callers.class).find(TENANT, queue, entryId);
    }
}
