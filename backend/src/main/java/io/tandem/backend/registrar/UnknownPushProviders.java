package io.tandem.backend.registrar;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * REGISTERs naming a {@code pn-provider} this node does not serve: taken without a push binding, counted every
 * time and logged once per provider name, not once per REGISTER (an app refreshing every few minutes would fill the
 * log). Names made up by clients cannot grow the set without end.
 */
final class UnknownPushProviders {

    private static final Logger log = LoggerFactory.getLogger(UnknownPushProviders.class);
    /** Provider names remembered as logged; beyond them new names are counted, and said once in the log. */
    static final int MAX_REMEMBERED = 64;

    private final Set<String> logged = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean overflowLogged = new AtomicBoolean();
    private final Counter registers;

    UnknownPushProviders(MeterRegistry registry) {
        this.registers = Counter.builder("tandem.registrar.push.unknown-provider")
                .description("REGISTERs taken without a push binding: their pn-provider is not served")
                .register(registry);
    }

    /** A REGISTER of {@code user} named {@code provider}. */
    void seen(String provider, String user, String tenant) {
        registers.increment();
        String name = provider.length() > 32 ? provider.substring(0, 32) : provider;
        if (logged.contains(name)) {
            return;
        }
        if (logged.size() < MAX_REMEMBERED) {
            if (logged.add(name)) {
                log.warn("pn-provider '{}' (first from {}@{}) is not served here (apns, fcm, webhook): REGISTERs"
                        + " naming it are taken without a push binding, counted in"
                        + " tandem.registrar.push.unknown-provider", name, user, tenant);
            }
        } else if (overflowLogged.compareAndSet(false, true)) {
            log.warn("more than {} unknown pn-provider names seen (latest '{}' from {}@{}): further ones are only"
                    + " counted in tandem.registrar.push.unknown-provider", MAX_REMEMBERED, name, user, tenant);
        }
    }
}
