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
}
