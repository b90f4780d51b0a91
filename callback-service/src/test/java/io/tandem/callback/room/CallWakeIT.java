package io.tandem.callback.room;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.callback.MockApns;
import io.tandem.callback.NodeSide;
import io.tandem.callback.ServiceInstance;
import io.tandem.protocol.callback.CallWake;
import io.tandem.protocol.callback.CallbackKeys;
import io.tandem.telephony.testing.Await;
import io.tandem.telephony.testing.RedisServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Calling a sleeping device, the service's side: a node's RING wake pushes a VoIP ring to every device of the callee
 * (Pushy's MockApnsServer, real HTTP/2 over TLS), once however often the entry is read; ANSWERED sends the cancel
 * with the same collapse id to the same devices, and a RING read after it wakes nobody.
 */
class CallWakeIT {

    @RegisterExtension
    static final RedisServer redisServer = new RedisServer();

    @TempDir
    static Path dir;

    private static final String TENANT = "demo";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String PHONE_TOKEN = "1".repeat(64);
    private static final String TABLET_TOKEN = "2".repeat(64);

    private static MockApns apns;
    private static NodeSide node;
    private static ConfigurableApplicationContext service;

    @BeforeAll
    static void start() throws Exception {
        apns = new MockApns(dir, Set.of(PHONE_TOKEN, TABLET_TOKEN), Set.of());
        node = new NodeSide(redisServer.uri());
        node.tenant(TENANT);
        node.nodeAlive("n1");
        long inAWeek = System.currentTimeMillis() + Duration.ofDays(7).toMillis();
        node.pushBinding(TENANT, "2001", "phone-2001", PHONE_TOKEN, inAWeek);
        node.pushBinding(TENANT, "2001", "tablet-2001", TABLET_TOKEN, inAWeek);
        service = ServiceInstance.start("svc-calls", redisServer.uri(), apns.properties());
    }

    @AfterAll
    static void stop() throws Exception {
        if (service != null) {
            service.close();
        }
        if (node != null) {
            node.close();
        }
        if (apns != null) {
            apns.close();
        }
    }

    @Test
    void aRingWakesEveryDeviceOfTheCalleeOnceAndTheAnswerCancelsItWithTheSameCollapseId() {
        String callId = "c-1@10.0.0.7";
        long written = System.currentTimeMillis();
        CallWake ring = new CallWake(CallWake.Kind.RING, callId, "2001", "1001", "Ada Caller", "n1", written);
        node.callWake(TENANT, ring);

        List<MockApns.Push> rings = Await.value("a ring push on both devices of 2001", WAIT, () -> {
            List<MockApns.Push> seen = apns.ofCall(callId);
            return seen.size() >= 2 ? Optional.of(seen) : Optional.empty();
        }, () -> "accepted: " + apns.accepted());
        for (MockApns.Push push : rings) {
            System.out.printf("wake: ring wake on the stream -> accepted by the mock APNs: %d ms%n",
                    push.acceptedAt() - written);
        }
        assertThat(rings).extracting(MockApns.Push::token).containsExactlyInAnyOrder(PHONE_TOKEN, TABLET_TOKEN);
        for (MockApns.Push push : rings) {
            assertThat(push.collapseId()).isEqualTo("call-" + callId);
            assertThat(push.payload()).containsEntry("kind", "ring").containsEntry("callId", callId)
                    .containsEntry("callerNumber", "1001").containsEntry("callerName", "Ada Caller")
                    .doesNotContainKey("joinToken");
        }

        // The same entry read again (a redelivery, another instance): no second ring.
        String again = node.callWake(TENANT, ring);
        Await.until("the repeated ring handled", WAIT, () -> node.handled(CallbackKeys.callWakes(TENANT), again));
        assertThat(apns.ofCall(callId)).hasSize(2);

        String answered = node.callWake(TENANT, new CallWake(CallWake.Kind.ANSWERED, callId, "2001", "", "", "n1",
                System.currentTimeMillis()));
        Await.until("ANSWERED handled", WAIT, () -> node.handled(CallbackKeys.callWakes(TENANT), answered));
        List<MockApns.Push> cancels = apns.ofCall(callId).stream().filter(p -> "cancel".equals(p.kind())).toList();
        assertThat(cancels).extracting(MockApns.Push::token).containsExactlyInAnyOrder(PHONE_TOKEN, TABLET_TOKEN);
        assertThat(cancels).extracting(MockApns.Push::collapseId).containsOnly("call-" + callId);

        // A call cancelled before its RING was read (a backlog, entries taken over out of order): nobody is woken.
        String other = "c-2@10.0.0.7";
        node.callWake(TENANT, new CallWake(CallWake.Kind.CANCELLED, other, "2001", "", "", "n1",
                System.currentTimeMillis()));
        String late = node.callWake(TENANT, new CallWake(CallWake.Kind.RING, other, "2001", "1001", "", "n1",
                System.currentTimeMillis()));
        Await.until("the late ring handled", WAIT, () -> node.handled(CallbackKeys.callWakes(TENANT), late));
        assertThat(apns.ofCall(other)).isEmpty();
    }
}
