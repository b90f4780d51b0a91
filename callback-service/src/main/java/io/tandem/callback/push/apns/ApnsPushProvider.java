package io.tandem.callback.push.apns;

import com.eatthepath.pushy.apns.ApnsClient;
import com.eatthepath.pushy.apns.ApnsClientBuilder;
import com.eatthepath.pushy.apns.DeliveryPriority;
import com.eatthepath.pushy.apns.PushNotificationResponse;
import com.eatthepath.pushy.apns.PushType;
import com.eatthepath.pushy.apns.auth.ApnsSigningKey;
import com.eatthepath.pushy.apns.util.SimpleApnsPushNotification;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.channel.nio.NioEventLoopGroup;
import io.tandem.callback.push.PushMessage;
import io.tandem.callback.push.PushNetwork;
import io.tandem.callback.push.PushOutcome;
import io.tandem.callback.push.PushProperties;
import io.tandem.callback.push.PushProvider;
import java.io.File;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * VoIP pushes to iOS devices through APNs with Pushy, authenticated by a provider token signed with the team's .p8
 * key (Apple, "Establishing a token-based connection to APNs").
 *
 * <p>Every push is a PushKit VoIP push ({@code apns-push-type: voip}) at priority 10 ({@code apns-priority: 10},
 * immediate) with {@code apns-expiration: 0}: a ring that cannot be delivered now is worthless later, so APNs must
 * not store it. The cancel uses the same {@code apns-collapse-id} as the ring, so a device that has not shown the ring
 * yet shows only the cancel. (iOS 13+ requires the app to report a CallKit call for every VoIP push, the cancel
 * included; the app reports it and ends it at once.)
 */
public final class ApnsPushProvider implements PushProvider {

    private static final Logger log = LoggerFactory.getLogger(ApnsPushProvider.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Apple's reasons that mean the token will never work again ("Handling notification responses from APNs"). */
    private static final Set<String> DEAD_TOKEN_REASONS = Set.of("Unregistered", "BadDeviceToken");
    /** 410: "The device token is no longer active for the topic." */
    private static final int GONE = 410;
    /** 429 (too many requests for this token) and 5xx are APNs' own trouble: failed, may work later. */
    private static final int TOO_MANY_REQUESTS = 429;

    private final ApnsClient client;
    /** The connections' I/O threads: ours, not Pushy's, so that there is one per connection; shut down on close. */
    private final NioEventLoopGroup eventLoops;
    private final PushProperties.Apns properties;

    public ApnsPushProvider(PushProperties.Apns properties) {
        this.properties = properties;
        this.eventLoops = new NioEventLoopGroup(properties.connections());
        try {
            this.client = connect(properties, eventLoops);
        } catch (RuntimeException e) {
            eventLoops.shutdownGracefully();
            throw e;
        }
    }

    private static ApnsClient connect(PushProperties.Apns properties, NioEventLoopGroup eventLoops) {
        ApnsSigningKey signingKey;
        try {
            signingKey = ApnsSigningKey.loadFromPkcs8File(
                    new File(properties.signingKeyFile()), properties.teamId(), properties.keyId());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(
                    "tandem.push.apns.signing-key-file: cannot load an EC P-256 PKCS#8 key from "
                    + properties.signingKeyFile() + ": " + e.getMessage(), e);
        }
        ApnsClientBuilder builder = new ApnsClientBuilder()
                .setApnsServer(properties.host(), properties.port())
                .setSigningKey(signingKey)
                .setConnectionTimeout(properties.connectTimeout())
                .setEventLoopGroup(eventLoops)
                .setConcurrentConnections(properties.connections());
        try {
            if (!properties.trustedCaFile().isEmpty()) {
                builder.setTrustedServerCertificateChain(new File(properties.trustedCaFile()));
            }
            return builder.build();
        } catch (IOException e) {
            throw new IllegalStateException("tandem.push.apns: cannot set up TLS (trusted-ca-file '"
                    + properties.trustedCaFile() + "'): " + e.getMessage(), e);
        }
    }

    @Override
    public PushNetwork network() {
        return PushNetwork.APNS;
    }

    @Override
    public CompletableFuture<PushOutcome> send(PushMessage message) {
        Optional<String> topic = ApnsTopic.ofVoip(message.device().param());
        if (topic.isEmpty()) {
            return CompletableFuture.completedFuture(new PushOutcome.Refused(
                    "pn-param '" + message.device().param() + "' is not TEAMID.bundle.voip (RFC 8599 §9.2)"));
        }
        String payload;
        try {
            payload = JSON.writeValueAsString(message.fields());
        } catch (JsonProcessingException e) {
            return CompletableFuture.completedFuture(new PushOutcome.Failed("payload: " + e.getMessage()));
        }
        SimpleApnsPushNotification notification = new SimpleApnsPushNotification(
                message.device().prid(), topic.get(), payload,
                Instant.EPOCH, // apns-expiration: 0, "attempt delivery once, do not store"
                DeliveryPriority.IMMEDIATE, PushType.VOIP, message.collapseId());
        return client.sendNotification(notification)
                .orTimeout(properties.sendTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .handle((response, failure) -> failure == null ? outcomeOf(response) : failed(failure));
    }

    private static PushOutcome outcomeOf(PushNotificationResponse<SimpleApnsPushNotification> response) {
        if (response.isAccepted()) {
            return new PushOutcome.Accepted(response.getApnsId().toString());
        }
        int status = response.getStatusCode();
        String reason = response.getRejectionReason().orElse("HTTP " + status);
        if (status == GONE || DEAD_TOKEN_REASONS.contains(reason)) {
            return new PushOutcome.DeadToken(reason);
        }
        if (status == TOO_MANY_REQUESTS || status >= 500) {
            return new PushOutcome.Failed(reason);
        }
        return new PushOutcome.Refused(reason);
    }

    private static PushOutcome failed(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause()
                : failure;
        return new PushOutcome.Failed(cause instanceof TimeoutException ? "no answer from APNs in time"
                : cause.toString());
    }

    @Override
    public void close() {
        try {
            client.close().get(properties.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn("APNs client did not close cleanly", e);
        } finally {
            eventLoops.shutdownGracefully();
        }
    }
}
