package io.tandem.backend.call;

import static io.tandem.backend.call.Phone.next;
import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.tandem.backend.TestNode;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.registrar.RawRegisterClient;
import io.tandem.protocol.callback.CallWake;
import io.tandem.telephony.testing.Await;
import io.tandem.telephony.testing.RedisServer;
import io.tandem.telephony.ua.Call;
import io.tandem.telephony.ua.CallState;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Calling a sleeping device (RFC 8599): the callee registered with push parameters and then went silent (its
 * contact removed, its push binding kept). A call to it is not refused: a ring wake goes to the callback service's
 * stream at once, the caller hears ringing, and the device registering again is rung in the same call; the answer
 * or the caller's cancel is written for the cancel push.
 */
class SleepingCalleeIT {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String TOPIC = "ABCDE12345.com.example.app.voip";
    private static TestNode node;
    private static RedisClient client;
    private static StatefulRedisConnection<String, String> connection;

    @BeforeAll
    static void start() {
        node = Cluster.node(redis, "wake-it");
        client = RedisClient.create(redis.uri());
        connection = client.connect();
    }

    @AfterAll
    static void stop() {
        connection.close();
        client.shutdown();
        node.close();
    }

    @Test
    void theWokenDeviceRegistersAndAnswersTheSameCall() throws Exception {
        fallAsleep("1006", 'a');
        try (Phone caller = Phone.registered(node, "1005", 1000, 440)) {
            long dialled = System.currentTimeMillis();
            Call call = caller.dial(node, "1006");
            CallWake ring = awaitWake("1006", CallWake.Kind.RING);
            System.out.printf("wake: INVITE -> ring wake on the stream: %d ms%n", ring.at() - dialled);
            assertThat(ring.callerNumber()).isEqualTo("1005");
            assertThat(ring.node()).isEqualTo("wake-it");
            caller.awaitState(call, CallState.RINGING);
            assertThat(call.state()).as("no contact, but a push binding: the caller waits, not 480")
                    .isNotEqualTo(CallState.ENDED);

            try (Phone woken = Phone.registered(node, "1006", 440, 1000)) {
                Call ringing = next(woken.incoming, "the woken device is rung in the ringing call");
                ringing.answer();
                caller.awaitState(call, CallState.CONNECTED);
                Await.until("1005 hears the woken device", WAIT, () -> caller.ear.toneFrames() > 25);
                Await.until("the woken device hears 1005", WAIT, () -> woken.ear.toneFrames() > 25);
                CallWake answered = awaitWake("1006", CallWake.Kind.ANSWERED);
                assertThat(answered.callId()).isEqualTo(ring.callId());
                call.hangup();
                woken.awaitState(ringing, CallState.ENDED);
            }
        }
        assertThat(wakes("1006")).extracting(CallWake::kind)
                .as("one ring, one answer; the call's end writes nothing more")
                .containsExactly(CallWake.Kind.RING, CallWake.Kind.ANSWERED);
    }

    @Test
    void aStoppedDevicesStaleContactIsForkedToAndTheWokenDeviceAnswersBeside() throws Exception {
        try (RawRegisterClient app = new RawRegisterClient("1014", node.sipPort())) {
            assertThat(app.registerWithPassword(TestNode.PASSWORD, 300, pushContact(app, "1014", 'e'))
                    .getStatusCode()).isEqualTo(200);
        } // the app is stopped: its SIP binding stays, and nothing answers there any more
        assertThat(connection.sync().hlen(Keys.registration("demo", "1014"))).as("the stale contact").isPositive();
        try (Phone caller = Phone.registered(node, "1013", 1000, 440)) {
            Call call = caller.dial(node, "1014");
            CallWake ring = awaitWake("1014", CallWake.Kind.RING);
            caller.awaitState(call, CallState.RINGING);
            try (Phone woken = Phone.registered(node, "1014", 440, 1000)) {
                Call ringing = next(woken.incoming, "the woken device is rung beside the stale contact");
                ringing.answer();
                caller.awaitState(call, CallState.CONNECTED);
                Await.until("1013 hears the woken device", WAIT, () -> caller.ear.toneFrames() > 25);
                Await.until("the woken device hears 1013", WAIT, () -> woken.ear.toneFrames() > 25);
                assertThat(awaitWake("1014", CallWake.Kind.ANSWERED).callId()).isEqualTo(ring.callId());
                call.hangup();
                woken.awaitState(ringing, CallState.ENDED);
            }
        }
    }

    @Test
    void theCallerCancelsWhileTheDeviceIsBeingWoken() throws Exception {
        fallAsleep("1008", 'b');
        try (Phone caller = Phone.registered(node, "1007", 1000, 440)) {
            Call call = caller.dial(node, "1008");
            CallWake ring = awaitWake("1008", CallWake.Kind.RING);
            caller.awaitState(call, CallState.RINGING);
            call.hangup();
            caller.awaitState(call, CallState.ENDED);
            CallWake cancelled = awaitWake("1008", CallWake.Kind.CANCELLED);
            assertThat(cancelled.callId()).isEqualTo(ring.callId());
        }
    }

    @Test
    void theWokenDeviceRegistersAtAnotherNodeAndIsRungThroughTheTrunk() throws Exception {
        fallAsleep("1010", 'c');
        try (TestNode other = Cluster.node(redis, "wake-it-b");
             Phone caller = Phone.registered(node, "1009", 1000, 440)) {
            Call call = caller.dial(node, "1010");
            CallWake ring = awaitWake("1010", CallWake.Kind.RING);
            caller.awaitState(call, CallState.RINGING);
            try (Phone woken = Phone.registered(other, "1010", 440, 1000);
                 RawRegisterClient app = new RawRegisterClient("1010", other.sipPort())) {
                // The app's REGISTER with its push parameters: node B appends the DeviceEvent node A reads.
                assertThat(app.registerWithPassword(TestNode.PASSWORD, 300, pushContact(app, "1010", 'c'))
                        .getStatusCode()).isEqualTo(200);
                Call ringing = next(woken.incoming, "the device woken at node B is rung in the call of node A");
                ringing.answer();
                caller.awaitState(call, CallState.CONNECTED);
                Await.until("1009 hears the device at node B", WAIT, () -> caller.ear.toneFrames() > 25);
                Await.until("the device at node B hears 1009", WAIT, () -> woken.ear.toneFrames() > 25);
                assertThat(awaitWake("1010", CallWake.Kind.ANSWERED).callId()).isEqualTo(ring.callId());
                call.hangup();
                woken.awaitState(ringing, CallState.ENDED);
            }
        }
    }

    @Test
    void noDeviceRegistersWithinTheWakeWaitTheCallerGets480AndTheRingIsCancelled() throws Exception {
        try (TestNode impatient = Cluster.node(redis, "wake-it-c", "tandem.call.wake-wait=2s")) {
            fallAsleep("1012", 'd');
            try (Phone caller = Phone.registered(impatient, "1011", 1000, 440)) {
                Call call = caller.dial(impatient, "1012");
                CallWake ring = awaitWake("1012", CallWake.Kind.RING);
                caller.awaitState(call, CallState.ENDED);
                assertThat(call.endStatus()).isEqualTo(480);
                assertThat(awaitWake("1012", CallWake.Kind.CANCELLED).callId()).isEqualTo(ring.callId());
            }
        }
    }

    private static String pushContact(RawRegisterClient app, String user, char token) {
        return "<" + app.contact() + ";pn-provider=apns;pn-prid=" + String.valueOf(token).repeat(64) + ";pn-param="
                + TOPIC + ">;+sip.instance=\"<urn:uuid:6f1b0e0a-0000-4000-8000-00000000" + user + ">\"";
    }

    /** The user registers with APNs push parameters, then removes its contact: the push binding stays. */
    private static void fallAsleep(String user, char token) throws Exception {
        try (RawRegisterClient app = new RawRegisterClient(user, node.sipPort())) {
            assertThat(app.registerWithPassword(TestNode.PASSWORD, 300, pushContact(app, user, token))
                    .getStatusCode()).isEqualTo(200);
            assertThat(app.registerWithPassword(TestNode.PASSWORD, 0, "*").getStatusCode()).isEqualTo(200);
        }
        assertThat(connection.sync().hlen(Keys.pushBindings("demo", user))).isEqualTo(1);
        assertThat(connection.sync().hlen(Keys.registration("demo", user))).as("no SIP binding left").isZero();
    }

    private static CallWake awaitWake(String callee, CallWake.Kind kind) {
        Await.until(kind.wire() + " wake for " + callee, WAIT, () -> find(callee, kind).isPresent());
        return find(callee, kind).orElseThrow();
    }

    private static Optional<CallWake> find(String callee, CallWake.Kind kind) {
        return wakes(callee).stream().filter(w -> w.kind() == kind).findFirst();
    }

    private static List<CallWake> wakes(String callee) {
        return connection.sync().xrange(Keys.callWakes("demo"), Range.create("-", "+")).stream()
                .map(entry -> CallWake.of(entry.getBody())).filter(w -> w.callee().equals(callee)).toList();
    }
}
