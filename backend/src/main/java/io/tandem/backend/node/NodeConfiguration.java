package io.tandem.backend.node;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.metrics.MeterRegistryCustomizer;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Node-wide beans: identity, clock, metrics. */
@Configuration(proxyBeanMethods = false)
class NodeConfiguration {

    @Bean
    NodeIdentity nodeIdentity(NodeProperties node, DemoProperties demo, ObjectProvider<BuildProperties> build) {
        BuildProperties info = build.getIfAvailable();
        String version = info != null ? info.getVersion() : NodeConfiguration.class.getPackage().getImplementationVersion();
        return NodeIdentity.resolve(node, demo, version);
    }

    /** The one clock; tests replace it. */
    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** Every meter carries the node id, so one Prometheus can scrape the whole cluster. */
    @Bean
    MeterRegistryCustomizer<MeterRegistry> nodeTag(NodeIdentity identity) {
        return registry -> registry.config().commonTags("node", identity.id());
    }

    @Bean
    NodeMetrics nodeMetrics(MeterRegistry registry) {
        return new NodeMetrics(registry);
    }
}
