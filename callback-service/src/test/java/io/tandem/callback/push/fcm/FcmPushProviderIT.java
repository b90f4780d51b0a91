package io.tandem.callback.push.fcm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tandem.callback.MockFcm;
import io.tandem.callback.push.PushDevice;
import io.tandem.callback.push.PushKind;
import io.tandem.callback.push.PushMessage;
import io.tandem.callback.push.PushNetwork;
import io.tandem.callback.push.PushOutcome;
import io.tandem.callback.push.PushProperties;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The FCM provider against a loopback FCM HTTP v1 server with its own OAuth2 token endpoint ({@link MockFcm}): the
 * endpoint checks the JWT-bearer grant (RFC 7523 §2.1) — signature with the service account's RSA key, issuer,
 * audience, scope — and the send checks the Bearer token it handed out (Google's error body shapes, "FCM error
 * codes").
 */
class FcmPushProviderIT {

    private static final String PROJECT = MockFcm.PROJECT;

    @TempDir
    Path dir;

    private MockFcm fcm;

    @BeforeEach
    void startFcm() throws IOException, GeneralSecurityException {
        fcm = new MockFcm(dir);
    }

    @AfterEach
    void stopFcm() {
        fcm.close();
    }

    @Test
    void aRingIsAcceptedWithTheMessageNameAndIsAHighPriorityDataMessage() throws IOException {
        try (FcmPushProvider provider = provider()) {
            PushOutcome outcome = provider.send(ring("device-1", "r-1")).join();

            assertThat(outcome).isEqualTo(new PushOutcome.Accepted("projects/" + PROJECT + "/messages/1"));
        }
        assertThat(fcm.refusedGrants()).isEmpty();
        JsonNode message = fcm.sent().get(0).path("message");
        assertThat(message.path("token").asText()).isEqualTo("device-1");
        assertThat(message.path("android").path("priority").asText()).isEqualTo("HIGH");
        assertThat(message.path("android").path("ttl").asText()).isEqualTo("30s");
        assertThat(message.path("android").path("collapse_key").asText()).isEqualTo("room-r-1");
        assertThat(message.path("data").path("kind").asText()).isEqualTo("ring");
        assertThat(message.path("data").path("callerNumber").asText()).isEqualTo("+33144556677");
        assertThat(message.path("data").path("joinToken").asText()).isEqualTo("jt-r-1");
        assertThat(message.has("notification")).isFalse();
    }

    @Test
    void anUnregisteredTokenIsDead() throws IOException {
        try (FcmPushProvider provider = provider()) {
            assertThat(provider.send(ring(MockFcm.DEAD_TOKEN, "r-2")).join())
                    .isEqualTo(new PushOutcome.DeadToken("UNREGISTERED (HTTP 404)"));
        }
    }

    @Test
    void theAccessTokenIsFetchedOnceAndReusedForLaterPushes() throws IOException {
        try (FcmPushProvider provider = provider()) {
            for (int i = 1; i <= 3; i++) {
                assertThat(provider.send(ring("device-" + i, "r-" + i)).join())
                        .isInstanceOf(PushOutcome.Accepted.class);
            }
        }
        assertThat(fcm.grants()).isEqualTo(1);
        assertThat(fcm.sent()).hasSize(3);
    }

    @Test
    void aTokenAboutToExpireIsRefreshedByTheLibraryBeforeThePush() throws IOException {
        // Below the library's expiry margin (minutes), so every push needs a fresh token; the send only accepts
        // the newest one.
        fcm.expiresIn(60);
        try (FcmPushProvider provider = provider()) {
            assertThat(provider.send(ring("device-1", "r-1")).join()).isInstanceOf(PushOutcome.Accepted.class);
            assertThat(provider.send(ring("device-2", "r-2")).join()).isInstanceOf(PushOutcome.Accepted.class);
        }
        assertThat(fcm.grants()).isEqualTo(2);
    }

    @Test
    void aSendWithoutTheIssuedTokenIsRefused() throws IOException {
        try (FcmPushProvider provider = provider()) {
            provider.send(ring("device-1", "r-1")).join();
            fcm.revokeToken();
            PushOutcome outcome = provider.send(ring("device-2", "r-2")).join();

            assertThat(outcome).isEqualTo(new PushOutcome.Refused("UNAUTHENTICATED (HTTP 401)"));
        }
    }

    @Test
    void aDeviceOfAnotherProjectIsRefusedBeforeFcmIsAsked() throws IOException {
        try (FcmPushProvider provider = provider()) {
            PushMessage foreign = new PushMessage(PushKind.RING, new PushDevice(PushNetwork.FCM, "device-1", "other"),
                    "r-1", "+33144556677", "Marie", "7002", 5, "jt-r-1");

            assertThat(provider.send(foreign).join()).isInstanceOf(PushOutcome.Refused.class);
        }
        assertThat(fcm.grants()).isZero();
        assertThat(fcm.sent()).isEmpty();
    }

    private FcmPushProvider provider() throws IOException {
        return new FcmPushProvider(new PushProperties.Fcm(PROJECT, fcm.credentials().toString(),
                URI.create(fcm.baseUrl()), Duration.ofSeconds(30), Duration.ofSeconds(10)));
    }

    private static PushMessage ring(String token, String room) {
        return new PushMessage(PushKind.RING, new PushDevice(PushNetwork.FCM, token, PROJECT), room, "+33144556677",
                "Marie", "7002", 5, "jt-" + room);
    }
}
