package io.tandem.backend.call;

import static io.tandem.backend.call.Phone.next;
import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.tandem.backend.TestNode;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.Redis;
import io.tandem.telephony.testing.Await;
import io.tandem.telephony.testing.RedisServer;
import io.tandem.telephony.ua.Call;
import io.tandem.telephony.ua.CallState;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Attended transfer (REFER with Replaces, RFC 3891/5589 §7) carried out by the node the transferor's phone talks to,
 * with the other parties on the same node or across the trunk; blind transfer ringing every contact of the target;
 * a transfer to what the transferor may not call refused before anything rings.
 */
class AttendedTransferIT {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    private static final Duration AUDIO = Duration.ofSeconds(20);
    /** The demo seeds 1001-1020; the cross-node cases use a few more. */
    private static final String MORE_EXTENSIONS = "tandem.demo.last-extension=1030";
    /** A carrier trunk's address: the carrier's calls leave from it (CarrierCallIT). */
    private static final String CARRIER = "127.0.0.2";
    private static final String DID = "+4930555101";
    private static final String CUSTOMER = "+4917012345678";

    @Test
    void theTransferorJoinsItsHeldCallerWithTheConsultedPartyAcrossTheTrunk() throws Exception {
        try (TestNode n1 = Cluster.node(redis, "at1");
             TestNode n2 = Cluster.node(redis, "at2");
             Phone alice = Phone.registered(n1, "1001", 1000, 600);
             Phone bob = Phone.registered(n2, "1002", 440, 1000).answering();
             Phone carol = Phone.registered(n1, "1003", 600, 1000).answering()) {
            Call call = alice.dial(n1, "1002");
            Call bobCall = next(bob.incoming, "1002 rings on node 2");
            alice.awaitState(call, CallState.CONNECTED);
            bob.awaitState(bobCall, CallState.CONNECTED);
            Await.until("1002 hears 1001", AUDIO, () -> bob.ear.toneFrames() > 25);

            bobCall.hold();
            Await.until("1001 is held", AUDIO, () -> bobCall.isOnHold());
            Call consultation = bob.dial(n2, "1003");
            Call carolCall = next(carol.incoming, "1003 rings on node 1, over the trunk");
            bob.awaitState(consultation, CallState.CONNECTED);
            assertThat(alice.ear.toneFrames()).as("1001 hears no 600 Hz before the transfer").isLessThan(5);
            assertThat(carol.ear.toneFrames()).as("1003 hears no 1 kHz before the transfer").isLessThan(5);

            bobCall.transfer(consultation);
            assertThat(next(bob.transferProgress, "NOTIFY 100")).isEqualTo(100);
            assertThat(next(bob.transferProgress, "NOTIFY 200")).isEqualTo(200);
            bob.awaitState(consultation, CallState.ENDED);
            bob.awaitState(bobCall, CallState.ENDED);

            Await.until("1001 hears 1003's 600 Hz", AUDIO, () -> alice.ear.toneFrames() > 25,
                    () -> "1001: " + call.statistics() + ", 1003: " + carolCall.statistics());
            Await.until("1003 hears 1001's 1 kHz", AUDIO, () -> carol.ear.toneFrames() > 25);
            assertThat(call.state()).isEqualTo(CallState.CONNECTED);
            assertThat(carolCall.state()).isEqualTo(CallState.CONNECTED);
            Map<String, String> consulted = record(n1, consultation.id());
            assertThat(consulted).containsEntry("endCause", "transferred").containsEntry("from", "1002")
                    .containsEntry("to", "1003").containsEntry("transfers", "1002>1003 attended");

            call.hangup();
            carol.awaitState(carolCall, CallState.ENDED);
            assertThat(record(n1, call.id())).containsEntry("from", "1001").containsEntry("endCause", "normal");
        }
    }

    @Test
    void anAttendedTransferOnOneNodeIsInTheRecordOfTheTransferredCall() throws Exception {
        try (TestNode n1 = Cluster.node(redis, "at3");
             Phone alice = Phone.registered(n1, "1004", 1000, 600);
             Phone bob = Phone.registered(n1, "1005", 440, 1000).answering();
             Phone carol = Phone.registered(n1, "1006", 600, 1000).answering()) {
            Call call = alice.dial(n1, "1005");
            Call bobCall = next(bob.incoming, "1005 rings");
            alice.awaitState(call, CallState.CONNECTED);
            bob.awaitState(bobCall, CallState.CONNECTED);
            bobCall.hold();
            Call consultation = bob.dial(n1, "1006");
            Call carolCall = next(carol.incoming, "1006 rings");
            bob.awaitState(consultation, CallState.CONNECTED);

            bobCall.transfer(consultation);
            int status;
            do {
                status = next(bob.transferProgress, "final NOTIFY");
            } while (status < 200);
            assertThat(status).isEqualTo(200);
            bob.awaitState(consultation, CallState.ENDED);
            bob.awaitState(bobCall, CallState.ENDED);
            Await.until("1004 hears 1006's 600 Hz", AUDIO, () -> alice.ear.toneFrames() > 25,
                    () -> "1004: " + call.statistics() + ", 1006: " + carolCall.statistics());
            Await.until("1006 hears 1004's 1 kHz", AUDIO, () -> carol.ear.toneFrames() > 25);

            carolCall.hangup();
            alice.awaitState(call, CallState.ENDED);
            Map<String, String> record = record(n1, call.id());
            assertThat(record).containsEntry("from", "1004").containsEntry("to", "1005")
                    .containsEntry("transfers", "1005>1006 attended").containsEntry("hungUpBy", "callee");
        }
    }

    @Test
    void aBlindTransferRingsEveryContactOfTheTarget() throws Exception {
        try (TestNode n1 = Cluster.node(redis, "at4");
             TestNode n2 = Cluster.node(redis, "at5");
             Phone alice = Phone.registered(n1, "1007", 1000, 600);
             Phone bob = Phone.registered(n1, "1008", 440, 1000).answering();
             Phone desk = Phone.registered(n1, "1009", 600, 1000);
             Phone mobile = Phone.registered(n2, "1009", 600, 1000)) {
            Call call = alice.dial(n1, "1008");
            Call bobCall = next(bob.incoming, "1008 rings");
            alice.awaitState(call, CallState.CONNECTED);
            bob.awaitState(bobCall, CallState.CONNECTED);

            bobCall.transfer("sip:1009@127.0.0.1:" + n1.sipPort());
            Call atDesk = next(desk.incoming, "1009's desk phone (node 1) rings");
            Call onMobile = next(mobile.incoming, "1009's other phone (node 2) rings");
            onMobile.answer();
            desk.awaitState(atDesk, CallState.ENDED);
            int status;
            do {
                status = next(bob.transferProgress, "final NOTIFY");
            } while (status < 200);
            assertThat(status).isEqualTo(200);
            Await.until("1007 hears 1009's 600 Hz", AUDIO, () -> alice.ear.toneFrames() > 25);
            Await.until("1009 hears 1007's 1 kHz", AUDIO, () -> mobile.ear.toneFrames() > 25);

            call.hangup();
            mobile.awaitState(onMobile, CallState.ENDED);
            Map<String, String> record = record(n1, call.id());
            assertThat(record).containsEntry("transfers", "1008>1009 blind");
        }
    }

    @Test
    void aTransferToANumberTheTransferorMayNotCallIsRefusedAndNothingRings() throws Exception {
        try (TestNode n1 = Cluster.node(redis, "at6");
             Phone alice = Phone.registered(n1, "1010", 1000, 440);
             Phone bob = Phone.registered(n1, "1011", 440, 1000).answering()) {
            Call call = alice.dial(n1, "1011");
            Call bobCall = next(bob.incoming, "1011 rings");
            alice.awaitState(call, CallState.CONNECTED);
            bob.awaitState(bobCall, CallState.CONNECTED);

            // 1011 has no outside-call permission: it may not send its caller to the public network either.
            bobCall.transfer("sip:+442012345678@127.0.0.1:" + n1.sipPort());
            assertThat(next(bob.transferProgress, "REFER refused")).isEqualTo(403);
            assertThat(call.state()).isEqualTo(CallState.CONNECTED);
            assertThat(bobCall.state()).isEqualTo(CallState.CONNECTED);
            Await.until("1010 and 1011 still talk", AUDIO, () -> alice.ear.toneFrames() > 25);
            call.hangup();
            bob.awaitState(bobCall, CallState.ENDED);
        }
    }

    @Test
    void anAppUserMayNotTransferItsCallBackToAnExtensionAndNothingRings() throws Exception {
        try (TestNode n1 = Cluster.node(redis, "at7");
             Phone agent = Phone.registered(n1, "1012", 1000, 440);
             Phone app = Phone.registered(n1, "2002", 440, 1000).answering();
             Phone other = Phone.registered(n1, "1013", 600, 1000).answering()) {
            Call back = agent.dial(n1, "2002");
            Call taken = next(app.incoming, "the app user is called back");
            agent.awaitState(back, CallState.CONNECTED);
            app.awaitState(taken, CallState.CONNECTED);

            taken.transfer("sip:1013@127.0.0.1:" + n1.sipPort());
            assertThat(next(app.transferProgress, "REFER refused")).isEqualTo(403);
            Await.until("the agent and the app user still talk", AUDIO, () -> app.ear.toneFrames() > 25);
            assertThat(other.incoming).as("1013 never rang").isEmpty();
            assertThat(back.state()).isEqualTo(CallState.CONNECTED);
            back.hangup();
            app.awaitState(taken, CallState.ENDED);
        }
    }

    @Test
    void anInviteWithReplacesTakesTheNamedDialogsPlace() throws Exception {
        try (TestNode n1 = Cluster.node(redis, "at8");
             Phone alice = Phone.registered(n1, "1014", 1000, 600);
             Phone desk = Phone.registered(n1, "1015", 440, 1000).answering()) {
            Call call = alice.dial(n1, "1015");
            Call atDesk = next(desk.incoming, "1015's desk phone rings");
            alice.awaitState(call, CallState.CONNECTED);
            desk.awaitState(atDesk, CallState.CONNECTED);
            // 1015 moves the call to another of its devices (registered after the call was set up, so not rung).
            try (Phone mobile = Phone.registered(n1, "1015", 600, 1000)) {
                Call unknown = mobile.dial("sip:1014@127.0.0.1:" + n1.sipPort(),
                        Map.of("Replaces", "no-such-call@tandem;to-tag=1;from-tag=2"));
                mobile.awaitState(unknown, CallState.ENDED);
                assertThat(unknown.endStatus()).as("no such dialog").isEqualTo(481);

                Call moved = mobile.dial("sip:1014@127.0.0.1:" + n1.sipPort(),
                        Map.of("Replaces", atDesk.replacesValue()));
                mobile.awaitState(moved, CallState.CONNECTED);
                desk.awaitState(atDesk, CallState.ENDED);
                Await.until("1014 hears the other device's 600 Hz", AUDIO, () -> alice.ear.toneFrames() > 25,
                        () -> "1014: " + call.statistics() + ", other device: " + moved.statistics());
                Await.until("the other device hears 1014", AUDIO, () -> mobile.ear.toneFrames() > 25);
                assertThat(call.state()).isEqualTo(CallState.CONNECTED);
                moved.hangup();
                alice.awaitState(call, CallState.ENDED);
                assertThat(record(n1, call.id())).containsEntry("transfers", "1015>1015 replaces");
            }
        }
    }

    @Test
    void anInviteWithReplacesReachingAnotherNodeIsForwardedToTheNodeHoldingTheDialog() throws Exception {
        try (TestNode n1 = Cluster.node(redis, "at9");
             TestNode n2 = Cluster.node(redis, "at10");
             Phone alice = Phone.registered(n1, "1016", 1000, 600);
             Phone desk = Phone.registered(n1, "1017", 440, 1000).answering();
             Phone carol = Phone.registered(n2, "1018", 600, 1000)) {
            Call call = alice.dial(n1, "1017");
            Call atDesk = next(desk.incoming, "1017 rings on node 1");
            alice.awaitState(call, CallState.CONNECTED);
            desk.awaitState(atDesk, CallState.CONNECTED);
            Redis cluster = n1.bean(Redis.class);
            String indexed = Keys.dialog("demo", atDesk.id());
            Await.until("1017's dialog is in the cluster's index, naming node 1", AUDIO,
                    () -> "at9".equals(cluster.commands().hget(indexed, "node")));
            assertThat(cluster.commands().pttl(indexed)).as("the entry expires by itself").isPositive();

            // 1018's phone talks to node 2, which does not hold the dialog it names.
            Call replacing = carol.dial("sip:1016@127.0.0.1:" + n2.sipPort(),
                    Map.of("Replaces", atDesk.replacesValue()));
            carol.awaitState(replacing, CallState.CONNECTED);
            desk.awaitState(atDesk, CallState.ENDED);
            Await.until("1016 hears 1018's 600 Hz", AUDIO, () -> alice.ear.toneFrames() > 25,
                    () -> "1016: " + call.statistics() + ", 1018: " + replacing.statistics());
            Await.until("1018 hears 1016's 1 kHz", AUDIO, () -> carol.ear.toneFrames() > 25);
            assertThat(call.state()).isEqualTo(CallState.CONNECTED);
            Await.until("the replaced dialog leaves the index", AUDIO, () -> cluster.commands().exists(indexed) == 0);

            replacing.hangup();
            alice.awaitState(call, CallState.ENDED);
            assertThat(record(n1, call.id())).containsEntry("from", "1016").containsEntry("to", "1017")
                    .containsEntry("transfers", "1017>1018 replaces");
            assertThat(record(n2, replacing.id())).containsEntry("from", "1018").containsEntry("to", "1016")
                    .containsEntry("endCause", "normal");
            Await.until("no dialog of the call is left in the index", AUDIO, () -> cluster.commands()
                    .exists(Keys.dialog("demo", call.id()), Keys.dialog("demo", replacing.id())) == 0);
        }
    }

    @Test
    void anAttendedTransferWhoseConsultationAnotherNodeHoldsIsCarriedOverTheTrunk() throws Exception {
        try (TestNode n1 = Cluster.node(redis, "at11", MORE_EXTENSIONS);
             TestNode n2 = Cluster.node(redis, "at12", MORE_EXTENSIONS);
             Phone alice = Phone.registered(n2, "1019", 1000, 600);
             Phone bob = Phone.registered(n2, "1020", 440, 1000).answering();
             Phone carol = Phone.registered(n1, "1021", 600, 1000).answering()) {
            Call call = alice.dial(n2, "1020");
            Call bobCall = next(bob.incoming, "1020 rings on node 2");
            alice.awaitState(call, CallState.CONNECTED);
            bob.awaitState(bobCall, CallState.CONNECTED);
            bobCall.hold();
            Await.until("1019 is held", AUDIO, () -> bobCall.isOnHold());
            // 1020's phone consults through node 1 (the edge may send each dialog to any node).
            Call consultation = bob.dial(n1, "1021");
            Call carolCall = next(carol.incoming, "1021 rings on node 1");
            bob.awaitState(consultation, CallState.CONNECTED);
            assertThat(alice.ear.toneFrames()).as("1019 hears no 600 Hz before the transfer").isLessThan(5);

            bobCall.transfer(consultation);
            int status;
            do {
                status = next(bob.transferProgress, "final NOTIFY");
            } while (status < 200);
            assertThat(status).as("node 2 carried out the REFER naming node 1's dialog").isEqualTo(200);
            bob.awaitState(consultation, CallState.ENDED);
            bob.awaitState(bobCall, CallState.ENDED);
            Await.until("1019 hears 1021's 600 Hz", AUDIO, () -> alice.ear.toneFrames() > 25,
                    () -> "1019: " + call.statistics() + ", 1021: " + carolCall.statistics());
            Await.until("1021 hears 1019's 1 kHz", AUDIO, () -> carol.ear.toneFrames() > 25);
            assertThat(carolCall.state()).isEqualTo(CallState.CONNECTED);

            carolCall.hangup();
            alice.awaitState(call, CallState.ENDED);
            assertThat(record(n2, call.id())).containsEntry("from", "1019").containsEntry("to", "1020")
                    .containsEntry("transfers", "1020>1021 attended");
            assertThat(record(n1, consultation.id())).containsEntry("from", "1020").containsEntry("to", "1021")
                    .containsEntry("transfers", "1020>1019 replaces");
        }
    }

    @Test
    void anOutsideCallerIsAttendedTransferredToAnExtensionConsultedThroughAnotherNode() throws Exception {
        try (TestNode n1 = Cluster.node(redis, "at13", MORE_EXTENSIONS);
             TestNode n2 = Cluster.node(redis, "at14", MORE_EXTENSIONS)) {
            put(n1, "/api/v1/tenants/demo/trunks/carrier", "{\"host\":\"" + CARRIER + "\",\"authentication\":"
                    + "\"address\",\"addresses\":[\"" + CARRIER + "\"],\"callerId\":{\"mode\":\"presented\","
                    + "\"number\":\"" + DID + "\"}}");
            put(n1, "/api/v1/tenants/demo/dids/" + DID, "{\"target\":\"extension\",\"destination\":\"1022\"}");
            try (Phone customer = Phone.carrierCaller(CARRIER, CUSTOMER, 1000, 600);
                 Phone bob = Phone.registered(n1, "1022", 440, 1000).answering();
                 Phone carol = Phone.registered(n2, "1023", 600, 1000).answering()) {
                Call call = customer.dial(n1, DID);
                Call bobCall = next(bob.incoming, "1022 rings on node 1, called from the carrier");
                customer.awaitState(call, CallState.CONNECTED);
                bob.awaitState(bobCall, CallState.CONNECTED);
                bobCall.hold();
                Await.until("the customer is held", AUDIO, () -> bobCall.isOnHold());
                // 1022's phone consults through node 2, so node 1 carries the REFER's INVITE with Replaces there.
                Call consultation = bob.dial(n2, "1023");
                Call carolCall = next(carol.incoming, "1023 rings on node 2");
                bob.awaitState(consultation, CallState.CONNECTED);
                assertThat(customer.ear.toneFrames()).as("the customer hears no 600 Hz before the transfer")
                        .isLessThan(5);

                bobCall.transfer(consultation);
                int status;
                do {
                    status = next(bob.transferProgress, "final NOTIFY");
                } while (status < 200);
                assertThat(status).as("node 2 let the outside caller replace 1022 on 1022's word").isEqualTo(200);
                bob.awaitState(consultation, CallState.ENDED);
                bob.awaitState(bobCall, CallState.ENDED);
                Await.until("the customer hears 1023's 600 Hz", AUDIO, () -> customer.ear.toneFrames() > 25,
                        () -> "customer: " + call.statistics() + ", 1023: " + carolCall.statistics());
                Await.until("1023 hears the customer's 1 kHz", AUDIO, () -> carol.ear.toneFrames() > 25);
                assertThat(carolCall.state()).isEqualTo(CallState.CONNECTED);

                carolCall.hangup();
                customer.awaitState(call, CallState.ENDED);
                assertThat(record(n1, call.id())).containsEntry("from", CUSTOMER).containsEntry("did", DID)
                        .containsEntry("trunk", "carrier").containsEntry("transfers", "1022>1023 attended");
                assertThat(record(n2, consultation.id())).containsEntry("from", "1022").containsEntry("to", "1023")
                        .containsEntry("transfers", "1022>" + CUSTOMER + " replaces");
            }
        }
    }

    private static void put(TestNode node, String path, String json) {
        HttpResponse<String> response = node.api().put(path, TestNode.ADMIN, TestNode.PASSWORD, json);
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(201);
    }

    /** The call's record, once written (records are owed writes, after the call's end). */
    private static Map<String, String> record(TestNode node, String callId) {
        return Await.value("the record of call " + callId, AUDIO, () -> node.bean(Redis.class).commands()
                .xrange(Keys.cdr("demo"), Range.create("-", "+")).stream().map(StreamMessage::getBody)
                .filter(b -> callId.equals(b.get("callId"))).findFirst());
    }
}
