package io.tandem.backend.call;

import static io.tandem.backend.call.Phone.next;
import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.backend.TestNode;
import io.tandem.backend.cdr.CallRecord;
import io.tandem.backend.cdr.CallRecords;
import io.tandem.telephony.peers.FreePorts;
import io.tandem.telephony.peers.SippProcess;
import io.tandem.telephony.peers.SippResult;
import io.tandem.telephony.testing.Await;
import io.tandem.telephony.testing.RedisServer;
import io.tandem.telephony.ua.Call;
import io.tandem.telephony.ua.CallState;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SDP offer/answer through the B2BUA with a SIPp caller and one of our phones as the callee: a late offer (RFC 3261
 * §13.2.1, an INVITE without SDP) answered in the ACK, a late offer whose ACK has no answer, and an offer of several
 * streams of which only one can be relayed (RFC 3264 §6).
 */
class OfferAnswerIT {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    private static final Duration AUDIO = Duration.ofSeconds(20);
    private static TestNode node;
    private static InetSocketAddress nodeSip;

    @BeforeAll
    static void start() {
        node = Cluster.node(redis, "offers");
        nodeSip = new InetSocketAddress("127.0.0.1", node.sipPort());
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @Test
    void aLateOfferIsAnsweredInTheAckAndTheCalleeHearsTheCaller() throws Exception {
        Instant started = Instant.now();
        int callerPort = FreePorts.udpAndTcp();
        SippCallIT.register(nodeSip, "1011", callerPort);
        try (Phone callee = Phone.registered(node, "1012", 440, 1000).answering();
             SippProcess caller = caller("uac-late-offer.xml", "1011", "1012", callerPort)
                     .holdFor(Duration.ofSeconds(60)).start()) {
            Call answered = next(callee.incoming, "1012 rings");
            callee.awaitState(answered, CallState.CONNECTED);
            // SIPp streams its 1 kHz tone to the address of the node's offer only once its answer was taken.
            Await.until("1012 hears the late-offer caller's tone", AUDIO, () -> callee.ear.toneFrames() > 25);
            answered.hangup();
            SippResult result = caller.awaitExit(Duration.ofSeconds(30));
            assertThat(result.allCallsSucceeded()).as(result.describe()).isTrue();
        }
        assertRecord(started, "1012", r -> {
            assertThat(r.endCause()).isEqualTo("normal");
            assertThat(r.hungUpBy()).isEqualTo("callee");
        });
    }

    @Test
    void aLateOfferWhoseAckHasNoAnswerIsHungUpOnBothSidesAndRecorded() throws Exception {
        Instant started = Instant.now();
        int callerPort = FreePorts.udpAndTcp();
        SippCallIT.register(nodeSip, "1013", callerPort);
        try (Phone callee = Phone.registered(node, "1014", 440, 1000).answering();
             SippProcess caller = caller("uac-late-offer-no-answer.xml", "1013", "1014", callerPort).start()) {
            Call answered = next(callee.incoming, "1014 rings");
            // The scenario succeeds only when the node's BYE reached the caller.
            SippResult result = caller.awaitExit(Duration.ofSeconds(60));
            assertThat(result.allCallsSucceeded()).as(result.describe()).isTrue();
            callee.awaitState(answered, CallState.ENDED);
        }
        assertRecord(started, "1014", r -> {
            assertThat(r.endCause()).isEqualTo("ack-without-sdp");
            assertThat(r.hungUpBy()).isEqualTo("system");
        });
    }

    @Test
    void everyOfferedStreamIsAnsweredInItsPlaceAndOnlyThePlainAudioIsRelayed() throws Exception {
        Instant started = Instant.now();
        int callerPort = FreePorts.udpAndTcp();
        SippCallIT.register(nodeSip, "1015", callerPort);
        try (Phone callee = Phone.registered(node, "1016", 440, 1000).answering();
             SippProcess caller = caller("uac-call-streams.xml", "1015", "1016", callerPort).start()) {
            Call answered = next(callee.incoming, "1016 rings");
            // The scenario checks the 200's m-lines (SRTP audio and video at port 0, the plain audio open).
            SippResult result = caller.awaitExit(Duration.ofSeconds(60));
            assertThat(result.allCallsSucceeded()).as(result.describe()).isTrue();
            callee.awaitState(answered, CallState.ENDED);
        }
        assertRecord(started, "1016", r -> assertThat(r.endCause()).isEqualTo("normal"));
    }

    private static SippProcess.Builder caller(String scenario, String extension, String callee, int port) {
        return SippProcess.scenario(scenario).remote(nodeSip).localPort(port).serviceUser(callee)
                .injection("SEQUENTIAL\n" + extension + ";[authentication username=" + extension + " password="
                        + TestNode.PASSWORD + "]\n")
                .calls(1).timeout(Duration.ofSeconds(90));
    }

    private static void assertRecord(Instant started, String callee, Consumer<CallRecord> check) {
        Await.until("the call to " + callee + " is recorded", Duration.ofSeconds(30), () -> node.bean(CallRecords.class)
                .ended("demo", started, Instant.now().plusSeconds(5)).stream().anyMatch(r -> r.to().equals(callee)));
        assertThat(node.bean(CallRecords.class).ended("demo", started, Instant.now().plusSeconds(5)))
                .filteredOn(r -> r.to().equals(callee)).singleElement().satisfies(r -> {
                    assertThat(r.answeredAt()).isNotNull();
                    check.accept(r);
                });
    }
}
