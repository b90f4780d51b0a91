package io.tandem.telephony.ua;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The one thread that calls the application's {@link UserAgentListener}, in order. Bounded:
 * a listener that stops consuming loses events (counted) rather than memory.
 */
final class EventQueue implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventQueue.class);
    private static final int CAPACITY = 10_000;

    private final ThreadPoolExecutor executor;
    private final UserAgentListener listener;
    private final AtomicLong dropped = new AtomicLong();

    EventQueue(String name, UserAgentListener listener) {
        this.listener = listener;
        this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(CAPACITY),
                r -> {
                    Thread t = new Thread(r, name);
                    t.setDaemon(true);
                    return t;
                }, (r, e) -> {
                    dropped.incrementAndGet();
                    LOG.warn("listener event queue full or closed, event dropped");
                });
    }

    void post(Consumer<UserAgentListener> event) {
        executor.execute(() -> {
            try {
                event.accept(listener);
            } catch (RuntimeException e) {
                LOG.warn("user agent listener threw", e);
            }
        });
    }

    long dropped() {
        return dropped.get();
    }

    @Override
    public void close() {
        executor.shutdown();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
