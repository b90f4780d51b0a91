package io.tandem.agent.engine;

import io.tandem.agent.audio.AudioPath;
import io.tandem.telephony.media.MediaDirection;
import io.tandem.telephony.media.MediaSink;
import io.tandem.telephony.media.MediaSource;
import io.tandem.telephony.sip.TlsSettings;
import io.tandem.telephony.ua.Call;
import io.tandem.telephony.ua.CallState;
import io.tandem.telephony.ua.RegistrationState;
import io.tandem.telephony.ua.UserAgent;
import io.tandem.telephony.ua.UserAgentConfig;
import io.tandem.telephony.ua.UserAgentListener;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link PhoneEngine} on telephony's {@link UserAgent}: registration with failover down the node list and a
 * return to the preferred node ({@code ua.Registration}, {@code ua.RegistrarProbe}), calls with RTP media, hold
 * (RFC 3264 §8.4), DTMF (RFC 4733 or INFO), blind transfer (RFC 3515). Audio per call comes from an {@link AudioPath}.
 */
public final class TelephonyPhoneEngine implements PhoneEngine {
    private static final Logger LOG = LoggerFactory.getLogger(TelephonyPhoneEngine.class);
    /** The JDK's documented default password of its {@code cacerts} store (read-only use). */
    private static final String JDK_CACERTS_PASSWORD = "changeit";

    private final EngineSettings settings;
    private final AudioPath audio;
    private final Clock clock;
    private final Map<Call, TelephonyCall> calls = new ConcurrentHashMap<>();
    private volatile UserAgent ua;
    private volatile PhoneListener listener;
    private volatile boolean autoAnswer;
    private volatile RegistrationStatus registration = RegistrationStatus.OFFLINE;
    /** The temporary trust store made from the agent's PEM file, deleted on close; null when none. */
    private volatile Path trustStore;

    public TelephonyPhoneEngine(EngineSettings settings, AudioPath audio, Clock clock) {
        this.settings = settings;
        this.audio = audio;
        this.clock = clock;
    }

    @Override
    public void start(PhoneAccount phoneAccount, PhoneListener phoneListener) throws IOException {
        if (ua != null) {
            throw new IllegalStateException("engine already started");
        }
        SipSecurity security = settings.security();
        TlsSettings tls = security.tls() ? tls(security) : null;
        PhoneAccount account = phoneAccount.withRegistrars(security.registrars(phoneAccount.registrars()));
        this.listener = phoneListener;
        this.autoAnswer = account.autoAnswer();
        InetAddress local = settings.localAddress() != null ? settings.localAddress() : facing(account);
        UserAgentConfig config = UserAgentConfig.of(account.user(), account.domain())
                .withPassword(account.password() == null ? null : new String(account.password()))
                .withRegistrars(account.registrars())
                .withSipPort(settings.sipPort())
                .withRtpPorts(settings.rtpPortMin(), settings.rtpPortMax())
                .withTimeouts(settings.requestTimeout(), settings.probeInterval())
                .withRegisterExpiry(settings.registerExpiry());
        config = new UserAgentConfig(account.displayName(), config.user(), config.domain(), config.password(),
                config.registrars(), local, config.sipPort(), config.rtpPortMin(), config.rtpPortMax(), config.codecs(),
                false, config.registerExpiry(), "Tandem-Phone/0.1", config.requestTimeout(), config.probeInterval(),
                null, tls, security.srtp() != SrtpUse.OFF);
        ua = UserAgent.start(config, new Events());
        LOG.info("phone {} listening on SIP port {}, {}", account, ua.sipPort(), security);
    }

    /**
     * The JDK's TLS for telephony's UA: the agent's PEM certificates as a PKCS12 trust store in a temporary file
     * (what the JAIN-SIP RI reads), or the JDK's own CAs. The phone shows no certificate (digest authenticates it,
     * RFC 3261 §26.3.1), so the trust store also stands as its key store, which holds no key.
     */
    private TlsSettings tls(SipSecurity security) throws IOException {
        Path pem = security.trustedCertificates();
        if (pem == null) {
            Path cacerts = Path.of(System.getProperty("java.home"), "lib", "security", "cacerts");
            return TlsSettings.client(cacerts, JDK_CACERTS_PASSWORD, cacerts, JDK_CACERTS_PASSWORD);
        }
        Path store = Files.createTempFile("tandem-phone-trust-", ".p12");
        trustStore = store;
        String password = UUID.randomUUID().toString();
        try {
            TrustedCertificates.writeTrustStore(pem, store, password.toCharArray());
        } catch (IllegalArgumentException e) {
            throw new IOException("TLS: " + e.getMessage(), e);
        }
        return TlsSettings.client(store, password, store, password);
    }

    /** The local address that routes to the first registrar (loopback for a node on this machine). */
    private static InetAddress facing(PhoneAccount account) {
        if (account.registrars().isEmpty()) {
            return InetAddress.getLoopbackAddress();
        }
        try (DatagramSocket probe = new DatagramSocket()) {
            String registrar = account.registrars().get(0);
            URI uri = URI.create(registrar.replaceFirst("^sips?:", "sip://").replaceFirst(";.*$", ""));
            int port = uri.getPort() < 0 ? 5060 : uri.getPort();
            probe.connect(new InetSocketAddress(InetAddress.getByName(uri.getHost()), port));
            InetAddress local = probe.getLocalAddress();
            return local.isAnyLocalAddress() ? InetAddress.getLoopbackAddress() : local;
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("cannot tell which address faces {}: {}; using loopback", account.registrars(), e.getMessage());
            return InetAddress.getLoopbackAddress();
        }
    }

    @Override
    public RegistrationStatus registration() {
        return registration;
    }

    /** The SIP port the phone listens on (for a peer that calls it directly). */
    public int sipPort() {
        return ua.sipPort();
    }

    @Override
    public String directUri() {
        return ua.contactUri("udp");
    }

    @Override
    public PhoneCall dial(String target) {
        UserAgent agent = requireStarted();
        String problem = SipTargets.problem(target);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        String uri = SipTargets.uri(target, agent.currentRegistrar());
        Call call = agent.call(uri);
        TelephonyCall phoneCall = attach(call, SipTargets.userPart(SipTargets.normalise(target)));
        return phoneCall;
    }

    private UserAgent requireStarted() {
        UserAgent agent = ua;
        if (agent == null) {
            throw new IllegalStateException("engine not started");
        }
        return agent;
    }

    /** Gives a call its audio; a device that fails leaves the call up in silence rather than dropping it. */
    private TelephonyCall attach(Call call, String target) {
        MediaSource microphone = null;
        MediaSink speaker = null;
        try {
            microphone = audio.capture(call.id());
            speaker = audio.playback(call.id());
        } catch (IOException e) {
            LOG.warn("audio for {} unavailable, call goes on without it: {}", call.id(), e.getMessage());
        }
        TelephonyCall phoneCall = new TelephonyCall(call, new MutableSource(microphone), speaker, target);
        calls.put(call, phoneCall);
        return phoneCall;
    }

    @Override
    public void close() {
        UserAgent agent = ua;
        if (agent != null) {
            agent.close();
        }
        calls.values().forEach(TelephonyCall::releaseAudio);
        calls.clear();
        registration = RegistrationStatus.OFFLINE;
        Path store = trustStore;
        if (store != null) {
            try {
                Files.deleteIfExists(store);
            } catch (IOException e) {
                LOG.warn("cannot delete the temporary trust store {}: {}", store, e.getMessage());
            }
        }
    }

    private static RegistrationStatus.Phase phaseOf(RegistrationState state) {
        return switch (state) {
            case UNREGISTERED -> RegistrationStatus.Phase.OFFLINE;
            case REGISTERING -> RegistrationStatus.Phase.REGISTERING;
            case REGISTERED -> RegistrationStatus.Phase.REGISTERED;
            case FAILED -> RegistrationStatus.Phase.FAILED;
        };
    }

    /** Telephony's events, turned into the phone's (on the user agent's one event thread). */
    private final class Events implements UserAgentListener {
        @Override
        public void onRegistration(RegistrationState state, String registrar, int status) {
            registration = new RegistrationStatus(phaseOf(state), registrar, status);
            listener.onRegistration(registration);
        }

        @Override
        public void onIncomingCall(Call call) {
            TelephonyCall phoneCall = attach(call, null);
            listener.onIncomingCall(phoneCall);
            if (autoAnswer) {
                phoneCall.answer();
            }
        }

        @Override
        public void onCallState(Call call, CallState state) {
            TelephonyCall phoneCall = calls.get(call);
            if (phoneCall == null) {
                return;
            }
            if (state == CallState.CONNECTED) {
                phoneCall.connected(clock.instant());
            }
            if (state == CallState.ENDED) {
                calls.remove(call);
                phoneCall.releaseAudio();
            }
            listener.onCallPhase(phoneCall, TelephonyCall.phaseOf(state, call.isIncoming()));
        }

        @Override
        public void onMediaDirection(Call call, MediaDirection direction) {
            TelephonyCall phoneCall = calls.get(call);
            if (phoneCall == null) {
                return;
            }
            boolean held = direction != MediaDirection.SENDRECV;
            if (held != phoneCall.onHold()) {
                phoneCall.held(held);
                listener.onHold(phoneCall, held);
            }
        }

        @Override
        public void onDtmf(Call call, char digit) {
            TelephonyCall phoneCall = calls.get(call);
            if (phoneCall != null) {
                listener.onDtmf(phoneCall, digit);
            }
        }

        @Override
        public void onTransferProgress(Call call, int status) {
            TelephonyCall phoneCall = calls.get(call);
            if (phoneCall != null && status >= 200) {
                listener.onTransferResult(phoneCall, status);
            }
        }
    }
}
