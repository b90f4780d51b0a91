package io.tandem.agent.ui;

import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * Background work for view models: {@code work} runs on a small worker pool (HTTP, SIP set-up, never the FX thread);
 * its result or failure is handed to {@code onFx}, the FX thread's executor ({@code Platform::runLater}), so view
 * models only ever change their properties on the FX thread.
 */
public final class FxBackground implements AutoCloseable {
    private final ExecutorService workers = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "phone-background");
        t.setDaemon(true);
        return t;
    });
    private final Executor onFx;

    public FxBackground(Executor onFx) {
        this.onFx = onFx;
    }

    public Executor fx() {
        return onFx;
    }

    public <T> void run(Callable<T> work, Consumer<T> onSuccess, Consumer<Exception> onFailure) {
        workers.execute(() -> {
            try {
                T result = work.call();
                onFx.execute(() -> onSuccess.accept(result));
            } catch (Exception e) {
                onFx.execute(() -> onFailure.accept(e));
            }
        });
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }
}
