package io.tandem.callback.push;

import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link PushLedger} every instance of the service shares: one Redis string per {@link PushKey}. The first
 * instance to {@code SET NX} the key (value {@value #PENDING}, with a short TTL) sends; when the provider answers,
 * the outcome replaces the claim for {@code ttl} (a day), or, for a {@link PushOutcome.Failed}, the claim is deleted so
 * a repeat may try again. Any other instance that sends the same key finds the claim and waits for the outcome
 * instead of pushing a second time; within one process a repeat in flight shares the first send's future.
 *
 * <p>The claim's own TTL bounds what a crash costs: an instance that dies between the claim and the answer leaves a
 * claim that lapses after {@code pendingTtl}, after which a survivor may send again (the device may then get the push
 * twice — the price of never losing it).
 */
public final class RedisPushLedger implements PushLedger {

    static final String PENDING = "pending";

    private static final Logger log = LoggerFactory.getLogger(RedisPushLedger.class);
    private static final long POLL_MS = 100;

    private final RedisCommands<String, String> sync;
    private final RedisAsyncCommands<String, String> async;
    private final String prefix;
    private final Duration ttl;
    private final Duration pendingTtl;
    private final ScheduledExecutorService poller;
    private final Map<PushKey, CompletableFuture<PushOutcome>> inFlight = new ConcurrentHashMap<>();

    /**
     * @param connection shared connection (the claim is a synchronous round trip, the rest asynchronous, since
     *                   outcomes complete on the providers' I/O threads)
     * @param prefix     key prefix, e.g. {@code tandem:push-ledger:}
     * @param ttl        how long an outcome is remembered
     * @param pendingTtl how long a claim holds without an outcome (longer than any provider's send timeout)
     * @param poller     waits for another instance's outcome
     */
    public RedisPushLedger(StatefulRedisConnection<String, String> connection, String prefix, Duration ttl,
            Duration pendingTtl, ScheduledExecutorService poller) {
        this.sync = connection.sync();
        this.async = connection.async();
        this.prefix = prefix;
        this.ttl = ttl;
        this.pendingTtl = pendingTtl;
        this.poller = poller;
    }

    @Override
    public CompletableFuture<PushOutcome> once(PushKey key, Supplier<CompletableFuture<PushOutcome>> send) {
        CompletableFuture<PushOutcome> mine = new CompletableFuture<>();
        CompletableFuture<PushOutcome> first = inFlight.putIfAbsent(key, mine);
        if (first != null) {
            return first;
        }
        mine.whenComplete((outcome, failure) -> inFlight.remove(key, mine));
        String redisKey = redisKey(key);
        try {
            String claimed = sync.set(redisKey, PENDING, SetArgs.Builder.nx().px(pendingTtl.toMillis()));
            if ("OK".equals(claimed)) {
                sendAndRecord(redisKey, send, mine);
            } else {
                awaitOutcome(redisKey, System.nanoTime() + pendingTtl.toNanos(), mine);
            }
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
        }
        return mine;
    }

    private void sendAndRecord(String redisKey, Supplier<CompletableFuture<PushOutcome>> send,
            CompletableFuture<PushOutcome> mine) {
        CompletableFuture<PushOutcome> sent;
        try {
            sent = send.get();
        } catch (RuntimeException e) {
            async.del(redisKey);
            mine.completeExceptionally(e);
            return;
        }
        sent.whenComplete((outcome, failure) -> {
            if (failure != null || outcome instanceof PushOutcome.Failed) {
                async.del(redisKey);
            } else {
                async.set(redisKey, encode(outcome), SetArgs.Builder.xx().px(ttl.toMillis()))
                        .exceptionally(e -> {
                            log.warn("push ledger: could not record the outcome of {}", redisKey, e);
                            return null;
                        });
            }
            if (failure != null) {
                mine.completeExceptionally(failure);
            } else {
                mine.complete(outcome);
            }
        });
    }

    /** Another instance holds the claim: its outcome is the answer, once it is written. */
    private void awaitOutcome(String redisKey, long deadline, CompletableFuture<PushOutcome> mine) {
        async.get(redisKey).whenComplete((value, failure) -> {
            if (failure != null) {
                mine.completeExceptionally(failure);
            } else if (value == null) {
                mine.complete(new PushOutcome.Failed("the same push failed at another instance"));
            } else if (!PENDING.equals(value)) {
                mine.complete(decode(value));
            } else if (System.nanoTime() - deadline >= 0) {
                mine.complete(new PushOutcome.Failed("the same push is still in flight at another instance"));
            } else {
                try {
                    poller.schedule(() -> awaitOutcome(redisKey, deadline, mine), POLL_MS, TimeUnit.MILLISECONDS);
                } catch (RejectedExecutionException stopping) {
                    mine.complete(new PushOutcome.Failed("service stopping"));
                }
            }
        });
    }

    String redisKey(PushKey key) {
        return prefix + key.kind().wireName() + ":" + key.roomId() + ":" + key.network().pnProvider() + ":"
                + key.prid();
    }

    static String encode(PushOutcome outcome) {
        String detail = outcome.detail();
        return outcome.label() + "|" + (detail == null ? "" : detail);
    }

    static PushOutcome decode(String value) {
        int bar = value.indexOf('|');
        String label = bar < 0 ? value : value.substring(0, bar);
        String detail = bar < 0 ? "" : value.substring(bar + 1);
        return switch (label) {
            case "accepted" -> new PushOutcome.Accepted(detail);
            case "refused" -> new PushOutcome.Refused(detail);
            case "dead-token" -> new PushOutcome.DeadToken(detail);
            default -> new PushOutcome.Failed(detail);
        };
    }
}
