package io.tandem.telephony.ua;

import io.tandem.telephony.codec.CodecSpec;
import io.tandem.telephony.codec.Codecs;
import io.tandem.telephony.sip.TlsSettings;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One SIP account and where its user agent lives.
 *
 * @param displayName      shown in From (may be empty)
 * @param user             the user part of our address of record, also the digest username
 * @param domain           the domain of our address of record (the digest realm is whatever the registrar says)
 * @param password         digest password; null when the registrar does not challenge
 * @param registrars       ordered registrar URIs, e.g. {@code sip:10.0.0.1:5060;transport=tcp}; the first is
 *                         preferred, the others are failover targets. Empty: no registration.
 * @param localAddress     address to bind SIP and RTP to
 * @param sipPort          SIP port (UDP and TCP), 0 for an ephemeral one
 * @param rtpPortMin       lowest RTP port (even)
 * @param rtpPortMax       highest RTP port
 * @param codecs           codecs we offer and accept, in preference order
 * @param autoAnswer       answer incoming calls at once instead of ringing the listener
 * @param registerExpiry   expiry we ask the registrar for
 * @param userAgent        User-Agent / Server header value
 * @param requestTimeout   how long a registrar may stay silent before we fail over (shorter than
 *                         the 32 s of RFC 3261 Timer F, so an agent is not offline for half a minute)
 * @param probeInterval    while on a failover registrar, how often the preferred one is probed with OPTIONS
 * @param push             RFC 8599 push parameters put on the Contact of every REGISTER, or null for none (a
 *                         device that stays awake)
 * @param tls              SIP over TLS (a registrar or target URI with {@code transport=tls}), or null for none
 * @param srtp             offer SRTP with SDES keys (RFC 4568, {@code RTP/SAVP}) and accept it when offered; only
 *                         sensible over TLS, where the keys in the SDP are not readable on the wire
 */
public record UserAgentConfig(
        String displayName,
        String user,
        String domain,
        String password,
        List<String> registrars,
        InetAddress localAddress,
        int sipPort,
        int rtpPortMin,
        int rtpPortMax,
        List<CodecSpec> codecs,
        boolean autoAnswer,
        Duration registerExpiry,
        String userAgent,
        Duration requestTimeout,
        Duration probeInterval,
        PushParameters push,
        TlsSettings tls,
        boolean srtp) {

    /** An account without push parameters. */
    public UserAgentConfig(String displayName, String user, String domain, String password, List<String> registrars,
            InetAddress localAddress, int sipPort, int rtpPortMin, int rtpPortMax, List<CodecSpec> codecs,
            boolean autoAnswer, Duration registerExpiry, String userAgent, Duration requestTimeout,
            Duration probeInterval) {
        this(displayName, user, domain, password, registrars, localAddress, sipPort, rtpPortMin, rtpPortMax, codecs,
                autoAnswer, registerExpiry, userAgent, requestTimeout, probeInterval, null);
    }

    /** An account without TLS and SRTP. */
    public UserAgentConfig(String displayName, String user, String domain, String password, List<String> registrars,
            InetAddress localAddress, int sipPort, int rtpPortMin, int rtpPortMax, List<CodecSpec> codecs,
            boolean autoAnswer, Duration registerExpiry, String userAgent, Duration requestTimeout,
            Duration probeInterval, PushParameters push) {
        this(displayName, user, domain, password, registrars, localAddress, sipPort, rtpPortMin, rtpPortMax, codecs,
                autoAnswer, registerExpiry, userAgent, requestTimeout, probeInterval, push, null, false);
    }

    public UserAgentConfig {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(localAddress, "localAddress");
        registrars = List.copyOf(registrars);
        codecs = List.copyOf(codecs);
        if (codecs.isEmpty()) {
            throw new IllegalArgumentException("at least one codec is required");
        }
        if (rtpPortMin <= 0 || rtpPortMax < rtpPortMin + 1 || rtpPortMax > 65535) {
            throw new IllegalArgumentException("bad RTP port range " + rtpPortMin + ".." + rtpPortMax);
        }
        if (registerExpiry.isNegative() || registerExpiry.isZero()) {
            throw new IllegalArgumentException("register expiry must be positive");
        }
        displayName = displayName == null ? "" : displayName;
    }

    /**
     * Defaults: no password, no registrar, loopback, ephemeral SIP port, RTP 20000–29999,
     * {@link Codecs#supported()} (PCMU, PCMA, G.722, Opus), no auto-answer, 3600 s expiry, 5 s request timeout, 30 s probes.
     */
    public static UserAgentConfig of(String user, String domain) {
        return new UserAgentConfig(user, user, domain, null, List.of(), InetAddress.getLoopbackAddress(), 0,
                20000, 29999, Codecs.supported(), false, Duration.ofSeconds(3600),
                "Tandem/0.1", Duration.ofSeconds(5), Duration.ofSeconds(30));
    }

    public UserAgentConfig withPassword(String newPassword) {
        return new UserAgentConfig(displayName, user, domain, newPassword, registrars, localAddress, sipPort,
                rtpPortMin, rtpPortMax, codecs, autoAnswer, registerExpiry, userAgent, requestTimeout, probeInterval,
                push, tls, srtp);
    }

    public UserAgentConfig withRegistrars(List<String> newRegistrars) {
        return new UserAgentConfig(displayName, user, domain, password, newRegistrars, localAddress, sipPort,
                rtpPortMin, rtpPortMax, codecs, autoAnswer, registerExpiry, userAgent, requestTimeout, probeInterval,
                push, tls, srtp);
    }

    public UserAgentConfig withAutoAnswer(boolean newAutoAnswer) {
        return new UserAgentConfig(displayName, user, domain, password, registrars, localAddress, sipPort,
                rtpPortMin, rtpPortMax, codecs, newAutoAnswer, registerExpiry, userAgent, requestTimeout,
                probeInterval, push);
    }

    public UserAgentConfig withCodecs(List<CodecSpec> newCodecs) {
        return new UserAgentConfig(displayName, user, domain, password, registrars, localAddress, sipPort,
                rtpPortMin, rtpPortMax, newCodecs, autoAnswer, registerExpiry, userAgent, requestTimeout,
                probeInterval, push);
    }

    public UserAgentConfig withSipPort(int newSipPort) {
        return new UserAgentConfig(displayName, user, domain, password, registrars, localAddress, newSipPort,
                rtpPortMin, rtpPortMax, codecs, autoAnswer, registerExpiry, userAgent, requestTimeout, probeInterval,
                push, tls, srtp);
    }

    public UserAgentConfig withRtpPorts(int min, int max) {
        return new UserAgentConfig(displayName, user, domain, password, registrars, localAddress, sipPort,
                min, max, codecs, autoAnswer, registerExpiry, userAgent, requestTimeout, probeInterval,
                push, tls, srtp);
    }

    public UserAgentConfig withRegisterExpiry(Duration expiry) {
        return new UserAgentConfig(displayName, user, domain, password, registrars, localAddress, sipPort,
                rtpPortMin, rtpPortMax, codecs, autoAnswer, expiry, userAgent, requestTimeout, probeInterval,
                push, tls, srtp);
    }

    /** This account registering with RFC 8599 push parameters on its Contact (null: none). */
    public UserAgentConfig withPush(PushParameters newPush) {
        return new UserAgentConfig(displayName, user, domain, password, registrars, localAddress, sipPort,
                rtpPortMin, rtpPortMax, codecs, autoAnswer, registerExpiry, userAgent, requestTimeout, probeInterval,
                newPush, tls, srtp);
    }

    /** This account speaking SIP over TLS with {@code settings} (null: none). */
    public UserAgentConfig withTls(TlsSettings settings) {
        return new UserAgentConfig(displayName, user, domain, password, registrars, localAddress, sipPort,
                rtpPortMin, rtpPortMax, codecs, autoAnswer, registerExpiry, userAgent, requestTimeout, probeInterval,
                push, settings, srtp);
    }

    /** This account offering and accepting SDES-keyed SRTP (RFC 4568). */
    public UserAgentConfig withSrtp(boolean newSrtp) {
        return new UserAgentConfig(displayName, user, domain, password, registrars, localAddress, sipPort,
                rtpPortMin, rtpPortMax, codecs, autoAnswer, registerExpiry, userAgent, requestTimeout, probeInterval,
                push, tls, newSrtp);
    }

    public UserAgentConfig withTimeouts(Duration newRequestTimeout, Duration newProbeInterval) {
        return new UserAgentConfig(displayName, user, domain, password, registrars, localAddress, sipPort,
                rtpPortMin, rtpPortMax, codecs, autoAnswer, registerExpiry, userAgent, newRequestTimeout,
                newProbeInterval, push);
    }
}
