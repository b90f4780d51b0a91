package io.tandem.backend.cluster;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tandem.backend.node.NodeAddresses;
import io.tandem.backend.node.NodeIdentity;
import io.tandem.backend.node.NodeMetrics;
import io.tandem.backend.node.NodeProperties;
import io.tandem.backend.node.sip.NodeSignalling;
import io.tandem.backend.node.sip.TrunkSignature;
import io.tandem.backend.redis.Redis;
import io.tandem.telephony.sip.SipEndpoint;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.Ordered;
import org.springframework.util.function.SingletonSupplier;

/** Wires the heartbeat and the nodes' votes on each other; both start once the HTTP port is known. */
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

    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService votingExecutor() {
        return Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "tandem-node-votes");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** The endpoint and addresses exist only once the router (which needs this feature) does: looked up on use. */
    @Bean
    NodeProbe nodeProbe(NodeRegistry registry, NodeVotes votes, ObjectProvider<SipEndpoint> endpoint,
            ObjectProvider<NodeAddresses> addresses, NodeMetrics metrics, TrunkSignature trunk, NodeIdentity identity,
            ScheduledExecutorService votingExecutor, VotingProperties properties, MeterRegistry meters) {
        NodeSignalling signalling = new NodeSignalling(SingletonSupplier.of(endpoint::getObject),
                SingletonSupplier.of(addresses::getObject), metrics, trunk, identity.id());
        return new NodeProbe(registry, votes, signalling, votingExecutor, properties,
                Counter.builder("tandem.cluster.voting.failed")
                        .description("voting rounds and votes that failed (Redis away)").register(meters));
    }

    /** Joins the cluster, then starts voting, once the HTTP port is known (the SIP endpoint is open by then). */
    @Bean
    ApplicationListener<WebServerInitializedEvent> heartbeatStarter(Heartbeat heartbeat, NodeProbe probe,
            NodeAddresses addresses) {
        return event -> {
            if (!"management".equals(event.getApplicationContext().getServerNamespace())) {
                heartbeat.start(addresses.sipUri(), addresses.httpUrl(event.getWebServer().getPort()));
                probe.start();
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
    LeaveOnClose heartbeatStopper(Heartbeat heartbeat, NodeProbe probe) {
        return new LeaveOnClose(heartbeat, probe);
    }

    /** Ordered first among the listeners of the node's closing (an {@code @Order} on a lambda bean is not seen). */
    record LeaveOnClose(Heartbeat heartbeat, NodeProbe probe)
            implements ApplicationListener<ContextClosedEvent>, Ordered {

        @Override
        public void onApplicationEvent(ContextClosedEvent event) {
            probe.stop();
            heartbeat.close();
        }

        @Override
        public int getOrder() {
            return Ordered.HIGHEST_PRECEDENCE;
        }
    }
}
