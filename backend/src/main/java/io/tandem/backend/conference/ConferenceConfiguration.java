package io.tandem.backend.conference;

import io.micrometer.core.instrument.MeterRegistry;
import io.tandem.backend.acd.AcdProperties;
import io.tandem.backend.node.NodeIdentity;
import io.tandem.backend.node.InvalidConfigurationException;
import io.tandem.backend.redis.Redis;
import io.tandem.backend.redis.RedisProperties;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the rooms: their scripts and the one clock thread that ticks every room's mixer. */
@Configuration(proxyBeanMethods = false)
class ConferenceConfiguration {

    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService roomMixerClock() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "tandem-room-mixer");
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }

    @Bean
    RoomScripts roomScripts(Redis redis, Clock clock, NodeIdentity identity, ConferenceProperties properties,
            AcdProperties acd) {
        return new RoomScripts(redis, clock, identity.id(), properties, acd.queueLogMaxLength());
    }

    @Bean(destroyMethod = "close")
    Rooms rooms(RoomScripts roomScripts, ScheduledExecutorService roomMixerClock, MeterRegistry registry) {
        return new Rooms(roomScripts, roomMixerClock, registry);
    }

    /** Join tokens are checked with the cluster secret the callback service signs them with. */
    @Bean
    JoinTokens joinTokens(Rooms rooms, RoomScripts roomScripts, NodeIdentity identity, MeterRegistry registry) {
        return new JoinTokens(rooms, roomScripts, identity.clusterSecret(), registry);
    }

    /** The reader of this node's command stream; its blocking read must end before a command times out. */
    @Bean(initMethod = "start", destroyMethod = "close")
    NodeCommands nodeCommands(Redis redis, NodeIdentity identity, Rooms rooms, ConferenceProperties properties,
            RedisProperties redisProperties, MeterRegistry registry) {
        if (properties.commandBlockMillis() >= redisProperties.commandTimeout().toMillis()) {
            throw new InvalidConfigurationException("tandem.conference.command-block-millis", "must be shorter than"
                    + " tandem.redis.command-timeout (" + redisProperties.commandTimeout().toMillis() + " ms)");
        }
        return new NodeCommands(redis, identity.id(), rooms, properties, registry);
    }
}
