package io.tandem.backend.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandInterruptedException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.netty.channel.ConnectTimeoutException;
import io.tandem.backend.node.InvalidConfigurationException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tandem's small Redis facade: one auto-reconnecting Lettuce connection (thread-safe, pipelined) and
 * Lua scripts for every decision that must be atomic.
 */
public final class Redis implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Redis.class);
    /** How long a node that starts keeps trying a Redis that is there but slow to answer (see firstConnection). */
    static final Duration FIRST_CONNECTION_PATIENCE = Duration.ofSeconds(60);

    /**
     * Longest pause between reconnection attempts. Lettuce's default backoff doubles up to 30 s, so after an outage
     * of half a minute a node would stay away from a Redis that is back for up to 30 s more, answering 503 all the
     * while; one TCP connect a second to a down Redis costs nothing.
     */
    static final Duration RECONNECT_MAX_DELAY = Duration.ofSeconds(1);

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final EmbeddedRedis embedded;
    private final String description;
    private final Outages outages;
    private final ReplicaAcks replicaAcks;

    Redis(RedisClient client, StatefulRedisConnection<String, String> connection, EmbeddedRedis embedded,
            String description, Outages outages, ReplicaAcks replicaAcks) {
        this.client = client;
        this.connection = connection;
        this.embedded = embedded;
        this.description = description;
        this.outages = outages;
        this.replicaAcks = replicaAcks;
    }

    /**
     * Connects to {@code tandem.redis.uri} (standalone, TLS or Sentinel), or starts the embedded Redis when it is
     * empty. The connection reconnects by itself; commands issued meanwhile wait in a bounded queue.
     */
    public static Redis connect(RedisProperties properties) {
        EmbeddedRedis embedded = properties.embedded() ? EmbeddedRedis.start(properties.embeddedPort()) : null;
        try {
            RedisURI uri = properties.embedded()
                    ? RedisURI.create("127.0.0.1", embedded.port())
                    : RedisURI.create(properties.uri());
            uri.setTimeout(properties.commandTimeout());
            RedisClient client = RedisClient.create(ClientResources.builder()
                    .reconnectDelay(Delay.exponential(Duration.ZERO, RECONNECT_MAX_DELAY, 2, TimeUnit.MILLISECONDS))
                    .build(), uri);
            client.setOptions(ClientOptions.builder()
                    .autoReconnect(true)
                    .requestQueueSize(properties.requestQueue())
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS)
                    .timeoutOptions(TimeoutOptions.enabled(properties.commandTimeout()))
                    .build());
            String description = describe(uri);
            Set<SocketAddress> sentinels = new HashSet<>();
            for (RedisURI sentinel : uri.getSentinels()) {
                sentinels.add(new InetSocketAddress(sentinel.getHost(), sentinel.getPort()));
            }
            Outages outages = new Outages(Clock.systemUTC(), sentinels);
            client.getResources().eventBus().get().subscribe(outages::on);
            StatefulRedisConnection<String, String> connection;
            try {
                connection = firstConnection(client, description);
            } catch (RuntimeException e) {
                shutdown(client);
                throw new InvalidConfigurationException("tandem.redis.uri", "cannot reach Redis at " + description
                        + ": " + e.getMessage(), e);
            }
            // Only a Sentinel-managed master can be replaced by a replica that missed its last writes.
            int acks = properties.sentinel() ? properties.replicaAcks() : 0;
            log.info("connected to Redis at {}{}", description, acks == 0 ? ""
                    : ", decisions wait for " + acks + " replica(s) up to " + properties.replicaAckTimeout().toMillis()
                    + " ms");
            return new Redis(client, connection, embedded, description, outages,
                    new ReplicaAcks(connection.sync(), acks, properties.replicaAckTimeout()));
        } catch (RuntimeException e) {
            if (embedded != null) {
                embedded.stop();
            }
            throw e;
        }
    }

    /**
     * The first connection. One that timed out (a node starting on a loaded machine can take longer than the command
     * timeout to load the client and finish the handshake, though Redis is up) is tried again until
     * {@link #FIRST_CONNECTION_PATIENCE} has passed; one refused, or a wrong address, fails at once.
     */
    private static StatefulRedisConnection<String, String> firstConnection(RedisClient client, String description) {
        long deadline = System.nanoTime() + FIRST_CONNECTION_PATIENCE.toNanos();
        while (true) {
            try {
                return client.connect();
            } catch (RuntimeException e) {
                if (!timedOut(e) || System.nanoTime() > deadline) {
                    throw e;
                }
                log.warn("connecting to Redis at {} timed out ({}); trying again", description, e.getMessage());
            }
        }
    }

    private static boolean timedOut(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TimeoutException || t instanceof ConnectTimeoutException
                    || t instanceof RedisCommandTimeoutException) {
                return true;
            }
        }
        return false;
    }

    /** When this node last lost Redis and got it back. */
    public Outages outages() {
        return outages;
    }

    /** Synchronous commands on the shared connection. */
    public RedisCommands<String, String> commands() {
        return connection.sync();
    }

    /**
     * Asynchronous commands on the shared connection: a request sent before a synchronous one shares its round trip
     * (the connection pipelines them in order). Read the reply with {@link #await}.
     */
    public RedisAsyncCommands<String, String> async() {
        return connection.async();
    }

    /** The reply of an asynchronous command, failing as the synchronous commands do (timeout, connection lost). */
    public static <T> T await(RedisFuture<T> reply) {
        try {
            return reply.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RedisCommandInterruptedException(e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new RedisException(e.getCause());
        }
    }

    /**
     * A new publish/subscribe connection (Redis needs a connection of its own for subscriptions). Lettuce
     * re-subscribes after a reconnect. The caller closes it.
     */
    public StatefulRedisPubSubConnection<String, String> pubSub() {
        return client.connectPubSub();
    }

    /**
     * A connection of its own for a blocking reader ({@code XREADGROUP BLOCK} on the shared connection would hold up
     * every command pipelined behind it). Reconnects by itself like the shared one; the caller closes it.
     */
    public StatefulRedisConnection<String, String> dedicated() {
        return client.connect();
    }

    /** Runs a script; its keys must share one hash tag (same tenant) or be cluster-wide. */
    public <T> T run(LuaScript script, List<String> keys, String... args) {
        return script.run(connection.sync(), keys.toArray(String[]::new), args);
    }

    /**
     * Sends a script now and reads its reply later: scripts sent one after another share a round trip and run in
     * that order. The reply is read with {@link Supplier#get()}, which runs the script again with
     * {@code EVAL} when Redis did not know it (a restart emptied its script cache).
     */
    public <T> Supplier<T> send(LuaScript script, List<String> keys, String... args) {
        String[] keyArray = keys.toArray(String[]::new);
        RedisFuture<T> reply = script.send(connection.async(), keyArray, args);
        return () -> {
            try {
                return await(reply);
            } catch (RedisNoScriptException unknown) {
                return script.run(connection.sync(), keyArray, args);
            }
        };
    }

    /**
     * Returns once {@code tandem.redis.replica-acks} replicas hold every write this node sent so far (a claim, an
     * answer, a call's end), or after {@code tandem.redis.replica-ack-timeout}; at once without Sentinel. See
     * {@link ReplicaAcks}.
     */
    public void awaitReplicas(String decision) {
        replicaAcks.await(decision);
    }

    /**
     * Whether {@link #awaitReplicas} waits at all: a decision acted on by another process straight from Redis (a
     * message published by a script) would skip the wait, so such shortcuts are taken only when it does not.
     */
    public boolean awaitsReplicas() {
        return replicaAcks.waits();
    }

    /** Decisions this node acted on before a replica had them ({@link #awaitReplicas} timed out or failed). */
    public long replicaAcksMissed() {
        return replicaAcks.missed();
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
        shutdown(client);
        if (embedded != null) {
            embedded.stop();
        }
    }

    /** Shuts the client down and then its resources: a client given resources leaves them to its creator. */
    private static void shutdown(RedisClient client) {
        client.shutdown();
        client.getResources().shutdown(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    }

    /** The URI without credentials, for logs. */
    static String describe(RedisURI uri) {
        if (!uri.getSentinels().isEmpty()) {
            StringBuilder hosts = new StringBuilder();
            for (RedisURI sentinel : uri.getSentinels()) {
                hosts.append(hosts.isEmpty() ? "" : ",").append(sentinel.getHost()).append(':').append(sentinel.getPort());
            }
            return "redis-sentinel://" + hosts + "#" + uri.getSentinelMasterId();
        }
        return (uri.isSsl() ? "rediss://" : "redis://") + uri.getHost() + ":" + uri.getPort() + "/" + uri.getDatabase();
    }
}
