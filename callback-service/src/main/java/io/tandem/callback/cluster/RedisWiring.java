package io.tandem.callback.cluster;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * One Lettuce client for the service; one shared connection for commands (Lettuce multiplexes it safely across
 * threads). Each stream consumer opens its own connection, since a blocking XREADGROUP holds the connection it runs on.
 */
@Configuration(proxyBeanMethods = false)
class RedisWiring {

    /**
     * Longest pause between reconnection attempts, as the nodes have it. Lettuce's default backoff doubles up to
     * 30 s: after a Redis restart or a Sentinel failover the service would stay away from a Redis that is back for up
     * to half a minute, while parked callers wait for their pushes.
     */
    static final Duration RECONNECT_MAX_DELAY = Duration.ofSeconds(1);

    @Bean(destroyMethod = "shutdown")
    ClientResources redisResources() {
        return DefaultClientResources.builder()
                .reconnectDelay(Delay.exponential(Duration.ZERO, RECONNECT_MAX_DELAY, 2, TimeUnit.MILLISECONDS))
                .build();
    }

    @Bean(destroyMethod = "shutdown")
    RedisClient redisClient(CallbackProperties properties, ClientResources resources) {
        RedisURI uri;
        try {
            uri = RedisURI.create(properties.redisUri());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("tandem.callback.redis-uri: '" + properties.redisUri()
                    + "' is not a Redis URI (" + e.getMessage() + ")", e);
        }
        return RedisClient.create(resources, uri);
    }

    @Bean(destroyMethod = "close")
    StatefulRedisConnection<String, String> redisConnection(RedisClient client, CallbackProperties properties) {
        try {
            return client.connect();
        } catch (RedisConnectionException e) {
            // Said with the property to fix, not only as Netty's "Connection refused" at the end of a stack trace.
            throw new IllegalStateException("tandem.callback.redis-uri: cannot connect to the cluster's Redis at "
                    + RedisURI.create(properties.redisUri()).toString().replaceAll("://[^@/]*@", "://***@")
                    + ": " + e.getMessage(), e);
        }
    }

    @Bean
    RedisCommands<String, String> redisCommands(StatefulRedisConnection<String, String> connection) {
        return connection.sync();
    }
}
