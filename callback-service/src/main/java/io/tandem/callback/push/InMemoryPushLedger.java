package io.tandem.callback.push;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A {@link PushLedger} in this process's memory, bounded: past {@code capacity} keys the oldest is forgotten (a
 * repeat that late is no longer a retry). Replaced by a Redis ledger when the service joins the cluster.
 */
public final class InMemoryPushLedger implements PushLedger {

    private final Object lock = new Object();
    /** Guarded by {@link #lock}; insertion order, so the eldest entry is the oldest push. */
    private final Map<PushKey, CompletableFuture<PushOutcome>> outcomes;

    public InMemoryPushLedger(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1 (got " + capacity + ")");
        }
        this.outcomes = new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<PushKey, CompletableFuture<PushOutcome>> eldest) {
                return size() > capacity;
            }
        };
    }

    @Override
    public CompletableFuture<PushOutcome> once(PushKey key, Supplier<CompletableFuture<PushOutcome>> send) {
        CompletableFuture<PushOutcome> claimed = new CompletableFuture<>();
        synchronized (lock) {
            CompletableFuture<PushOutcome> first = outcomes.putIfAbsent(key, claimed);
            if (first != null) {
                return first;
            }
        }
        // Sent outside the lock: a provider may take its time, and other keys must not wait for it.
        CompletableFuture<PushOutcome> sent;
        try {
            sent = send.get();
        } catch (RuntimeException e) {
            forget(key, claimed);
            claimed.completeExceptionally(e);
            return claimed;
        }
        sent.whenComplete((outcome, failure) -> {
            if (failure != null || outcome instanceof PushOutcome.Failed) {
                forget(key, claimed);
            }
            if (failure != null) {
                claimed.completeExceptionally(failure);
            } else {
                claimed.complete(outcome);
            }
        });
        return claimed;
    }

    private void forget(PushKey key, CompletableFuture<PushOutcome> claimed) {
        synchronized (lock) {
            outcomes.remove(key, claimed);
        }
    }
}
