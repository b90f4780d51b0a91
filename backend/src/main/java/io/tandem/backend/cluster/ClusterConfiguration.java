package io.tandem.backend.cluster;

import io.tandem.backend.node.NodeAddresses;
import io.tandem.backend.node.NodeIdentity;
import io.tandem.backend.node.NodeMetrics;
import io.tandem.backend.node.NodeProperties;
import io.tandem.backend.redis.Redis;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.springframework.boot.web.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.Ordered;

/** Wires the heartbeat; it starts once the HTTP port is known. */
@Configuration(proxyBeanMethods = false)
class ClusterConfiguration {

    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService clusterExecutor() {
        return Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "tandem-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Bean(destroyMethod = "close")
    Heartbeat heartbeat(Redis redis, Clock clock, ScheduledExecutorService clusterExecutor, NodeIdentity identity,
            NodeProperties properties, NodeMetrics metrics) {
        return new Heartbeat(redis, clock, clusterExecutor, identity.id(), identity.version(),
                properties.heartbeatInterval(), properties.heartbeatTtl(), metrics::activeCalls,
                metrics::registrations);
    }

    @Bean
    ApplicationListener<WebServerInitializedEvent> heartbeatStarter(Heartbeat heartbeat, NodeAddresses addresses) {
        return event -> {
            if (!"management".equals(event.getApplicationContext().getServerNamespace())) {
                heartbeat.start(addresses.sipUri(), addresses.httpUrl(event.getWebServer().getPort()));
            }
        };
    }

    /**
     * Leaves the cluster as the first thing a stopping node does. Bean destruction, where the heartbeat also closes,
     * comes only after every lifecycle stop (the web server's graceful shutdown waits up to 30 s for requests, the
     * SIP stack, the rooms); until then the node kept beating, and a node stopping, or stuck stopping, was shown to
     * the others alive with a last beat of 0:00 ago instead of gone.
     */
    @Bean
    LeaveOnClose heartbeatStopper(Heartbeat heartbeat) {
        return new LeaveOnClose(heartbeat);
    }

    /** Ordered first among the listeners of the node's closing (an {@code @Order} on a lambda bean is not seen). */
    record LeaveOnClose(Heartbeat heartbeat) implements ApplicationListener<ContextClosedEvent>, Ordered {

        @Override
        public void onApplicationEvent(ContextClosedEvent event) {
            heartbeat.close();
        }

        @Override
        public int getOrder() {
            return Ordered.HIGHEST_PRECEDENCE;
        }
    }
}
