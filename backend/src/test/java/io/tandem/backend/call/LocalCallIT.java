package io.tandem.backend.call;

import static io.tandem.backend.call.Phone.next;
import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.backend.TestNode;
import io.tandem.backend.cdr.CallRecords;
import io.tandem.telephony.testing.Await;
import io.tandem.telephony.testing.RedisServer;
import io.tandem.telephony.ua.Call;
import io.tandem.telephony.ua.CallState;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Calls within one node: a fork to every contact of an extension, a callee on TCP, the caller cancelling. */
class LocalCallIT {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    private static final Duration AUDIO = Duration.ofSeconds(20);
    private static TestNode node;

    @BeforeAll
    static void start() {
        node = Cluster.node(redis, "local");
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @Test
    void everyContactRingsTheFirstAnswerWinsAndTheOtherIsCancelled() throws Exception {
        try (Phone caller = Phone.registered(node, "1001", 1000, 440);
             Phone desk = Phone.registered(node, "1002", 440, 1000);
             Phone mobile = Phone.registeredTcp(node, "1002", 440, 1000)) {
            Call call = caller.dial(node, "1002");
            Call atDesk = next(desk.incoming, "the desk phone rings");
            Call atMobile = next(mobile.incoming, "the TCP phone rings");
            atMobile.answer();
            caller.awaitState(call, CallState.CONNECTED);
            desk.awaitState(atDesk, CallState.ENDED);
            assertThat(atDesk.endStatus()).as("the losing branch is cancelled").isEqualTo(487);
            Await.until("1001 hears the TCP phone", AUDIO, () -> caller.ear.toneFrames() > 25);
            Await.until("the TCP phone hears 1001", AUDIO, () -> mobile.ear.toneFrames() > 25);
            call.hangup();
            mobile.awaitState(atMobile, CallState.ENDED);
        }
    }

    @Test
    void theCallerCancelsWhileTheCalleeRings() throws Exception {
        Instant before = Instant.now();
        try (Phone caller = Phone.registered(node, "1003", 1000, 440);
             Phone callee = Phone.registered(node, "1004", 440, 1000)) {
            Call call = caller.dial(node, "1004");
            Call ringing = next(callee.incoming, "1004 rings");
            caller.awaitState(call, CallState.RINGING);
            call.hangup();
            callee.awaitState(ringing, CallState.ENDED);
            assertThat(ringing.endStatus()).isEqualTo(487);
        }
        Await.until("the call is released and recorded", Duration.ofSeconds(30),
                () -> node.bean(B2bua.class).activeCalls() == 0 && node.bean(CallRecords.class)
                        .ended("demo", before, Instant.now().plusSeconds(5)).stream()
                        .anyMatch(r -> r.to().equals("1004")));
        assertThat(node.bean(CallRecords.class).ended("demo", before, Instant.now().plusSeconds(5)))
                .filteredOn(r -> r.to().equals("1004")).singleElement().satisfies(r -> {
                    assertThat(r.endCause()).isEqualTo("cancelled");
                    assertThat(r.hungUpBy()).isEqualTo("caller");
                    assertThat(r.answeredAt()).isNull();
                    assertThat(r.nodes()).containsExactly("local");
                });
    }
}
