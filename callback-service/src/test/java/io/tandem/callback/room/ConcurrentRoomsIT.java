package io.tandem.callback.room;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.tandem.callback.NodeSide;
import io.tandem.callback.ServiceInstance;
import io.tandem.callback.cluster.ServiceKeys;
import io.tandem.protocol.callback.CallbackKeys;
import io.tandem.protocol.callback.PushBinding;
import io.tandem.protocol.callback.RoomEvent;
import io.tandem.telephony.testing.Await;
import io.tandem.telephony.testing.RedisServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A tenant's entries are handled concurrently: a push provider that holds its answer for one room's ring does not hold
 * up the next room's. The provider is a webhook receiver on loopback (the real HTTP provider) that answers the first
 * room's POST only when the test lets it, and every other POST at once.
 */
class ConcurrentRoomsIT {

    @RegisterExtension
    static final RedisServer redisServer = new RedisServer();

    private static final String TENANT = "demo";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String WEBHOOK_SECRET = "the-webhook-secret-0123";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final CountDownLatch release = new CountDownLatch(1);
    private static final CountDownLatch heldArrived = new CountDownLatch(1);
    private static HttpServer receiver;
    private static ExecutorService receiverThreads;
    private static NodeSide node;
    private static ConfigurableApplicationContext service;

    @BeforeAll
    static void start() throws Exception {
        receiverThreads = Executors.newCachedThreadPool();
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.setExecutor(receiverThreads);
        receiver.createContext("/held", exchange -> {
            heldArrived.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            answer(exchange);
        });
        receiver.createContext("/prompt", ConcurrentRoomsIT::answer);
        receiver.start();
        String base = "http://127.0.0.1:" + receiver.getAddress().getPort();

        node = new NodeSide(redisServer.uri());
        node.tenant(TENANT);
        node.nodeAlive("n1");
        long inAWeek = System.currentTimeMillis() + Duration.ofDays(7).toMillis();
        node.member(TENANT, "7010", "1021", 1);
        node.agentState(TENANT, "1021", "not-ready");
        webhookBinding("1021", "held", inAWeek);
        node.member(TENANT, "7011", "1022", 1);
        node.agentState(TENANT, "1022", "not-ready");
        webhookBinding("1022", "prompt", inAWeek);

        // The held answer must outlast the test's wait, so that only concurrency lets the second room through.
        service = ServiceInstance.start("svc-c", redisServer.uri(), List.of(
                "--tandem.push.webhook.targets.held.url=" + base + "/held",
                "--tandem.push.webhook.targets.held.secret=" + WEBHOOK_SECRET,
                "--tandem.push.webhook.targets.prompt.url=" + base + "/prompt",
                "--tandem.push.webhook.targets.prompt.secret=" + WEBHOOK_SECRET,
                "--tandem.push.webhook.request-timeout=" + WAIT.multipliedBy(4).toSeconds() + "s",
                "--tandem.push.webhook.max-attempts=1"));
    }

    @AfterAll
    static void stop() throws Exception {
        release.countDown();
        if (service != null) {
            service.close();
        }
        if (node != null) {
            node.close();
        }
        if (receiver != null) {
            receiver.stop(0);
        }
        if (receiverThreads != null) {
            receiverThreads.shutdownNow();
        }
    }

    @Test
    void aRoomWhoseProviderHoldsItsAnswerDoesNotHoldUpTheNextRoom() throws InterruptedException {
        long now = System.currentTimeMillis();
        node.park(TENANT, parked("r-held", "7010", now));
        assertThat(heldArrived.await(WAIT.toSeconds(), TimeUnit.SECONDS))
                .as("the first room's ring reached its provider").isTrue();

        node.park(TENANT, parked("r-prompt", "7011", now));
        StreamMessage<String, String> prompt = awaitRecord("r-prompt");
        assertThat(prompt.getBody()).containsEntry("outcome", "accepted").containsEntry("user", "1022")
                .containsEntry("kind", "ring");
        assertThat(records("r-held")).as("the first room's provider has not answered yet").isEmpty();

        release.countDown();
        assertThat(awaitRecord("r-held").getBody()).containsEntry("outcome", "accepted")
                .containsEntry("user", "1021");
    }

    private static StreamMessage<String, String> awaitRecord(String room) {
        return Await.value("the push record of " + room, WAIT, () -> records(room).stream().findFirst(),
                () -> "records: " + node.redis.xrange(ServiceKeys.pushRecords(TENANT), Range.create("-", "+")));
    }

    private static List<StreamMessage<String, String>> records(String room) {
        return node.redis.xrange(ServiceKeys.pushRecords(TENANT), Range.create("-", "+")).stream()
                .filter(record -> room.equals(record.getBody().get("room")))
                .toList();
    }

    private static void webhookBinding(String user, String target, long expiresAt) throws IOException {
        PushBinding binding = new PushBinding("phone-" + user, "webhook", target, "", "n1", expiresAt - 1000,
                expiresAt);
        node.redis.hset(CallbackKeys.pushBindings(TENANT, user), binding.device(), JSON.writeValueAsString(binding));
    }

    private static void answer(HttpExchange exchange) throws IOException {
        exchange.getRequestBody().readAllBytes();
        exchange.sendResponseHeaders(204, -1);
        exchange.close();
    }

    private static RoomEvent parked(String room, String queue, long now) {
        return new RoomEvent(RoomEvent.Kind.PARKED, room, "n1", "call-" + room, queue, "+4930777", "Di Caller",
                now - 5_000, 0, "", "no-agent", now);
    }
}
