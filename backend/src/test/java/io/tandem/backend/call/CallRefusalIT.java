package io.tandem.backend.call;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.backend.TestNode;
import gov.nist.javax.sip.header.HeaderFactoryImpl;
import gov.nist.javax.sip.message.MessageFactoryImpl;
import io.tandem.backend.node.sip.TrunkSignature;
import java.time.Clock;
import java.time.Duration;
import javax.sip.header.CSeqHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import io.tandem.telephony.testing.RedisServer;
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
    void anInviteGets100TryingBeforeItsChallenge() throws Exception {
        // The edge fails an INVITE over to another node when the first sends nothing back for 1.5 s: the 100 comes
        // before the digest check, so a node that is only slow never has the call set up on two nodes.
        try (RawInvite raw = new RawInvite(node.sipPort())) {
            assertThat(raw.statuses(raw.invite("1001", "1002"))).containsExactly(100, 407);
        }
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
    void aSignedTrunkInviteRingsOnlyLocalContactsAndItsReplayIsForbidden() throws Exception {
        try (Phone callee = Phone.registered(node, "1003", 440, 1000);
             RawInvite raw = new RawInvite(node.sipPort())) {
            Request invite = new MessageFactoryImpl().createRequest(raw.invite("1001", "1003"));
            new TrunkSignature(Cluster.SECRET, Clock.systemUTC(), Duration.ofSeconds(30))
                    .sign(invite, new HeaderFactoryImpl(), "peer-node", "1003", "demo");
            // No digest needed: the signature is the authentication. Nobody answers: 480 after the ring timeout.
            assertThat(raw.send(invite.toString())).isEqualTo(480);
            assertThat(callee.incoming).as("the callee rang").hasSize(1);
            // A new transaction (branch, From tag, CSeq) around the same signed Call-ID, target and timestamp.
            ((ViaHeader) invite.getHeader(ViaHeader.NAME)).setBranch("z9hG4bKreplayed");
            ((FromHeader) invite.getHeader(FromHeader.NAME)).setTag("replayed");
            ((CSeqHeader) invite.getHeader(CSeqHeader.NAME)).setSeqNumber(7);
            assertThat(raw.send(invite.toString())).as("the same signature again").isEqualTo(403);
            assertThat(callee.incoming).as("the replay did not ring").hasSize(1);
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
