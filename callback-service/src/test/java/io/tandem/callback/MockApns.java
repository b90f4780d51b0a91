package io.tandem.callback;

import com.eatthepath.pushy.apns.ApnsPushNotification;
import com.eatthepath.pushy.apns.auth.ApnsVerificationKey;
import com.eatthepath.pushy.apns.server.MockApnsServer;
import com.eatthepath.pushy.apns.server.MockApnsServerBuilder;
import com.eatthepath.pushy.apns.server.ParsingMockApnsServerListenerAdapter;
import com.eatthepath.pushy.apns.server.RejectionReason;
import com.eatthepath.pushy.apns.server.ValidatingPushNotificationHandlerFactory;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.channel.nio.NioEventLoopGroup;
import io.tandem.callback.push.apns.TestTls;
import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Pushy's MockApnsServer on loopback (HTTP/2 over TLS, certificates and the .p8 key made by the test), validating
 * provider tokens and device tokens per topic as APNs does; every accepted push is kept for the test to look at.
 * {@code unregistered} tokens are answered 410 {@code Unregistered}.
 */
public final class MockApns implements AutoCloseable {

    public static final String TEAM_ID = "TEAM123456";
    public static final String KEY_ID = "KEY1234567";
    public static final String TOPIC = "io.tandem.agent.voip";
    /** The {@code pn-param} of the test app's bindings (RFC 8599 §9.2). */
    public static final String PN_PARAM = TEAM_ID + "." + TOPIC;

    /** An accepted push: the device token, the collapse id, the payload fields and when it was accepted (epoch ms). */
    public record Push(String token, String collapseId, Map<String, String> payload, long acceptedAt) {
        public String kind() {
            return payload.get("kind");
        }

        public String room() {
            return payload.get("roomId");
        }

        public String call() {
            return payload.get("callId");
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * The server's I/O threads. Pushy's default is one, which then decrypts and verifies (JWT) every push of every
     * connection; Apple's servers are not one thread, and the bench measures the service's push rate, not the mock's.
     */
    private static final int SERVER_THREADS = 4;

    private final NioEventLoopGroup eventLoops = new NioEventLoopGroup(SERVER_THREADS);
    private final MockApnsServer server;
    private final List<Push> accepted = new CopyOnWriteArrayList<>();
    private final Path p8;
    private final TestTls.ServerFiles tls;
    private final int port;

    public MockApns(Path dir, Set<String> liveTokens, Set<String> unregistered) throws Exception {
        tls = TestTls.loopbackServer(dir);
        KeyPair signing = TestTls.ecP256();
        p8 = TestTls.writeP8(dir.resolve("AuthKey_" + KEY_ID + ".p8"), signing);
        ApnsVerificationKey verification = new ApnsVerificationKey(KEY_ID, TEAM_ID,
                (ECPublicKey) signing.getPublic());
        Set<String> all = new HashSet<>(liveTokens);
        all.addAll(unregistered);
        Map<String, Instant> expired = new HashMap<>();
        unregistered.forEach(token -> expired.put(token, Instant.parse("2026-01-01T00:00:00Z")));
        server = new MockApnsServerBuilder()
                .setEventLoopGroup(eventLoops)
                .setServerCredentials(tls.serverCertificateChain().toFile(), tls.serverKey().toFile(), null)
                .setHandlerFactory(new ValidatingPushNotificationHandlerFactory(Map.of(TOPIC, all), expired,
                        Map.of(KEY_ID, verification), Map.of(verification, Set.of(TOPIC))))
                .setListener(new ParsingMockApnsServerListenerAdapter() {
                    @Override
                    public void handlePushNotificationAccepted(ApnsPushNotification notification) {
                        try {
                            accepted.add(new Push(notification.getToken(), notification.getCollapseId(),
                                    JSON.readValue(notification.getPayload(),
                                            new TypeReference<Map<String, String>>() {
                                            }), System.currentTimeMillis()));
                        } catch (IOException e) {
                            throw new IllegalStateException("the service sent a payload that is not JSON", e);
                        }
                    }

                    @Override
                    public void handlePushNotificationRejected(ApnsPushNotification notification,
                            RejectionReason reason, Instant tokenExpiration) {
                        // The service sees the rejection as an outcome; the tests assert what it did with it.
                    }
                })
                .build();
        port = server.start(0).get(30, TimeUnit.SECONDS);
    }

    /** The Spring arguments that point the service's APNs provider here. */
    public List<String> properties() {
        return List.of("--tandem.push.apns.host=127.0.0.1", "--tandem.push.apns.port=" + port,
                "--tandem.push.apns.signing-key-file=" + p8, "--tandem.push.apns.team-id=" + TEAM_ID,
                "--tandem.push.apns.key-id=" + KEY_ID, "--tandem.push.apns.trusted-ca-file=" + tls.caCertificate());
    }

    /** Every push accepted so far, in order. */
    public List<Push> accepted() {
        return new ArrayList<>(accepted);
    }

    /** The pushes accepted for a call to a sleeping callee. */
    public List<Push> ofCall(String callId) {
        return accepted().stream().filter(p -> callId.equals(p.call())).toList();
    }

    /** The pushes accepted for a room. */
    public List<Push> of(String room) {
        return accepted().stream().filter(p -> room.equals(p.room())).toList();
    }

    @Override
    public void close() throws Exception {
        try {
            server.shutdown().get(30, TimeUnit.SECONDS);
        } finally {
            eventLoops.shutdownGracefully().get(30, TimeUnit.SECONDS);
        }
    }
}
