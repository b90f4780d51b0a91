package io.tandem.backend.node.sip;

import io.tandem.backend.node.InvalidConfigurationException;
import io.tandem.backend.node.NodeAddresses;
import io.tandem.backend.node.NodeIdentity;
import io.tandem.backend.node.NodeMetrics;
import io.tandem.backend.node.SipProperties;
import io.tandem.telephony.sip.SipEndpoint;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Opens the node's SIP endpoint (UDP and TCP on one port) with the {@link SipRequestRouter} as its handler, and
 * closes it when the node stops (Spring destroys beans in reverse order, so the endpoint closes before Redis).
 */
@Configuration(proxyBeanMethods = false)
class SipConfiguration {

    @Bean
    SipRequestRouter sipRequestRouter(ObjectProvider<SipFeature> features, ObjectProvider<SourceFilter> filters,
            NodeMetrics metrics) {
        return new SipRequestRouter(features.orderedStream().toList(), filters.orderedStream().toList(), metrics);
    }

    @Bean(destroyMethod = "close")
    SipEndpoint sipEndpoint(SipProperties sip, SipRequestRouter router, NodeIdentity identity, NodeMetrics metrics) {
        if (sip.udpPort() != 0 && sip.tcpPort() != 0 && sip.tcpPort() != sip.udpPort()) {
            throw new InvalidConfigurationException("tandem.sip.tcp-port", "must equal tandem.sip.udp-port ("
                    + sip.udpPort() + "): the node listens for UDP and TCP on one port");
        }
        InetAddress bind;
        try {
            bind = InetAddress.getByName(sip.bindAddress());
        } catch (UnknownHostException e) {
            throw new InvalidConfigurationException("tandem.sip.bind-address", "unknown address '"
                    + sip.bindAddress() + "'", e);
        }
        SipEndpoint endpoint;
        try {
            endpoint = SipEndpoint.open(bind, sip.udpPort(), "Tandem/" + identity.version(), router,
                    new SipEndpoint.StackLimits(sip.threads(), sip.maxServerTransactions(), sip.workQueueLimit(),
                            (int) sip.overloadRetryAfter().toSeconds()));
        } catch (IOException e) {
            throw new InvalidConfigurationException("tandem.sip.udp-port", "cannot listen for SIP on "
                    + sip.bindAddress() + ":" + sip.udpPort() + " (" + e.getMessage() + ")", e);
        }
        router.attach(endpoint);
        metrics.sipEndpoint(endpoint, e -> ((SipEndpoint) e).droppedMalformed(), e -> ((SipEndpoint) e).rejected());
        metrics.overloadRefusals(endpoint, "INVITE", e -> ((SipEndpoint) e).overloadRefusedInvites());
        metrics.overloadRefusals(endpoint, "REGISTER", e -> ((SipEndpoint) e).overloadRefusedRegisters());
        return endpoint;
    }

    /** Contact/SDP host and the SIP port actually bound (an ephemeral one in tests). */
    @Bean
    NodeAddresses nodeAddresses(SipProperties sip, SipEndpoint endpoint) {
        return new NodeAddresses(sip, endpoint.port());
    }
}
