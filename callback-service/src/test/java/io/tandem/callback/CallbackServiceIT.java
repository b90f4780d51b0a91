package io.tandem.callback;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.tandem.callback.push.PushDevice;
import io.tandem.callback.push.PushKind;
import io.tandem.callback.push.PushMessage;
import io.tandem.callback.push.PushNetwork;
import io.tandem.callback.push.PushOutcome;
import io.tandem.callback.push.PushSender;
import io.tandem.callback.push.webhook.WebhookSignature;
import io.tandem.telephony.testing.RedisServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The service as configured by properties, on a real Redis: only the webhook provider is set up, so APNs is refused
 * as not configured; the webhook push reaches a loopback receiver once, however often it is sent (the Redis push
 * ledger), and is counted.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class CallbackServiceIT {

    private static final String SECRET = "the-receivers-shared-secret";
    private static final AtomicInteger posts = new AtomicInteger();
    private static final AtomicInteger badSignatures = new AtomicInteger();
    private static HttpServer receiver;

    @Autowired
    PushSender sender;

    @Autowired
    MeterRegistry meters;

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    @DynamicPropertySource
    static void webhookTarget(DynamicPropertyRegistry registry) throws IOException {
        registry.add("tandem.callback.redis-uri", redis::uri);
        registry.add("tandem.callback.cluster-secret", () -> ServiceInstance.SECRET);
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/push", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            posts.incrementAndGet();
            boolean signed = WebhookSignature.of(body, SECRET)
                    .equals(exchange.getRequestHeaders().getFirst(WebhookSignature.HEADER));
            if (!signed) {
                badSignatures.incrementAndGet();
            }
            exchange.sendResponseHeaders(signed ? 200 : 401, -1);
            exchange.close();
        });
        receiver.start();
        registry.add("tandem.push.webhook.targets.app.url",
                () -> "http://127.0.0.1:" + receiver.getAddress().getPort() + "/push");
        registry.add("tandem.push.webhook.targets.app.secret", () -> SECRET);
    }

    @AfterAll
    static void stopReceiver() {
        receiver.stop(0);
    }

    @Test
    void configuredProvidersSendOnceAndAbsentOnesAreRefused() {
        assertThat(sender.networks()).containsExactly(PushNetwork.WEBHOOK);

        PushMessage ring = new PushMessage(PushKind.RING, new PushDevice(PushNetwork.WEBHOOK, "app", ""), "r-1",
                "+4930111", "Lin", "7002", 3, "jt-1");
        PushOutcome first = sender.send(ring).join();
        PushOutcome repeat = sender.send(ring).join();
        PushOutcome apns = sender.send(new PushMessage(PushKind.RING,
                new PushDevice(PushNetwork.APNS, "a".repeat(64), "TEAM123456.io.tandem.agent.voip"), "r-1",
                "+4930111", "Lin", "7002", 3, "jt-1")).join();

        assertThat(first).isInstanceOf(PushOutcome.Accepted.class);
        assertThat(repeat).isEqualTo(first);
        assertThat(posts).hasValue(1);
        assertThat(badSignatures).hasValue(0);
        assertThat(apns).isEqualTo(new PushOutcome.Refused("provider not configured"));
        assertThat(meters.get("tandem.push.sent").tag("provider", "webhook").tag("outcome", "accepted")
                .counter().count()).isEqualTo(1.0);
        assertThat(meters.get("tandem.push.sent").tag("provider", "apns").tag("outcome", "refused")
                .counter().count()).isEqualTo(1.0);
    }
}
