package io.tandem.backend.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Connects to the configured Redis, or starts the embedded one. */
@Configuration(proxyBeanMethods = false)
class RedisConfiguration {

    private static final Logger log = LoggerFactory.getLogger(RedisConfiguration.class);

    @Bean(destroyMethod = "close")
    Redis redis(RedisProperties properties) {
        EmbeddedRedis embedded = properties.embedded() ? EmbeddedRedis.start(properties.embeddedPort()) : null;
        try {
            RedisURI uri = properties.embedded()
                    ? RedisURI.create("127.0.0.1", embedded.port())
                    : RedisURI.create(properties.uri());
            uri.setTimeout(properties.commandTimeout());
            RedisClient client = RedisClient.create(uri);
            client.setOptions(ClientOptions.builder()
                    .autoReconnect(true)
                    // Commands issued while reconnecting wait in a bounded queue, then fail fast.
                    .requestQueueSize(properties.requestQueue())
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS)
                    .timeoutOptions(TimeoutOptions.enabled(properties.commandTimeout()))
                    .build());
            String description = describe(uri);
            StatefulRedisConnection<String, String> connection;
            try {
                connection = client.connect();
            } catch (RuntimeException e) {
                client.shutdown();
                throw new IllegalStateException("cannot reach Redis at " + description
                        + " (tandem.redis.uri): " + e.getMessage(), e);
            }
            log.info("connected to Redis at {}", description);
            return new Redis(client, connection, embedded, description);
        } catch (RuntimeException e) {
            if (embedded != null) {
                embedded.stop();
            }
            throw e;
        }
    }

    @Bean
    HealthIndicator redisHealthIndicator(Redis redis) {
        return () -> {
            try {
                return Health.up().withDetail("pong", redis.commands().ping()).build();
            } catch (RuntimeException e) {
                return Health.down(e).build();
            }
        };
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
