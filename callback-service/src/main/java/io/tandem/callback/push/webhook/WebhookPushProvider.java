package io.tandem.callback.push.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tandem.callback.push.PushMessage;
import io.tandem.callback.push.PushNetwork;
import io.tandem.callback.push.PushOutcome;
import io.tandem.callback.push.PushProperties;
import io.tandem.callback.push.PushProvider;
import io.tandem.protocol.WebhookPush;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes as signed HTTP POSTs to configured receivers (SMS gateways, custom apps). The device's {@code pn-prid} names
 * the target; the JSON body is a {@link WebhookPush}: the push's fields, its collapse id and the timestamp (so the
 * signature covers it).
 *
 * <p>Headers: {@code X-Tandem-Signature} ({@link WebhookSignature}), {@code X-Tandem-Timestamp} (epoch seconds; a
 * receiver may refuse stale requests), {@code X-Tandem-Delivery} (one id for all attempts of a push, so a receiver can
 * drop a retry of what it already took).
 *
 * <p>A 2xx accepts. A 5xx, a connection failure or a timeout is retried up to {@code max-attempts} with exponential
 * backoff (RFC 9110 §15.6: the server failed, the request may succeed later); a 4xx (and anything else) is final —
 * the receiver understood and said no.
 */
public final class WebhookPushProvider implements PushProvider {

    static final String TIMESTAMP_HEADER = "X-Tandem-Timestamp";
    static final String DELIVERY_HEADER = "X-Tandem-Delivery";

    private static final Logger log = LoggerFactory.getLogger(WebhookPushProvider.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PushProperties.Webhook properties;
    private final HttpClient http;
    private final Clock clock;

    public WebhookPushProvider(PushProperties.Webhook properties, Clock clock) {
        this.properties = properties;
        this.clock = clock;
        this.http = HttpClient.newBuilder()
                .connectTimeout(properties.requestTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public PushNetwork network() {
        return PushNetwork.WEBHOOK;
    }

    @Override
    public CompletableFuture<PushOutcome> send(PushMessage message) {
        PushProperties.Webhook.Target target = properties.targets().get(message.device().prid());
        if (target == null) {
            return CompletableFuture.completedFuture(new PushOutcome.Refused(
                    "no webhook target '" + message.device().prid() + "' (tandem.push.webhook.targets)"));
        }
        long timestamp = clock.instant().getEpochSecond();
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(bodyOf(message, timestamp));
        } catch (JsonProcessingException e) {
            return CompletableFuture.completedFuture(new PushOutcome.Failed("payload: " + e.getMessage()));
        }
        String delivery = UUID.randomUUID().toString();
        HttpRequest request = HttpRequest.newBuilder(target.url())
                .timeout(properties.requestTimeout())
                .header("Content-Type", "application/json")
                .header(WebhookSignature.HEADER, WebhookSignature.of(body, target.secret()))
                .header(TIMESTAMP_HEADER, Long.toString(timestamp))
                .header(DELIVERY_HEADER, delivery)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return attempt(request, delivery, 1);
    }

    private static WebhookPush bodyOf(PushMessage message, long timestamp) {
        return new WebhookPush(WebhookPush.VERSION, message.kind().wireName(), message.roomId(),
                message.callerNumber(), message.callerName(), message.queue(), message.waitedSeconds(),
                message.joinToken(), message.collapseId(), timestamp);
    }

    private CompletableFuture<PushOutcome> attempt(HttpRequest request, String delivery, int attempt) {
        return http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                .handle((response, failure) -> {
                    if (failure == null && response.statusCode() / 100 == 2) {
                        return CompletableFuture.<PushOutcome>completedFuture(new PushOutcome.Accepted(delivery));
                    }
                    if (failure == null && response.statusCode() < 500) {
                        return CompletableFuture.<PushOutcome>completedFuture(
                                new PushOutcome.Refused("HTTP " + response.statusCode()));
                    }
                    String why = failure == null ? "HTTP " + response.statusCode() : describe(failure);
                    if (attempt >= properties.maxAttempts()) {
                        return CompletableFuture.<PushOutcome>completedFuture(new PushOutcome.Failed(
                                why + " after " + attempt + " attempt" + (attempt == 1 ? "" : "s")));
                    }
                    Duration backoff = backoffBefore(attempt + 1);
                    log.info("webhook {} attempt {} of {}: {}; retrying in {} ms", request.uri(), attempt,
                            properties.maxAttempts(), why, backoff.toMillis());
                    return CompletableFuture.supplyAsync(() -> null,
                                    CompletableFuture.delayedExecutor(backoff.toMillis(), TimeUnit.MILLISECONDS))
                            .thenCompose(ignored -> attempt(request, delivery, attempt + 1));
                })
                .thenCompose(next -> next);
    }

    /** The wait before attempt {@code n} (2, 3, ...): initial-backoff doubled per further attempt, capped. */
    Duration backoffBefore(int n) {
        Duration backoff = properties.initialBackoff();
        for (int i = 2; i < n && backoff.compareTo(properties.maxBackoff()) < 0; i++) {
            backoff = backoff.multipliedBy(2);
        }
        return backoff.compareTo(properties.maxBackoff()) > 0 ? properties.maxBackoff() : backoff;
    }

    private static String describe(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause()
                : failure;
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }

    @Override
    public void close() {
        // java.net.http.HttpClient has no close() before Java 21; its threads end when it is unreachable.
    }
}
