package io.tandem.backend.call;

import static io.tandem.backend.call.Phone.next;
import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.backend.TestNode;
import io.tandem.backend.redis.Keys;
import io.tandem.telephony.testing.Await;
import io.tandem.telephony.testing.RedisServer;
import io.tandem.telephony.ua.Call;
import io.tandem.telephony.ua.CallState;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Blind transfer carried out by the node: 1002 (node 1) refers its caller 1001 (node 1) to 1003 on node 2; the node
 * reports 100 then 200 by NOTIFY, calls 1003 over the trunk, re-bridges 1001's media to it and 1002 leaves.
 */
class TransferCallIT {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    private static final Duration AUDIO = Duration.ofSeconds(20);

    @Test
    void theCalleeTransfersTheCallerToAnExtensionOnTheOtherNode() throws Exception {
        try (TestNode n1 = Cluster.node(redis, "tr1");
             TestNode n2 = Cluster.node(redis, "tr2");
             Phone alice = Phone.registered(n1, "1001", 1000, 600);
             Phone bob = Phone.registered(n1, "1002", 440, 1000).answering();
             Phone carol = Phone.registered(n2, "1003", 600, 1000).answering()) {
            Call call = alice.dial(n1, "1002");
            Call bobCall = next(bob.incoming, "1002 rings");
            alice.awaitState(call, CallState.CONNECTED);
            Await.until("1002 hears 1001", AUDIO, () -> bob.ear.toneFrames() > 25);
            assertThat(alice.ear.toneFrames()).as("1001 hears no 600 Hz before the transfer").isLessThan(5);

            bobCall.transfer("sip:1003@127.0.0.1:" + n1.sipPort());
            assertThat(next(bob.transferProgress, "NOTIFY 100")).isEqualTo(100);
            Call carolCall = next(carol.incoming, "1003 rings on node 2");
            carol.awaitState(carolCall, CallState.CONNECTED);
            int status;
            do {
                status = next(bob.transferProgress, "final NOTIFY");
            } while (status < 200);
            assertThat(status).isEqualTo(200);
            bob.awaitState(bobCall, CallState.ENDED);

            Await.until("1001 hears 1003's 600 Hz", AUDIO, () -> alice.ear.toneFrames() > 25);
            Await.until("1003 hears 1001's 1 kHz", AUDIO, () -> carol.ear.toneFrames() > 25);
            assertThat(call.state()).isEqualTo(CallState.CONNECTED);
            // Who is on a direct call (no queue offer for them) follows the transfer: 1002 is free at once.
            var redisOf = n1.bean(io.tandem.backend.redis.Redis.class).commands();
            java.util.function.Function<String, Boolean> noCallField = extension -> redisOf
                    .hkeys(Keys.registration("demo", extension)).stream().noneMatch(f -> f.startsWith("call:"));
            Await.until("1002 is off the call, 1001 and 1003 on it", AUDIO,
                    () -> redisOf.hgetall(Keys.agent("demo", "1002")).isEmpty() && noCallField.apply("1002")
                            && "1".equals(redisOf.hget(Keys.agent("demo", "1001"), "direct:tr1"))
                            && "1".equals(redisOf.hget(Keys.agent("demo", "1003"), "direct:tr2")));

            call.hangup();
            carol.awaitState(carolCall, CallState.ENDED);
            Await.until("nobody is left counted on a call or shown in one", AUDIO,
                    () -> redisOf.hgetall(Keys.agent("demo", "1001")).isEmpty()
                            && redisOf.hgetall(Keys.agent("demo", "1003")).isEmpty()
                            && noCallField.apply("1001") && noCallField.apply("1002") && noCallField.apply("1003"));
        }
    }
}
