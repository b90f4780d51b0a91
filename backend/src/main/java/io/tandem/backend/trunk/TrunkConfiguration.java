package io.tandem.backend.trunk;

import io.tandem.backend.cluster.NodeRegistry;
import io.tandem.backend.directory.Directory;
import io.tandem.backend.node.NodeAddresses;
import io.tandem.backend.node.NodeIdentity;
import io.tandem.backend.node.NodeMetrics;
import io.tandem.backend.node.sip.NodeSignalling;
import io.tandem.backend.node.sip.TrunkSignature;
import io.tandem.backend.redis.OwedWrites;
import io.tandem.backend.redis.Redis;
import io.tandem.telephony.sip.SipEndpoint;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.function.SingletonSupplier;

/**
 * Wires the carrier registrations into the node's SIP router, with a timer thread of their own that also sweeps dead
 * nodes' trunk channels.
 */
@Configuration(proxyBeanMethods = false)
class TrunkConfiguration {

    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService trunkTimer() {
        return Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "tandem-trunk-registrations");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** The endpoint and addresses exist only once the router (which needs this feature) does: looked up on use. */
    @Bean(destroyMethod = "close")
    CarrierRegistrations carrierRegistrations(Trunks trunks, Directory directory, Redis redis, OwedWrites writes,
            ObjectProvider<SipEndpoint> endpoint, ObjectProvider<NodeAddresses> addresses, NodeMetrics metrics,
            TrunkSignature trunk, NodeIdentity identity, TrunkProperties properties, Clock clock,
            ScheduledExecutorService trunkTimer, NodeRegistry nodes) {
        NodeSignalling signalling = new NodeSignalling(SingletonSupplier.of(endpoint::getObject),
                SingletonSupplier.of(addresses::getObject), metrics, trunk, identity.id());
        CarrierRegistrations registrations = new CarrierRegistrations(trunks, directory, redis, writes, signalling,
                trunkTimer, properties, clock, identity.id(), new ChannelSweep(directory, trunks, nodes, redis));
        registrations.start();
        return registrations;
    }

    /** Probes trunks out of rotation back in, on the trunk timer. */
    @Bean
    TrunkProbe trunkProbe(Trunks trunks, Directory directory, TrunkHealth health, OwedWrites writes,
            ObjectProvider<SipEndpoint> endpoint, ObjectProvider<NodeAddresses> addresses, NodeMetrics metrics,
            TrunkSignature trunk, NodeIdentity identity, TrunkProperties properties,
            ScheduledExecutorService trunkTimer) {
        NodeSignalling signalling = new NodeSignalling(SingletonSupplier.of(endpoint::getObject),
                SingletonSupplier.of(addresses::getObject), metrics, trunk, identity.id());
        TrunkProbe probe = new TrunkProbe(trunks, directory, health, writes, signalling, trunkTimer, properties);
        probe.start();
        return probe;
    }
}
