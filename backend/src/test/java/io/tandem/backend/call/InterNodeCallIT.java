package io.tandem.backend.call;

import static io.tandem.backend.call.Phone.next;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.tandem.backend.TestNode;
import io.tandem.backend.cdr.CallRecord;
import io.tandem.backend.cdr.CallRecords;
import io.tandem.backend.cluster.NodeInfo;
import io.tandem.backend.cluster.NodeRegistry;
import io.tandem.backend.node.NodeMetrics;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.Redis;
import io.tandem.telephony.media.MediaDirection;
import io.tandem.telephony.testing.Await;
import io.tandem.telephony.testing.RedisServer;
import io.tandem.telephony.ua.Call;
import io.tandem.telephony.ua.CallState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two nodes, one Redis: 1001 registered on node 1 calls 1002 registered on node 2 through the signed trunk; media is
 * anchored on both nodes; tones go both ways; hold, DTMF and BYE from either side cross the call; the entry node
 * writes one CDR naming both nodes.
 */
class InterNodeCallIT {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    private static final Duration AUDIO = Duration.ofSeconds(20);

    private static TestNode n1;
    private static TestNode n2;

    @BeforeAll
    static void nodes() {
        n1 = Cluster.node(redis, "in1");
        n2 = Cluster.node(redis, "in2");
    }

    @AfterAll
    static void stop() {
        n1.close();
        n2.close();
    }

    @Test
    void aCallCrossesTheTrunkWithAudioBothWaysHoldDtmfAndByeFromTheCallee() throws Exception {
        Instant before = Instant.now();
        try (Phone alice = Phone.registered(n1, "1001", 1000, 440);
             Phone bob = Phone.registered(n2, "1002", 440, 1000)) {
            Call outgoing = alice.dial(n1, "1002");
            Call ringing = next(bob.incoming, "1002 rings");
            alice.awaitState(outgoing, CallState.RINGING);
            ringing.answer();
            alice.awaitState(outgoing, CallState.CONNECTED);

            Await.until("1002 hears 1001's 1 kHz", AUDIO, () -> bob.ear.toneFrames() > 25);
            Await.until("1001 hears 1002's 440 Hz", AUDIO, () -> alice.ear.toneFrames() > 25);
            assertThat(n1.bean(B2bua.class).activeCalls()).isEqualTo(1);
            assertThat(n2.bean(B2bua.class).activeCalls()).isEqualTo(1);
            assertThat(n1.bean(NodeMetrics.class).activeCalls()).isEqualTo(1);
            Await.until("node 2's heartbeat counts its call leg", Duration.ofSeconds(30),
                    () -> n1.bean(NodeRegistry.class).find("in2").map(NodeInfo::calls).orElse(0) == 1);
            // The call fields are written off the SIP threads, just after the answer.
            Await.until("1001's and 1002's records show the call", Duration.ofSeconds(30), () -> Stream.of(
                    "1001", "1002").allMatch(ext -> n1.bean(Redis.class).commands()
                    .hgetall(Keys.registration("demo", ext)).keySet().stream().anyMatch(f -> f.startsWith("call:"))));

            // Hold across two B2BUAs: the re-INVITE's sendonly reaches bob as recvonly (RFC 3264 §8.4).
            outgoing.hold();
            assertThat(next(alice.directions, "1001's hold")).isEqualTo(MediaDirection.SENDONLY);
            assertThat(next(bob.directions, "1002 held")).isEqualTo(MediaDirection.RECVONLY);
            outgoing.unhold();
            assertThat(next(alice.directions, "1001 resumes")).isEqualTo(MediaDirection.SENDRECV);
            assertThat(next(bob.directions, "1002 resumes")).isEqualTo(MediaDirection.SENDRECV);
            long heard = alice.ear.toneFrames();
            Await.until("1001 hears 440 Hz again after unhold", AUDIO, () -> alice.ear.toneFrames() > heard + 25);

            // RFC 4733 events pass through both relays.
            for (char digit : "5#".toCharArray()) {
                outgoing.sendDtmf(digit);
            }
            List<Character> digits = new ArrayList<>();
            digits.add(next(bob.digits, "first digit"));
            digits.add(next(bob.digits, "second digit"));
            assertThat(digits).containsExactly('5', '#');

            ringing.hangup();
            alice.awaitState(outgoing, CallState.ENDED);
            assertThat(outgoing.endStatus()).isEqualTo(200);
        }
        Await.until("both nodes released the call", Duration.ofSeconds(30),
                () -> n1.bean(B2bua.class).activeCalls() == 0 && n2.bean(B2bua.class).activeCalls() == 0);
        // Each node relayed both tones (25+ frames each way) and counts them in its Prometheus RTP meters.
        for (TestNode node : List.of(n1, n2)) {
            assertThat(node.bean(MeterRegistry.class).find("tandem.rtp.packets").tag("direction", "out").counter())
                    .isNotNull().extracting(c -> c.count()).asInstanceOf(InstanceOfAssertFactories.DOUBLE)
                    .isGreaterThanOrEqualTo(50.0);
        }
        Await.until("the call's record is written", Duration.ofSeconds(30), () -> !n1.bean(CallRecords.class)
                .ended("demo", before, Instant.now().plusSeconds(5)).isEmpty());
        List<CallRecord> records = n1.bean(CallRecords.class).ended("demo", before, Instant.now().plusSeconds(5));
        assertThat(records).hasSize(1);
        CallRecord record = records.get(0);
        assertThat(record.from()).isEqualTo("1001");
        assertThat(record.to()).isEqualTo("1002");
        assertThat(record.nodes()).containsExactly("in1", "in2");
        assertThat(record.answeredAt()).isNotNull();
        assertThat(record.endCause()).isEqualTo("normal");
        assertThat(record.hungUpBy()).isEqualTo("callee");
    }

    @Test
    void byeFromTheCallerEndsBothLegs() throws Exception {
        try (Phone carol = Phone.registered(n1, "1003", 1000, 440);
             Phone dave = Phone.registered(n2, "1004", 440, 1000).answering()) {
            Call outgoing = carol.dial(n1, "1004");
            Call answered = next(dave.incoming, "1004 rings");
            carol.awaitState(outgoing, CallState.CONNECTED);
            Await.until("1004 hears 1003", AUDIO, () -> dave.ear.toneFrames() > 25);
            outgoing.hangup();
            dave.awaitState(answered, CallState.ENDED);
            assertThat(answered.endStatus()).isEqualTo(200);
        }
        Await.until("both nodes released the call", Duration.ofSeconds(30),
                () -> n1.bean(B2bua.class).activeCalls() == 0 && n2.bean(B2bua.class).activeCalls() == 0);
        assertThat(n2.bean(CallRecords.class).ended("demo", Instant.now().minusSeconds(60),
                Instant.now().plusSeconds(5))).extracting(CallRecord::hungUpBy).contains("caller");
    }
}
