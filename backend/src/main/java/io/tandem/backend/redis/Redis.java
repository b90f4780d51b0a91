package io.tandem.backend.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.List;

/**
 * Tandem's small Redis facade: one auto-reconnecting Lettuce connection (thread-safe, pipelined) and
 * Lua scripts for every decision that must be atomic.
 */
public final class Redis implements AutoCloseable {

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final EmbeddedRedis embedded;
    private final String description;

    Redis(RedisClient client, StatefulRedisConnection<String, String> connection, EmbeddedRedis embedded,
            String description) {
        this.client = client;
        this.connection = connection;
        this.embedded = embedded;
        this.description = description;
    }

    /** Synchronous commands on the shared connection. */
    public RedisCommands<String, String> commands() {
        return connection.sync();
    }

    /** Runs a script; its keys must share one hash tag (same tenant) or be cluster-wide. */
    public <T> T run(LuaScript script, List<String> keys, String... args) {
        return script.run(connection.sync(), keys.toArray(String[]::new), args);
    }

    /** Where this node's Redis is, for logs ({@code redis://127.0.0.1:6379}; no password). */
    public String description() {
        return description;
    }

    /** The port of the embedded Redis, or -1 when an external one is used. */
    public int embeddedPort() {
        return embedded == null ? -1 : embedded.port();
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
        if (embedded != null) {
            embedded.stop();
        }
    }
}
