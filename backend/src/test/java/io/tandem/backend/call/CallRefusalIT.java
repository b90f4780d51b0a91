package io.tandem.backend.call;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.backend.RedisServer;
import io.tandem.backend.TestNode;
import io.tandem.telephony.ua.Call;
import io.tandem.telephony.ua.CallState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What does not become a call: unsigned or badly signed trunk INVITEs (403), unauthenticated and wrong-password
 * INVITEs (407, then 403; the callee never rings), unknown numbers (404), offline extensions (480), busy callees
 * (486 passed back) and callees that do not answer (480 after the ring timeout).
 */
class CallRefusalIT {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    private static TestNode node;

    @BeforeAll
    static void start() {
        node = Cluster.node(redis, "refusal", "tandem.call.ring-timeout=2s");
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @Test
    void unsignedOrBadlySignedTrunkInvitesAreForbidden() throws Exception {
        try (Phone callee = Phone.registered(node, "1002", 440, 1000);
             RawInvite raw = new RawInvite(node.sipPort())) {
            assertThat(raw.send(raw.invite("1001", "1002", "X-Tandem-Origin: other",
                    "X-Tandem-Target: 1002@demo"))).isEqualTo(403);
            assertThat(raw.send(raw.invite("1001", "1002", "X-Tandem-Origin: other", "X-Tandem-Target: 1002@demo",
                    "X-Tandem-Timestamp: " + System.currentTimeMillis(),
                    "X-Tandem-Signature: " + "ab".repeat(32)))).isEqualTo(403);
            // A correct-looking signature that is too old.
            assertThat(raw.send(raw.invite("1001", "1002", "X-Tandem-Origin: other", "X-Tandem-Target: 1002@demo",
                    "X-Tandem-Timestamp: 1000", "X-Tandem-Signature: " + "00".repeat(32)))).isEqualTo(403);
            assertThat(callee.incoming).as("the callee never rang").isEmpty();
        }
    }

    @Test
    void unauthenticatedInvitesAreChallengedAndWrongPasswordsForbiddenWithoutRinging() throws Exception {
        try (Phone callee = Phone.registered(node, "1004", 440, 1000);
             RawInvite raw = new RawInvite(node.sipPort());
             Phone intruder = Phone.unregistered("1005", "not-the-password")) {
            assertThat(raw.send(raw.invite("1005", "1004"))).isEqualTo(407);
            assertThat(raw.send(raw.invite("anonymous", "1004"))).isEqualTo(407);
            Call call = intruder.dial(node, "1004");
            intruder.awaitState(call, CallState.ENDED);
            assertThat(call.endStatus()).isEqualTo(403);
            assertThat(callee.incoming).as("the callee never rang").isEmpty();
        }
    }

    @Test
    void unknownOfflineBusyAndUnansweredCallsGetTheirStatus() throws Exception {
        try (Phone caller = Phone.registered(node, "1006", 1000, 440);
             Phone busy = Phone.registered(node, "1007", 440, 1000).rejecting(486);
             Phone sleepy = Phone.registered(node, "1008", 440, 1000)) {
            assertThat(endStatus(caller, "1999")).as("unknown number").isEqualTo(404);
            assertThat(endStatus(caller, "1010")).as("not registered").isEqualTo(480);
            assertThat(endStatus(caller, "1007")).as("busy").isEqualTo(486);
            assertThat(endStatus(caller, "1008")).as("no answer").isEqualTo(480);
            assertThat(sleepy.incoming).as("1008 did ring").isNotEmpty();
        }
    }

    private static int endStatus(Phone caller, String extension) throws InterruptedException {
        Call call = caller.dial(node, extension);
        caller.awaitState(call, CallState.ENDED);
        return call.endStatus();
    }
}
