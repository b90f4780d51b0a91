package io.tandem.callback;

import io.micrometer.core.instrument.MeterRegistry;
import io.tandem.callback.push.InMemoryPushLedger;
import io.tandem.callback.push.PushLedger;
import io.tandem.callback.push.PushProperties;
import io.tandem.callback.push.PushProvider;
import io.tandem.callback.push.PushSender;
import io.tandem.callback.push.apns.ApnsPushProvider;
import io.tandem.callback.push.fcm.FcmPushProvider;
import io.tandem.callback.push.webhook.WebhookPushProvider;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Builds the push providers whose {@code tandem.push.<provider>} section is present. Lives above the {@code push}
 * packages so {@code push} does not depend on its providers.
 */
@Configuration(proxyBeanMethods = false)
class PushWiring {

    private static final Logger log = LoggerFactory.getLogger(PushWiring.class);

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    PushLedger pushLedger(PushProperties properties) {
        return new InMemoryPushLedger(properties.ledgerCapacity());
    }

    /** Closed (with its providers) when the context closes. */
    @Bean
    PushSender pushSender(PushProperties properties, PushLedger ledger, MeterRegistry meters, Clock clock) {
        List<PushProvider> providers = new ArrayList<>();
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
