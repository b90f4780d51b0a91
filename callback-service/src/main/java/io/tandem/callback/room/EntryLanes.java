package io.tandem.callback.room;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * Runs a tenant's stream entries concurrently, except those of one lane: the entries of one room, one call or one
 * user run one after another, in the order they were submitted. A lane's tail is dropped once its last entry is done,
 * so the map holds only lanes with work in flight.
 */
final class EntryLanes {

    /** Per lane, the last entry submitted; changed only inside {@link Map#compute}, which runs atomically per key. */
    private final Map<String, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();
    private final Executor executor;

    EntryLanes(Executor executor) {
        this.executor = executor;
    }

    /**
     * Runs {@code work} on the executor after every entry submitted earlier to {@code lane} has finished, whether it
     * succeeded or not. The future fails only if {@code work} throws or the executor refuses it.
     */
    CompletableFuture<Void> submit(String lane, Runnable work) {
        CompletableFuture<Void> queued = tails.compute(lane, (key, tail) -> tail == null
                ? CompletableFuture.runAsync(work, executor)
                : tail.handle((ignored, failure) -> null).thenRunAsync(work, executor));
        queued.whenComplete((ignored, failure) -> tails.remove(lane, queued));
        return queued;
    }

    /** Lanes with an entry in flight or waiting. */
    int busy() {
        return tails.size();
    }
}
