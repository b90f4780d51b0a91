package io.tandem.callback;

import io.micrometer.core.instrument.MeterRegistry;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.tandem.callback.cluster.CallbackProperties;
import io.tandem.callback.cluster.ServiceKeys;
import io.tandem.callback.cluster.TenantEvents;
import io.tandem.callback.push.PushLedger;
import io.tandem.callback.push.PushProperties;
import io.tandem.callback.push.PushProvider;
import io.tandem.callback.push.PushSender;
import io.tandem.callback.push.RedisPushLedger;
import io.tandem.callback.push.apns.ApnsPushProvider;
import io.tandem.callback.push.fcm.FcmPushProvider;
import io.tandem.callback.push.webhook.WebhookPushProvider;
import io.tandem.callback.push.websocket.WebSocketPushProvider;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Builds the push providers whose {@code tandem.push.<provider>} section is present, and always the softphone's
 * (the agent WebSocket through the nodes: it needs no credentials). Lives above the {@code push}
 * packages so {@code push} does not depend on its providers.
 */
@Configuration(proxyBeanMethods = false)
class PushWiring {

    private static final Logger log = LoggerFactory.getLogger(PushWiring.class);
    private static final Duration PENDING_TTL = Duration.ofMinutes(2);

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** Waits for outcomes another instance is sending (see {@link RedisPushLedger}). */
    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService pushLedgerPoller() {
        return Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "tandem-push-ledger");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Shared by every instance through Redis, so that no push is sent twice. A claim without an outcome lapses after
     * {@link #PENDING_TTL}, longer than any provider's send timeout and webhook retries.
     */
    @Bean
    PushLedger pushLedger(StatefulRedisConnection<String, String> redis, CallbackProperties properties,
            ScheduledExecutorService pushLedgerPoller) {
        return new RedisPushLedger(redis, ServiceKeys.pushLedgerPrefix(), properties.ledgerTtl(), PENDING_TTL,
                pushLedgerPoller);
    }

    /** Closed (with its providers) when the context closes. */
    @Bean
    PushSender pushSender(PushProperties properties, PushLedger ledger, MeterRegistry meters, Clock clock,
            RedisCommands<String, String> redis, TenantEvents events) {
        List<PushProvider> providers = new ArrayList<>();
        providers.add(new WebSocketPushProvider(redis, events));
        if (properties.apns() != null) {
            providers.add(new ApnsPushProvider(properties.apns()));
        }
        if (properties.fcm() != null) {
            providers.add(new FcmPushProvider(properties.fcm()));
        }
        if (properties.webhook() != null) {
            providers.add(new WebhookPushProvider(properties.webhook(), clock));
        }
        log.info("push providers: {}", providers.isEmpty() ? "none configured"
                : providers.stream().map(p -> p.network().pnProvider()).toList());
        return new PushSender(providers, ledger, meters);
    }
}
