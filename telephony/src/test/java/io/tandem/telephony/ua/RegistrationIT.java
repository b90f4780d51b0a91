package io.tandem.telephony.ua;

import io.tandem.telephony.sip.auth.DigestAlgorithm;
import io.tandem.telephony.testing.RecordingListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.tandem.telephony.testing.RecordingListener.next;
import static org.assertj.core.api.Assertions.assertThat;

/** Registration against a digest registrar: SHA-256, 407, stale nonces, refresh and unregister. */
class RegistrationIT {
    private final Phones phones = new Phones();

    @AfterEach
    void close() {
        phones.close();
    }

    private static UserAgentConfig account(TestRegistrar registrar) {
        return UserAgentConfig.of("alice", "tandem.test").withPassword("secret")
                .withRegistrars(List.of(registrar.uri()))
                .withTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(1));
    }

    @Test
    void sha256ProxyChallengeWithAStaleNonceEndsRegisteredWithoutAFailure() throws Exception {
        try (TestRegistrar registrar = new TestRegistrar("alice", "secret", DigestAlgorithm.SHA_256, 407, true,
                600)) {
            RecordingListener events = new RecordingListener();
            phones.start(account(registrar), events);
            events.awaitRegistrationEvent(RegistrationState.REGISTERED);

            assertThat(next(registrar.registers, "first REGISTER").authorization()).isNull();
            String firstTry = next(registrar.registers, "REGISTER with credentials").authorization();
            assertThat(firstTry).contains("algorithm=SHA-256", "nonce=\"nonce1\"");
            String afterStale = next(registrar.registers, "REGISTER after stale=true").authorization();
            assertThat(afterStale).contains("nonce=\"nonce2\"");
            assertThat(events.registrations).noneMatch(r -> r.state() == RegistrationState.FAILED);
        }
    }

    @Test
    void refreshesBeforeExpiryAndUnregistersOnClose() throws Exception {
        try (TestRegistrar registrar = new TestRegistrar("alice", "secret", DigestAlgorithm.MD5, 401, false, 2)) {
            RecordingListener events = new RecordingListener();
            UserAgent alice = phones.start(account(registrar), events);
            events.awaitRegistrationEvent(RegistrationState.REGISTERED);
            next(registrar.registers, "REGISTER");
            next(registrar.registers, "REGISTER with credentials");
            // Granted 2 s: the refresh comes before the binding lapses, with credentials for the known nonce.
            TestRegistrar.Seen refresh = next(registrar.registers, "refresh REGISTER");
            assertThat(refresh.authorization()).contains("nc=00000002");
            assertThat(refresh.expires()).isEqualTo(3600);

            alice.close();
            TestRegistrar.Seen unregister;
            do {
                unregister = next(registrar.registers, "REGISTER with Expires 0");
            } while (unregister.expires() != 0);
            events.awaitRegistrationEvent(RegistrationState.UNREGISTERED);
        }
    }

    @Test
    void wrongPasswordFailsWithoutLooping() throws Exception {
        try (TestRegistrar registrar = new TestRegistrar("alice", "secret", DigestAlgorithm.SHA_256, 401, false,
                600)) {
            RecordingListener events = new RecordingListener();
            phones.start(account(registrar).withPassword("nope"), events);
            RecordingListener.Registration failed = events.awaitRegistrationEvent(RegistrationState.FAILED);
            assertThat(failed.status()).isEqualTo(403);
            assertThat(registrar.registers).hasSize(2);
        }
    }

    @Test
    void pushParametersAreOnTheContactOfEveryRegisterTheRemovalIncluded() throws Exception {
        try (TestRegistrar registrar = new TestRegistrar("alice", "secret", DigestAlgorithm.SHA_256, 401, false,
                600)) {
            RecordingListener events = new RecordingListener();
            UserAgent alice = phones.start(account(registrar).withPush(new PushParameters("apns", "0a1b2c3d4e5f6a7b",
                    "ABCDE12345.com.example.app.voip", "urn:uuid:6f1b0e0a-0000-4000-8000-000000000001")), events);
            events.awaitRegistrationEvent(RegistrationState.REGISTERED);
            next(registrar.registers, "REGISTER");
            // RFC 8599 §4.1.1: URI parameters of the Contact; RFC 5626 §4.1: +sip.instance, a quoted URN.
            assertThat(next(registrar.registers, "REGISTER with credentials").contact())
                    .contains(";pn-provider=apns", ";pn-prid=0a1b2c3d4e5f6a7b",
                            ";pn-param=ABCDE12345.com.example.app.voip>")
                    .contains("+sip.instance=\"<urn:uuid:6f1b0e0a-0000-4000-8000-000000000001>\"");
            alice.close();
            TestRegistrar.Seen unregister;
            do {
                unregister = next(registrar.registers, "REGISTER with Expires 0");
            } while (unregister.expires() != 0);
            assertThat(unregister.contact()).contains(";pn-prid=0a1b2c3d4e5f6a7b", "+sip.instance=");
        }
    }
}
