package io.tandem.backend.redis;

import io.lettuce.core.event.connection.ConnectionActivatedEvent;
import io.lettuce.core.event.connection.ConnectionDeactivatedEvent;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Hands a node's {@link Outages} the connection events Lettuce delivers on its own event thread, at a moment the test
 * chooses: that thread may run well after the connection's commands were answered, and a test cannot make it late.
 */
public final class OutageEvents {

    private static final SocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 40000);

    private OutageEvents() {
    }

    /** What Lettuce reports when the connection to {@code redis} drops. */
    public static void lost(Redis redis, int port) {
        redis.outages().on(new ConnectionDeactivatedEvent(LOCAL, new InetSocketAddress("127.0.0.1", port)));
    }

    /** What Lettuce reports once the connection to {@code redis} is up again. */
    public static void restored(Redis redis, int port) {
        redis.outages().on(new ConnectionActivatedEvent(LOCAL, new InetSocketAddress("127.0.0.1", port)));
    }
}
