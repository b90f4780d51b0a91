package io.tandem.callback.push;

import java.util.concurrent.CompletableFuture;

/** One push network's client. Implementations are thread-safe. */
public interface PushProvider extends AutoCloseable {

    /** The network this provider sends to. */
    PushNetwork network();

    /**
     * Sends one push. The future never completes exceptionally: every failure is a {@link PushOutcome}.
     */
    CompletableFuture<PushOutcome> send(PushMessage message);

    /** Releases connections and threads. */
    @Override
    void close();
}
