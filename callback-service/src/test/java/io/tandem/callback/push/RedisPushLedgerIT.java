package io.tandem.callback.push;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.tandem.telephony.testing.RedisServer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two service instances' ledgers on one real Redis: a push is sent by one of them only, and a failure is not kept. */
class RedisPushLedgerIT {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    private static RedisClient client;
    private static StatefulRedisConnection<String, String> first;
    private static StatefulRedisConnection<String, String> second;
    private static ScheduledExecutorService poller;
    private static RedisPushLedger one;
    private static RedisPushLedger other;

    @BeforeAll
    static void connect() {
        client = RedisClient.create(redis.uri());
        first = client.connect();
        second = client.connect();
        poller = Executors.newSingleThreadScheduledExecutor();
        one = new RedisPushLedger(first, "test:ledger:", Duration.ofDays(1), Duration.ofMinutes(2), poller);
        other = new RedisPushLedger(second, "test:ledger:", Duration.ofDays(1), Duration.ofMinutes(2), poller);
    }

    @AfterAll
    static void close() {
        poller.shutdownNow();
        first.close();
        second.close();
        client.shutdown();
    }

    @Test
    void whileOneInstanceSendsTheOtherWaitsForItsOutcomeInsteadOfSendingAgain() throws Exception {
        PushKey key = key("r-1");
        CompletableFuture<PushOutcome> apnsAnswer = new CompletableFuture<>();
        CompletableFuture<PushOutcome> sent = one.once(key, () -> apnsAnswer);
        AtomicInteger secondSends = new AtomicInteger();
        CompletableFuture<PushOutcome> repeat = other.once(key, () -> {
            secondSends.incrementAndGet();
            return CompletableFuture.completedFuture(new PushOutcome.Accepted("second"));
        });
        assertThat(repeat).isNotDone();

        apnsAnswer.complete(new PushOutcome.Accepted("apns-id-1"));

        assertThat(sent.get(10, TimeUnit.SECONDS)).isEqualTo(new PushOutcome.Accepted("apns-id-1"));
        assertThat(repeat.get(10, TimeUnit.SECONDS)).isEqualTo(new PushOutcome.Accepted("apns-id-1"));
        assertThat(secondSends).hasValue(0);
        // Later repeats are answered from Redis at once.
        assertThat(other.once(key, () -> {
            secondSends.incrementAndGet();
            return CompletableFuture.completedFuture(new PushOutcome.Accepted("second"));
        }).get(10, TimeUnit.SECONDS)).isEqualTo(new PushOutcome.Accepted("apns-id-1"));
        assertThat(secondSends).hasValue(0);
    }

    @Test
    void aFailedPushIsNotKeptSoAnotherInstanceMaySendIt() throws Exception {
        PushKey key = key("r-2");
        assertThat(one.once(key, () -> CompletableFuture.completedFuture(new PushOutcome.Failed("HTTP 503")))
                .get(10, TimeUnit.SECONDS)).isEqualTo(new PushOutcome.Failed("HTTP 503"));
        // The claim is deleted asynchronously after the failure; the repeat sends once it is gone.
        CompletableFuture<PushOutcome> retried = new CompletableFuture<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        AtomicInteger sends = new AtomicInteger();
        while (!retried.isDone() && System.nanoTime() < deadline) {
            PushOutcome outcome = other.once(key, () -> {
                sends.incrementAndGet();
                return CompletableFuture.completedFuture(new PushOutcome.Accepted("apns-id-2"));
            }).get(10, TimeUnit.SECONDS);
            if (outcome instanceof PushOutcome.Accepted) {
                retried.complete(outcome);
            }
        }
        assertThat(retried.get(1, TimeUnit.SECONDS)).isEqualTo(new PushOutcome.Accepted("apns-id-2"));
        assertThat(sends).hasValue(1);
    }

    private static PushKey key(String room) {
        return new PushKey(PushKind.RING, room, PushNetwork.APNS, "a".repeat(64));
    }
}
