package io.tandem.backend.registrar;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tandem.backend.directory.Directory;
import io.tandem.backend.directory.DirectoryProperties;
import io.tandem.backend.node.DemoProperties;
import io.tandem.backend.node.InvalidConfigurationException;
import io.tandem.backend.node.NodeIdentity;
import io.tandem.backend.node.NodeMetrics;
import io.tandem.backend.node.SipProperties;
import io.tandem.backend.redis.Redis;
import io.tandem.telephony.sip.auth.DigestAlgorithm;
import io.tandem.telephony.sip.auth.HmacNonces;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.function.SingletonSupplier;

/** Wires the registrar into the node's SIP router. */
@Configuration(proxyBeanMethods = false)
class RegistrarConfiguration {

    /** How often contacts that expired without a refresh leave the registrations gauge. */
    private static final long SWEEP_SECONDS = 5;

    @Bean
    SipAuthenticator sipAuthenticator(Directory directory, FloodGuard flood, RegistrarProperties properties,
            NodeIdentity identity, Clock clock, Redis redis) {
        List<DigestAlgorithm> algorithms = new ArrayList<>();
        for (String token : properties.algorithms()) {
            try {
                algorithms.add(DigestAlgorithm.fromToken(token));
            } catch (IllegalArgumentException e) {
                throw new InvalidConfigurationException("tandem.registrar.algorithms", e.getMessage(), e);
            }
        }
        // Every node derives nonces from the cluster secret, so a nonce issued by one is verified by any other.
        HmacNonces nonces = new HmacNonces(identity.clusterSecret().getBytes(StandardCharsets.UTF_8), clock,
                properties.nonceValidity());
        DigestGate gate = new DigestGate(nonces, redis, algorithms, properties.nonceValidity().toMillis(),
                new Ha1Cache(properties.ha1CacheSize(), properties.ha1CacheLifetime(), clock));
        return new SipAuthenticator(directory, gate, flood, properties);
    }

    @Bean
    TenantResolver tenantResolver(Redis redis, DemoProperties demo, DirectoryProperties directoryProps,
            SipProperties sip) {
        return new TenantResolver(redis, demo, directoryProps, sip);
    }

    @Bean
    Registrar registrar(SipAuthenticator authenticator, Bindings bindings, PushBindings pushBindings,
            TenantResolver tenants, RegistrarProperties properties, NodeIdentity identity, Clock clock,
            LocalRegistrations local, MeterRegistry meters, ObjectProvider<RegistrationListener> listeners) {
        return new Registrar(authenticator, bindings, pushBindings, new UnknownPushProviders(meters), tenants,
                properties, local, identity.id(), clock,
                SingletonSupplier.of(() -> listeners.orderedStream().toList()),
                Counter.builder("tandem.registrar.contacts.evicted")
                        .description("Contacts replaced by a new one beyond tandem.registrar.max-contacts")
                        .register(meters));
    }

    @Bean
    LocalRegistrations localRegistrations(NodeMetrics metrics, Clock clock) {
        return new LocalRegistrations(metrics, clock);
    }

    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService registrarSweeper(LocalRegistrations local) {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "tandem-registrar-sweep");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(local::sweep, SWEEP_SECONDS, SWEEP_SECONDS, TimeUnit.SECONDS);
        return executor;
    }
}
