package io.tandem.backend.redis;

import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.util.function.Consumer;

/**
 * One channel subscribed on a pub/sub connection of its own, e.g. a node's offer or monitor channel, where other
 * nodes publish what only this node can carry out. Lettuce resubscribes by itself after a Redis reconnect.
 */
public final class Subscription implements AutoCloseable {

    private final StatefulRedisPubSubConnection<String, String> connection;

    private Subscription(StatefulRedisPubSubConnection<String, String> connection) {
        this.connection = connection;
    }

    /** Subscribes to {@code channel}; {@code onMessage} runs on Lettuce's I/O thread and must hand off at once. */
    public static Subscription to(Redis redis, String channel, Consumer<String> onMessage) {
        StatefulRedisPubSubConnection<String, String> open = redis.pubSub();
        open.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String from, String message) {
                onMessage.accept(message);
            }
        });
        open.sync().subscribe(channel);
        return new Subscription(open);
    }

    @Override
    public void close() {
        connection.close();
    }
}
