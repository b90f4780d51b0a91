package io.tandem.callback.push.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.tandem.callback.push.PushDevice;
import io.tandem.callback.push.PushKind;
import io.tandem.callback.push.PushMessage;
import io.tandem.callback.push.PushNetwork;
import io.tandem.callback.push.PushOutcome;
import io.tandem.callback.push.PushProperties;
import io.tandem.protocol.WebhookPush;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The webhook provider against real HTTP receivers on loopback. */
class WebhookPushProviderIT {

    private static final String SECRET = "s3cret-for-the-sms-gateway";
    private static final Instant NOW = Instant.parse("2026-12-06T19:00:00Z");

    private final ObjectMapper json = new ObjectMapper();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger flakyAttempts = new AtomicInteger();
    private HttpServer receiver;
    private WebhookPushProvider provider;

    record Received(String path, byte[] body, String signature, String timestamp, String delivery) {
    }

    @BeforeEach
    void startReceiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/ok", exchange -> answer(exchange, 200));
        receiver.createContext("/flaky",
                exchange -> answer(exchange, flakyAttempts.incrementAndGet() <= 2 ? 503 : 204));
        receiver.createContext("/bad", exchange -> answer(exchange, 400));
        receiver.createContext("/down", exchange -> answer(exchange, 502));
        receiver.start();
        String base = "http://127.0.0.1:" + receiver.getAddress().getPort();
        Map<String, PushProperties.Webhook.Target> targets = Map.of(
                "gateway", new PushProperties.Webhook.Target(URI.create(base + "/ok"), SECRET),
                "flaky", new PushProperties.Webhook.Target(URI.create(base + "/flaky"), SECRET),
                "picky", new PushProperties.Webhook.Target(URI.create(base + "/bad"), SECRET),
                "down", new PushProperties.Webhook.Target(URI.create(base + "/down"), SECRET),
                "gone", new PushProperties.Webhook.Target(
                        URI.create("http://127.0.0.1:" + closedPort() + "/"), SECRET));
        // Backoff in milliseconds keeps the test short; the retry schedule itself is WebhookSignatureTest's.
        provider = new WebhookPushProvider(new PushProperties.Webhook(targets, 3, Duration.ofMillis(10),
                Duration.ofMillis(40), Duration.ofSeconds(5)), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterEach
    void stopReceiver() {
        provider.close();
        receiver.stop(0);
    }

    @Test
    void aSignedPostCarriesThePushAndIsAccepted() throws IOException {
        PushOutcome outcome = provider.send(ring("gateway")).join();

        assertThat(outcome).isInstanceOf(PushOutcome.Accepted.class);
        assertThat(received).hasSize(1);
        Received post = received.get(0);
        assertThat(post.signature()).isEqualTo(WebhookSignature.of(post.body(), SECRET));
        assertThat(post.signature()).isNotEqualTo(WebhookSignature.of(post.body(), "another-secret-entirely"));
        assertThat(post.timestamp()).isEqualTo(Long.toString(NOW.getEpochSecond()));
        assertThat(post.delivery()).isEqualTo(((PushOutcome.Accepted) outcome).providerId());
        JsonNode body = json.readTree(post.body());
        assertThat(body.path("version").asInt()).isEqualTo(1);
        assertThat(body.path("kind").asText()).isEqualTo("ring");
        assertThat(body.path("roomId").asText()).isEqualTo("r-5");
        assertThat(body.path("callerNumber").asText()).isEqualTo("+4930555");
        assertThat(body.path("callerName").asText()).isEqualTo("Grace");
        assertThat(body.path("queue").asText()).isEqualTo("7002");
        assertThat(body.path("waitedSeconds").asLong()).isEqualTo(33);
        assertThat(body.path("joinToken").asText()).isEqualTo("jt-5");
        assertThat(body.path("collapseId").asText()).isEqualTo("room-r-5");
        assertThat(body.path("timestamp").asLong()).isEqualTo(NOW.getEpochSecond());
        assertThat(json.readValue(post.body(), WebhookPush.class).version()).isEqualTo(WebhookPush.VERSION);
    }

    @Test
    void aReceiverThatFailsTwiceGetsTheSameDeliveryAThirdTimeAndAccepts() {
        PushOutcome outcome = provider.send(ring("flaky")).join();

        assertThat(outcome).isInstanceOf(PushOutcome.Accepted.class);
        assertThat(received).hasSize(3);
        assertThat(received).extracting(Received::delivery).containsOnly(received.get(0).delivery());
    }

    @Test
    void a4xxIsFinal() {
        PushOutcome outcome = provider.send(ring("picky")).join();

        assertThat(outcome).isEqualTo(new PushOutcome.Refused("HTTP 400"));
        assertThat(received).hasSize(1);
    }

    @Test
    void aReceiverThatKeepsFailingIsTriedMaxAttemptsTimesAndNoMore() {
        PushOutcome outcome = provider.send(ring("down")).join();

        assertThat(outcome).isEqualTo(new PushOutcome.Failed("HTTP 502 after 3 attempts"));
        assertThat(received).hasSize(3);
    }

    @Test
    void aReceiverThatCannotBeReachedFailsAfterTheLastAttempt() {
        PushOutcome outcome = provider.send(ring("gone")).join();

        assertThat(outcome).isInstanceOf(PushOutcome.Failed.class);
        assertThat(((PushOutcome.Failed) outcome).reason()).contains("after 3 attempts");
    }

    @Test
    void anUnknownTargetIsRefused() {
        assertThat(provider.send(ring("nobody")).join()).isInstanceOf(PushOutcome.Refused.class);
        assertThat(received).isEmpty();
    }

    private void answer(HttpExchange exchange, int status) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        received.add(new Received(exchange.getRequestURI().getPath(), body,
                exchange.getRequestHeaders().getFirst(WebhookSignature.HEADER),
                exchange.getRequestHeaders().getFirst(WebhookPushProvider.TIMESTAMP_HEADER),
                exchange.getRequestHeaders().getFirst(WebhookPushProvider.DELIVERY_HEADER)));
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static PushMessage ring(String target) {
        return new PushMessage(PushKind.RING, new PushDevice(PushNetwork.WEBHOOK, target, ""), "r-5", "+4930555",
                "Grace", "7002", 33, "jt-5");
    }
}
