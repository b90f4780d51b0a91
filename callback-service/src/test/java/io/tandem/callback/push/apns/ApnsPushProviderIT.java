package io.tandem.callback.push.apns;

import static org.assertj.core.api.Assertions.assertThat;

import com.eatthepath.pushy.apns.ApnsPushNotification;
import com.eatthepath.pushy.apns.DeliveryPriority;
import com.eatthepath.pushy.apns.PushType;
import com.eatthepath.pushy.apns.auth.ApnsVerificationKey;
import com.eatthepath.pushy.apns.server.MockApnsServer;
import com.eatthepath.pushy.apns.server.MockApnsServerBuilder;
import com.eatthepath.pushy.apns.server.ParsingMockApnsServerListenerAdapter;
import com.eatthepath.pushy.apns.server.RejectionReason;
import com.eatthepath.pushy.apns.server.ValidatingPushNotificationHandlerFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tandem.callback.push.PushDevice;
import io.tandem.callback.push.PushKind;
import io.tandem.callback.push.PushMessage;
import io.tandem.callback.push.PushNetwork;
import io.tandem.callback.push.PushOutcome;
import io.tandem.callback.push.PushProperties;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The APNs provider against Pushy's MockApnsServer: HTTP/2 over TLS on loopback with a certificate this test issued,
 * validating the provider token (ES256, signed with the .p8 key this test made) and the device token per topic the
 * way APNs does.
 */
class ApnsPushProviderIT {

    private static final String TEAM_ID = "TEAM123456";
    private static final String KEY_ID = "KEY1234567";
    private static final String BUNDLE = "io.tandem.agent";
    private static final String TOPIC = BUNDLE + ".voip";
    private static final String LIVE_TOKEN = "a".repeat(64);
    private static final String UNREGISTERED_TOKEN = "b".repeat(64);
    private static final String UNKNOWN_TOKEN = "c".repeat(64);

    @TempDir
    static Path dir;

    private static final BlockingQueue<ApnsPushNotification> accepted = new LinkedBlockingQueue<>();
    private static MockApnsServer server;
    private static ApnsPushProvider provider;
    private static TestTls.ServerFiles tls;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        tls = TestTls.loopbackServer(dir);
        KeyPair signing = TestTls.ecP256();
        Path p8 = TestTls.writeP8(dir.resolve("AuthKey_" + KEY_ID + ".p8"), signing);
        ApnsVerificationKey verification = new ApnsVerificationKey(KEY_ID, TEAM_ID, (ECPublicKey) signing.getPublic());

        server = new MockApnsServerBuilder()
                .setServerCredentials(tls.serverCertificateChain().toFile(), tls.serverKey().toFile(), null)
                .setHandlerFactory(new ValidatingPushNotificationHandlerFactory(
                        Map.of(TOPIC, Set.of(LIVE_TOKEN, UNREGISTERED_TOKEN)),
                        Map.of(UNREGISTERED_TOKEN, Instant.parse("2026-01-01T00:00:00Z")),
                        Map.of(KEY_ID, verification),
                        Map.of(verification, Set.of(TOPIC))))
                .setListener(new ParsingMockApnsServerListenerAdapter() {
                    @Override
                    public void handlePushNotificationAccepted(ApnsPushNotification notification) {
                        accepted.add(notification);
                    }

                    @Override
                    public void handlePushNotificationRejected(ApnsPushNotification notification,
                            RejectionReason reason, Instant tokenExpiration) {
                        // Rejections are asserted through the outcome the client sees.
                    }
                })
                .build();
        port = server.start(0).get(30, TimeUnit.SECONDS);

        provider = new ApnsPushProvider(new PushProperties.Apns("127.0.0.1", port, p8.toString(), TEAM_ID, KEY_ID,
                tls.caCertificate().toString(), Duration.ofSeconds(10), Duration.ofSeconds(20), 2));
    }

    @AfterAll
    static void stop() throws Exception {
        if (provider != null) {
            provider.close();
        }
        if (server != null) {
            server.shutdown().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aRingIsAnImmediateVoipPushThatIsNotStoredAndCarriesTheCall() throws Exception {
        accepted.clear();
        PushOutcome outcome = provider.send(push(PushKind.RING, LIVE_TOKEN, "r-1")).join();

        assertThat(outcome).isInstanceOf(PushOutcome.Accepted.class);
        assertThat(UUID.fromString(((PushOutcome.Accepted) outcome).providerId())).isNotNull();
        ApnsPushNotification seen = accepted.poll(20, TimeUnit.SECONDS);
        assertThat(seen).isNotNull();
        assertThat(seen.getToken()).isEqualTo(LIVE_TOKEN);
        assertThat(seen.getTopic()).isEqualTo(TOPIC);
        assertThat(seen.getPushType()).isEqualTo(PushType.VOIP);
        assertThat(seen.getPriority()).isEqualTo(DeliveryPriority.IMMEDIATE);
        assertThat(seen.getExpiration()).isEqualTo(Instant.EPOCH);
        assertThat(seen.getCollapseId()).isEqualTo("room-r-1");
        @SuppressWarnings("unchecked")
        Map<String, Object> payload = new ObjectMapper().readValue(seen.getPayload(), Map.class);
        assertThat(payload).containsEntry("kind", "ring").containsEntry("roomId", "r-1")
                .containsEntry("callerNumber", "+4420700").containsEntry("callerName", "Alan")
                .containsEntry("queue", "7002").containsEntry("waitedSeconds", "8")
                .containsEntry("joinToken", "jt-r-1");
    }

    @Test
    void theCancelOfARoomUsesTheRingsCollapseId() throws Exception {
        accepted.clear();
        assertThat(provider.send(push(PushKind.RING, LIVE_TOKEN, "r-2")).join())
                .isInstanceOf(PushOutcome.Accepted.class);
        assertThat(provider.send(push(PushKind.CANCEL, LIVE_TOKEN, "r-2")).join())
                .isInstanceOf(PushOutcome.Accepted.class);

        ApnsPushNotification ring = accepted.poll(20, TimeUnit.SECONDS);
        ApnsPushNotification cancel = accepted.poll(20, TimeUnit.SECONDS);
        assertThat(ring).isNotNull();
        assertThat(cancel).isNotNull();
        assertThat(cancel.getPayload()).contains("\"kind\":\"cancel\"");
        assertThat(cancel.getCollapseId()).isEqualTo(ring.getCollapseId()).isEqualTo("room-r-2");
    }

    @Test
    void aTokenApnsCallsUnregisteredIsDead() {
        assertThat(provider.send(push(PushKind.RING, UNREGISTERED_TOKEN, "r-3")).join())
                .isEqualTo(new PushOutcome.DeadToken("Unregistered"));
    }

    @Test
    void aMalformedTokenIsDead() {
        assertThat(provider.send(push(PushKind.RING, "not-a-device-token", "r-4")).join())
                .isEqualTo(new PushOutcome.DeadToken("BadDeviceToken"));
    }

    @Test
    void aTokenOfAnotherAppIsRefusedNotDead() {
        // The binding names the wrong app; the token itself may be fine for its own topic.
        assertThat(provider.send(push(PushKind.RING, UNKNOWN_TOKEN, "r-6")).join())
                .isEqualTo(new PushOutcome.Refused("DeviceTokenNotForTopic"));
    }

    @Test
    void aPnParamThatIsNotForVoipIsRefusedBeforeApnsIsAsked() {
        PushMessage alert = new PushMessage(PushKind.RING,
                new PushDevice(PushNetwork.APNS, LIVE_TOKEN, TEAM_ID + "." + BUNDLE + ".apns"),
                "r-5", "+4420700", "Alan", "7002", 8, "jt-r-5");

        assertThat(provider.send(alert).join()).isInstanceOf(PushOutcome.Refused.class);
    }

    @Test
    void aTokenSignedWithAnotherKeyIsRefusedByApns() throws Exception {
        Path stranger = TestTls.writeP8(dir.resolve("stranger.p8"), TestTls.ecP256());
        ApnsPushProvider impostor = new ApnsPushProvider(new PushProperties.Apns("127.0.0.1", port,
                stranger.toString(), TEAM_ID, KEY_ID, tls.caCertificate().toString(), Duration.ofSeconds(10),
                Duration.ofSeconds(20), 1));
        try {
            assertThat(impostor.send(push(PushKind.RING, LIVE_TOKEN, "r-7")).join())
                    .isEqualTo(new PushOutcome.Refused("InvalidProviderToken"));
        } finally {
            impostor.close();
        }
    }

    private static PushMessage push(PushKind kind, String token, String room) {
        return new PushMessage(kind, new PushDevice(PushNetwork.APNS, token, TEAM_ID + "." + TOPIC), room,
                "+4420700", "Alan", "7002", 8, kind == PushKind.RING ? "jt-" + room : "");
    }
}
