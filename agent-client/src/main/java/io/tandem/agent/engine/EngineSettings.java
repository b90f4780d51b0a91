package io.tandem.agent.engine;

import java.net.InetAddress;
import java.time.Duration;

/**
 * Where the telephony engine lives on this machine.
 *
 * @param localAddress   address SIP and RTP bind to; null: the one facing the first registrar
 * @param sipPort        SIP port (UDP and TCP); 0: an ephemeral one
 * @param rtpPortMin     lowest RTP port
 * @param rtpPortMax     highest RTP port
 * @param requestTimeout how long a node may stay silent before the phone fails over to the next
 * @param probeInterval  how often, while on a failover node, the preferred node is probed to move back; also the
 *                       pause before trying the list again once every node failed
 * @param registerExpiry binding lifetime asked for; the phone refreshes at 60 % of it, which is also when it
 *                       notices that its node died, so it is kept short (the node's minimum is 60 s by default)
 * @param security       SIP transport, trusted certificates for TLS, SRTP ({@link SipSecurity#plain()}: UDP, no SRTP)
 */
public record EngineSettings(InetAddress localAddress, int sipPort, int rtpPortMin, int rtpPortMax,
                             Duration requestTimeout, Duration probeInterval, Duration registerExpiry,
                             SipSecurity security) {

    public EngineSettings {
        security = security == null ? SipSecurity.plain() : security;
    }

    /**
     * Address chosen per registrar, ephemeral SIP port, RTP 30000–30999, 4 s failover, 10 s probes and retries, 60 s
     * expiry, plain UDP.
     */
    public static EngineSettings defaults() {
        return new EngineSettings(null, 0, 30000, 30999, Duration.ofSeconds(4), Duration.ofSeconds(10),
                Duration.ofSeconds(60), SipSecurity.plain());
    }

    public EngineSettings withRegisterExpiry(Duration expiry) {
        return new EngineSettings(localAddress, sipPort, rtpPortMin, rtpPortMax, requestTimeout, probeInterval,
                expiry, security);
    }

    public EngineSettings withLocalAddress(InetAddress address) {
        return new EngineSettings(address, sipPort, rtpPortMin, rtpPortMax, requestTimeout, probeInterval,
                registerExpiry, security);
    }

    public EngineSettings withSipPort(int port) {
        return new EngineSettings(localAddress, port, rtpPortMin, rtpPortMax, requestTimeout, probeInterval,
                registerExpiry, security);
    }

    public EngineSettings withRtpPorts(int min, int max) {
        return new EngineSettings(localAddress, sipPort, min, max, requestTimeout, probeInterval,
                registerExpiry, security);
    }

    public EngineSettings withSecurity(SipSecurity newSecurity) {
        return new EngineSettings(localAddress, sipPort, rtpPortMin, rtpPortMax, requestTimeout, probeInterval,
                registerExpiry, newSecurity);
    }

    public EngineSettings withTimeouts(Duration request, Duration probe) {
        return new EngineSettings(localAddress, sipPort, rtpPortMin, rtpPortMax, request, probe, registerExpiry,
                security);
    }
}
