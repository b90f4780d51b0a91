package io.tandem.backend.call;

import static io.tandem.backend.call.Phone.next;
import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.backend.TestNode;
import io.tandem.backend.cluster.NodeRegistry;
import io.tandem.telephony.testing.Await;
import io.tandem.telephony.testing.RedisServer;
import io.tandem.telephony.ua.Call;
import io.tandem.telephony.ua.CallState;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A stopped node's extensions are unreachable (480) until they register elsewhere; then calls reach them again. */
class NodeFailureCallIT {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    @Test
    void callsToAnExtensionOfAStoppedNodeGet480UntilItRegistersOnALiveNode() throws Exception {
        try (TestNode n1 = Cluster.node(redis, "nf1", "tandem.call.ring-timeout=3s");
             Phone caller = Phone.registered(n1, "1001", 1000, 440)) {
            TestNode n2 = Cluster.node(redis, "nf2", "tandem.node.heartbeat-ttl=3s");
            // The phone on node 2 stays up (registered, never unregistering): only its node dies.
            Phone onN2 = Phone.registered(n2, "1002", 440, 1000).answering();
            try {
                Call first = caller.dial(n1, "1002");
                caller.awaitState(first, CallState.CONNECTED);
                first.hangup();
                caller.awaitState(first, CallState.ENDED);
                n2.close();
                // Within node 2's heartbeat TTL its binding still looks usable; the INVITE finds nobody and the
                // caller gets 480 at the latest when the ring timeout fires. Once the TTL ran out the answer is
                // immediate.
                Call meanwhile = caller.dial(n1, "1002");
                caller.awaitState(meanwhile, CallState.ENDED);
                assertThat(meanwhile.endStatus()).isEqualTo(480);
                Await.until("nf2 is no longer alive", Duration.ofSeconds(30),
                        () -> !n1.bean(NodeRegistry.class).isAlive("nf2"));
                Call afterTtl = caller.dial(n1, "1002");
                caller.awaitState(afterTtl, CallState.ENDED);
                assertThat(afterTtl.endStatus()).isEqualTo(480);
                assertThat(onN2.incoming).as("only the first call reached the phone on node 2").hasSize(1);
            } finally {
                n2.close();
                onN2.close();
            }

            try (Phone onN1 = Phone.registered(n1, "1002", 440, 1000).answering()) {
                Call again = caller.dial(n1, "1002");
                next(onN1.incoming, "1002 rings on node 1");
                caller.awaitState(again, CallState.CONNECTED);
                again.hangup();
                caller.awaitState(again, CallState.ENDED);
            }
        }
    }
}
