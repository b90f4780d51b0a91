package io.tandem.backend.redis;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Connects to the configured Redis, or starts the embedded one. */
@Configuration(proxyBeanMethods = false)
class RedisConfiguration {

    @Bean(destroyMethod = "close")
    Redis redis(RedisProperties properties, MeterRegistry registry) {
        Redis redis = Redis.connect(properties);
        FunctionCounter.builder("tandem.redis.replica-ack.missed", redis, Redis::replicaAcksMissed)
                .description("Claims, answers and call ends acted on before a replica acknowledged them: a Sentinel"
                        + " failover at that moment could lose them")
                .register(registry);
        return redis;
    }

    @Bean(destroyMethod = "close")
    OwedWrites owedWrites(RedisProperties properties, MeterRegistry registry) {
        return new OwedWrites(properties.owedWritesLimit(), registry);
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
}
