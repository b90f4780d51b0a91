package io.tandem.backend.redis;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where the cluster state lives ({@code tandem.redis.*}).
 *
 * @param uri            {@code redis://}, {@code rediss://} (TLS) or {@code redis-sentinel://host:26379#master};
 *                       empty → start an embedded Redis (single-node demo)
 * @param embeddedPort   port of the embedded Redis (loopback only); 0 → a free port
 * @param commandTimeout how long one command may take before it fails
 * @param requestQueue   commands buffered while reconnecting; beyond that they are refused
 * @param owedWritesLimit writes a node may owe the cluster at once (calls' ends and records queued or waiting for
 *                       Redis to come back, see {@link OwedWrites}); beyond that a new one is dropped, logged and
 *                       counted ({@code tandem.redis.owed.dropped}) rather than held in memory without end
 * @param replicaAcks    with a {@code redis-sentinel://} URI, how many replicas must hold a claim, an answer or a
 *                       call's end ({@code WAIT}) before the node rings, bridges or frees the agent, so a failover
 *                       cannot forget a decision the node already acted on; 0 = never wait. A standalone Redis has
 *                       no failover and is never waited for
 * @param replicaAckTimeout how long one {@code WAIT} may hold the decision; after that the node acts anyway (a
 *                       replica lagging or down must not stop the queue) and counts it
 *                       ({@code tandem.redis.replica-ack.missed})
 */
@Validated
@ConfigurationProperties("tandem.redis")
public record RedisProperties(
        @DefaultValue("") String uri,
        @DefaultValue("0") @Min(0) @Max(65535) int embeddedPort,
        @DefaultValue("5s") @NotNull Duration commandTimeout,
        @DefaultValue("10000") @Min(1) int requestQueue,
        @DefaultValue("10000") @Min(1) @Max(1_000_000) int owedWritesLimit,
        @DefaultValue("1") @Min(0) @Max(16) int replicaAcks,
        @DefaultValue("100ms") @NotNull Duration replicaAckTimeout) {

    @ConstructorBinding
    public RedisProperties {
        if (!uri.isBlank() && !(uri.startsWith("redis://") || uri.startsWith("rediss://")
                || uri.startsWith("redis-sentinel://"))) {
            throw new IllegalArgumentException(
                    "tandem.redis.uri must start with redis://, rediss:// or redis-sentinel:// (got '" + uri + "')");
        }
        if (commandTimeout != null && (commandTimeout.isZero() || commandTimeout.isNegative())) {
            throw new IllegalArgumentException("tandem.redis.command-timeout must be positive");
        }
        if (owedWritesLimit < 1 || owedWritesLimit > 1_000_000) {
            throw new IllegalArgumentException("tandem.redis.owed-writes-limit must be 1-1000000 (got "
                    + owedWritesLimit + ")");
        }
        if (replicaAcks < 0 || replicaAcks > 16) {
            throw new IllegalArgumentException("tandem.redis.replica-acks must be 0-16 (got " + replicaAcks + ")");
        }
        if (replicaAckTimeout != null && (replicaAckTimeout.isZero() || replicaAckTimeout.isNegative())) {
            throw new IllegalArgumentException("tandem.redis.replica-ack-timeout must be positive");
        }
    }

    /** Without the replica settings: their defaults (one replica, 100 ms). */
    public RedisProperties(String uri, int embeddedPort, Duration commandTimeout, int requestQueue,
            int owedWritesLimit) {
        this(uri, embeddedPort, commandTimeout, requestQueue, owedWritesLimit, 1, Duration.ofMillis(100));
    }

    /** True when the URI names Sentinels: the master may change, and a write it acknowledged may be lost. */
    public boolean sentinel() {
        return uri.startsWith("redis-sentinel://");
    }

    /** True when no URI is configured and the node must start its own Redis. */
    public boolean embedded() {
        return uri.isBlank();
    }
}
