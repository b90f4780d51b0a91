package io.tandem.callback.push;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The record of pushes sent: each {@link PushKey} is sent once. A second send of a key — a retried command from a
 * node, a duplicate stream entry — gets the first outcome and does not reach the provider.
 *
 * <p>In memory ({@link InMemoryPushLedger}) while the service runs as a single process; when it joins the cluster
 * the ledger moves to Redis (a {@code SET NX} claim per key, the outcome written beside it), so that any instance
 * answers a repeat with the first outcome.
 */
public interface PushLedger {

    /**
     * Returns the outcome recorded for {@code key}, or calls {@code send} — at most once per key, also when called
     * concurrently — and records what it completes with. A {@link PushOutcome.Failed} (the network could not be
     * reached) is not kept: a repeat while it is in flight shares it, a repeat after it tries again, so an outage
     * does not silence a device for the rest of a call. Accepted, refused and dead-token outcomes are kept.
     */
    CompletableFuture<PushOutcome> once(PushKey key, Supplier<CompletableFuture<PushOutcome>> send);
}
