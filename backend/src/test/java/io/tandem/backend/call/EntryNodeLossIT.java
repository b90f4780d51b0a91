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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A call from a phone on one node to a phone on another, whose entry node dies mid-call: it sends no BYE and writes
 * no record, so the surviving node, which holds the callee's leg, hangs the callee up once the entry node's
 * heartbeat is gone and records the call itself (cause node-lost, both nodes).
 */
class EntryNodeLossIT {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void theSurvivingNodeEndsTheCalleesLegAndRecordsTheCall() throws Exception {
        Instant before = Instant.now();
        try (TestNode survivor = Cluster.node(redis, "survivor");
             Phone callee = Phone.registered(survivor, "1002", 440, 1000).answering()) {
            TestNode entry = Cluster.node(redis, "entry", "tandem.node.heartbeat-ttl=3s");
            Phone caller = Phone.registered(entry, "1001", 1000, 440);
            try {
                Call call = caller.dial(entry, "1002");
                Call answered = next(callee.incoming, "1002 rings through the trunk");
                caller.awaitState(call, CallState.CONNECTED);
                callee.awaitState(answered, CallState.CONNECTED);
                Await.until("1002 hears 1001 across the nodes", WAIT, () -> callee.ear.toneFrames() > 25);

                entry.close(); // its B2BUA sends no BYE as it stops, as after a crash

                callee.awaitState(answered, CallState.ENDED);
            } finally {
                entry.close();
                caller.close();
            }
            CallRecords records = survivor.bean(CallRecords.class);
            Await.until("the surviving node records the call", WAIT, () -> records
                    .ended("demo", before, Instant.now().plusSeconds(5)).stream().anyMatch(r -> r.to().equals("1002")));
            assertThat(records.ended("demo", before, Instant.now().plusSeconds(5)))
                    .filteredOn(r -> r.to().equals("1002")).singleElement().satisfies(r -> {
                        assertThat(r.from()).isEqualTo("1001");
                        assertThat(r.endCause()).isEqualTo("node-lost");
                        assertThat(r.hungUpBy()).isEqualTo("system");
                        assertThat(r.answeredAt()).isNotNull();
                        assertThat(r.nodes()).containsExactly("entry", "survivor");
                    });
        }
    }
}
