package io.tandem.backend.call;

import io.tandem.backend.cdr.CallRecords;
import io.tandem.backend.cluster.NodeRegistry;
import io.tandem.backend.directory.Directory;
import io.tandem.backend.node.NodeAddresses;
import io.tandem.backend.node.NodeIdentity;
import io.tandem.backend.node.NodeMetrics;
import io.tandem.backend.node.NodeProperties;
import io.tandem.backend.node.SipProperties;
import io.tandem.backend.node.sip.NodeSignalling;
import io.tandem.backend.node.sip.TrunkSignature;
import io.tandem.backend.redis.OwedWrites;
import io.tandem.backend.redis.Redis;
import io.tandem.backend.registrar.SipAuthenticator;
import io.tandem.backend.registrar.TenantResolver;
import io.tandem.backend.routing.CallAdmission;
import io.tandem.backend.routing.CallRouter;
import io.tandem.backend.trunk.CarrierArrivals;
import io.tandem.backend.trunk.CarrierChannels;
import io.tandem.backend.trunk.OutsideCalls;
import io.tandem.backend.wake.CallWakes;
import io.tandem.telephony.relay.RtpRelayPool;
import io.tandem.telephony.sip.SipEndpoint;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.function.SingletonSupplier;

/** Wires the B2BUA into the node's SIP router with its RTP relay engine and ring timers. */
@Configuration(proxyBeanMethods = false)
class CallConfiguration {

    @Bean(destroyMethod = "close")
    RtpRelayPool rtpRelayPool(SipProperties sip) {
        return new RtpRelayPool(sip.rtpPortMin(), sip.rtpPortMax(), sip.rtpRelayThreads());
    }

    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService callTimers() {
        ScheduledThreadPoolExecutor executor = (ScheduledThreadPoolExecutor) Executors.newScheduledThreadPool(1,
                runnable -> {
                    Thread thread = new Thread(runnable, "tandem-call-timers");
                    thread.setDaemon(true);
                    return thread;
                });
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }

    @Bean
    TrunkSignature trunkSignature(NodeIdentity identity, Clock clock, CallProperties properties) {
        return new TrunkSignature(identity.clusterSecret(), clock, properties.trunkValidity());
    }

    /**
     * The SIP endpoint and the addresses depend on the router, which depends on this feature: they are looked up on
     * first use, once the endpoint is open.
     */
    @Bean
    B2bua b2bua(ObjectProvider<SipEndpoint> endpoint, ObjectProvider<NodeAddresses> addresses, NodeMetrics metrics,
            TrunkSignature trunk, NodeIdentity identity, CallProperties properties,
            @Qualifier("callTimers") ScheduledExecutorService callTimers, Clock clock, CallRecords records, Redis redis,
            SipAuthenticator authenticator, TenantResolver tenants, CallRouter router, CallAdmission admission,
            RtpRelayPool relays,
            SipProperties sip, ObjectProvider<ServiceNumbers> services, OwedWrites writes,
            ObjectProvider<PartyCalls> parties, CallWakes wakes, CarrierArrivals arrivals, OutsideCalls outsideCalls,
            TransferAdmission transfers, CarrierChannels carrierChannels, DialogIndex dialogs) {
        // Memoised: an ObjectProvider resolves the bean on every call, which cost ~8 % of a node's CPU per INVITE.
        Signalling signalling = new Signalling(new NodeSignalling(SingletonSupplier.of(endpoint::getObject),
                SingletonSupplier.of(addresses::getObject), metrics, trunk, identity.id()));
        Calls calls = new Calls(signalling, properties, callTimers, clock, identity.id(), metrics, records,
                new CallPresence(redis, identity.id()), writes, parties.getIfAvailable(() -> PartyCalls.NONE),
                carrierChannels, dialogs);
        return new B2bua(calls, authenticator, tenants, router, admission, trunk, relays, sip, redis,
                SingletonSupplier.of(() -> services.orderedStream().toList()), wakes, arrivals,
                outsideCalls, transfers);
    }

    /**
     * Which node holds a dialog, cluster-wide (Replaces, RFC 3891): written by this node's calls, read by them and by
     * the queue calls' attended transfers; every dialog of the node refreshed every third of its TTL.
     */
    @Bean
    DialogIndex dialogIndex(Redis redis, OwedWrites writes, NodeIdentity identity, CallProperties properties,
            @Qualifier("callTimers") ScheduledExecutorService callTimers) {
        DialogIndex dialogs = new DialogIndex(redis, writes, identity.id(), properties.dialogTtl());
        long refresh = properties.dialogTtl().toMillis() / 3;
        callTimers.scheduleWithFixedDelay(dialogs::refresh, refresh, refresh, TimeUnit.MILLISECONDS);
        return dialogs;
    }

    /** What a transferor may transfer a call to: for the B2BUA's calls and the queue calls' agents alike. */
    @Bean
    TransferAdmission transferAdmission(Directory directory, CallAdmission admission, OutsideCalls outsideCalls) {
        return new TransferAdmission(directory, admission, outsideCalls);
    }

    /**
     * Every heartbeat interval, calls that came over the trunk from a node that has since died are ended and
     * recorded here ({@link EntryNodeWatch}).
     */
    @Bean
    EntryNodeWatch entryNodeWatch(B2bua b2bua, NodeRegistry registry, NodeProperties node,
            @Qualifier("callTimers") ScheduledExecutorService callTimers) {
        EntryNodeWatch watch = new EntryNodeWatch(b2bua.calls(), registry);
        long every = node.heartbeatInterval().toMillis();
        callTimers.scheduleWithFixedDelay(watch::check, every, every, TimeUnit.MILLISECONDS);
        return watch;
    }
}
