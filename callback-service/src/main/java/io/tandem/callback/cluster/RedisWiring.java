package io.tandem.callback.cluster;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * One Lettuce client for the service; one shared connection for commands (Lettuce multiplexes it safely across
 * threads). Each stream consumer opens its own connection, since a blocking XREADGROUP holds the connection it runs on.
 */
@Configuration(proxyBeanMethods = false)
class RedisWiring {

    @Bean(destroyMethod = "shutdown")
    RedisClient redisClient(CallbackProperties properties) {
        RedisURI uri;
        try {
            uri = RedisURI.create(properties.redisUri());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("tandem.callback.redis-uri: '" + properties.redisUri()
                    + "' is not a Redis URI (" + e.getMessage() + ")", e);
        }
        return RedisClient.create(uri);
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
