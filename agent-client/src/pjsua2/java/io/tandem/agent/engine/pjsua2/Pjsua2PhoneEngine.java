package io.tandem.agent.engine.pjsua2;

import io.tandem.agent.audio.AudioPath;
import io.tandem.agent.audio.FileAudio;
import io.tandem.agent.audio.SwitchableAudio;
import io.tandem.agent.engine.CallPhase;
import io.tandem.agent.engine.EngineSettings;
import io.tandem.agent.engine.PhoneAccount;
import io.tandem.agent.engine.PhoneCall;
import io.tandem.agent.engine.PhoneEngine;
import io.tandem.agent.engine.PhoneListener;
import io.tandem.agent.engine.RegistrationStatus;
import io.tandem.agent.engine.SipSecurity;
import io.tandem.agent.engine.SipTargets;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.pjsip.pjsua2.CallInfo;
import org.pjsip.pjsua2.CallOpParam;
import org.pjsip.pjsua2.CodecInfo;
import org.pjsip.pjsua2.CodecInfoVector2;
import org.pjsip.pjsua2.Endpoint;
import org.pjsip.pjsua2.EpConfig;
import org.pjsip.pjsua2.pjsip_status_code;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link PhoneEngine} on PJSIP's pjsua2 through JNI: acoustic echo cancellation, ALSA devices, G.711 / G.722 /
 * Opus, RFC 4733 DTMF, hold (RFC 3264 §8.4), blind transfer (RFC 3515), and registration with failover down the
 * node list and back to the preferred node ({@link Pjsua2Registration}).
 *
 * <p>Threads: every call into PJSIP from Java runs on one {@link PjsipThread}, which created the library and so is
 * registered with it. PJSIP's callbacks run on PJSIP's own worker thread; they read what they need and post the rest
 * to that thread, so they never block PJSIP and the listener hears everything on one thread, in order (never the FX
 * thread: the session hands over to it). SWIG objects are deleted explicitly on PJSIP threads, and {@link #close()}
 * ends with {@code libDestroy}. pjsua allows one library per process, so one engine runs at a time.
 */
public final class Pjsua2PhoneEngine implements PhoneEngine {
    private static final Logger LOG = LoggerFactory.getLogger(Pjsua2PhoneEngine.class);
    private static final String USER_AGENT = "Tandem-Phone/0.1 (pjsua2)";
    /** PJSIP's default tail; ALSA headsets echo within it (pjsua's {@code PJSUA_DEFAULT_EC_TAIL_LEN}). */
    private static final int ECHO_TAIL_MS = 200;
    /**
     * The Java engine's order (telephony's {@code Codecs}): G.711 first, as the node bridges to G.711 callers without
     * transcoding, then G.722 and Opus. PJSIP re-offers in this order on every re-INVITE (hold, resume), so a call
     * keeps the codec it started with. Nothing else PJSIP has is offered.
     */
    private static final List<String> CODECS = List.of("PCMU/8000", "PCMA/8000", "G722/16000", "opus/48000");

    private final EngineSettings settings;
    private final AudioPath audio;
    private final Clock clock;
    private final PjsipThread thread = new PjsipThread("pjsua2");
    private final Set<Pjsua2Call> calls = ConcurrentHashMap.newKeySet();
    private final AtomicLong callbackFailures = new AtomicLong();
    private volatile PhoneListener listener;
    private volatile boolean autoAnswer;
    private volatile boolean closed;
    private volatile int sipPort;
    private volatile String localHost;
    private volatile Pjsua2Registration registration;
    /** Created on the PJSIP thread at start. */
    private volatile Pjsua2Transports transports;
    private ScheduledExecutorService probes;
    /** PJSIP thread only. */
    private Endpoint endpoint;
    /** Held so the collector leaves the writer alone while PJSIP (its owner) calls it. */
    private Pjsua2Log log;

    public Pjsua2PhoneEngine(EngineSettings settings, AudioPath audio, Clock clock) {
        String reason = Pjsua2Library.unavailableReason();
        if (reason != null) {
            throw new IllegalStateException("pjsua2 is not available: " + reason);
        }
        this.settings = settings;
        this.audio = audio;
        this.clock = clock;
    }

    @Override
    public void start(PhoneAccount phoneAccount, PhoneListener phoneListener) throws IOException {
        if (listener != null) {
            throw new IllegalStateException("engine already started");
        }
        SipSecurity security = settings.security();
        String caList = security.tls() ? Pjsua2Transports.caList(security) : null;
        this.listener = phoneListener;
        this.autoAnswer = phoneAccount.autoAnswer();
        PhoneAccount account = phoneAccount.withRegistrars(security.registrars(phoneAccount.registrars()));
        Map<String, String> probeTargets = new HashMap<>();
        for (int i = 0; i < account.registrars().size(); i++) {
            probeTargets.put(account.registrars().get(i), phoneAccount.registrars().get(i));
        }
        InetAddress local = settings.localAddress() != null ? settings.localAddress() : facing(account);
        localHost = local.getHostAddress();
        probes = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pjsua2-probe");
            t.setDaemon(true);
            return t;
        });
        try {
            thread.call("start", () -> {
                startLibrary(local, caList);
                registration = new Pjsua2Registration(this, account, probeTargets, settings, local, probes);
                registration.start();
                return null;
            });
        } catch (Exception e) {
            close();
            throw new IOException("pjsua2 did not start: " + e.getMessage(), e);
        }
        LOG.info("phone {} on pjsua2, SIP {}:{}, {}", account, localHost, sipPort, security);
    }

    private void startLibrary(InetAddress local, String caList) throws Exception {
        endpoint = new Endpoint();
        endpoint.libCreate();
        EpConfig config = new EpConfig();
        try {
            config.getUaConfig().setUserAgent(USER_AGENT);
            config.getUaConfig().setThreadCnt(1);
            log = new Pjsua2Log();
            config.getLogConfig().setWriter(log);
            // The endpoint deletes its writer in libDestroy: the Java side must not delete it again.
            log.swigReleaseOwnership();
            // Level 3 (calls, registrations, media) also stays set after libDestroy, when PJSIP logs to stdout
            // again: a later engine's libCreate (level 4 chatter) then prints nothing.
            config.getLogConfig().setLevel(3);
            config.getLogConfig().setConsoleLevel(3);
            boolean files = fileAudio() != null;
            // Files are 8 kHz (telephony's WAVs); a sound card runs the bridge wideband for G.722 and Opus.
            config.getMedConfig().setClockRate(files ? 8000 : 16000);
            config.getMedConfig().setSndClockRate(files ? 8000 : 0);
            config.getMedConfig().setEcTailLen(files ? 0 : ECHO_TAIL_MS);
            // Silence is sent as silence, not suppressed: the far end (and the tests) count frames.
            config.getMedConfig().setNoVad(true);
            endpoint.libInit(config);
        } finally {
            config.delete();
        }
        transports = new Pjsua2Transports(endpoint, settings);
        sipPort = transports.bind(local, caList);
        endpoint.libStart();
        setCodecPriorities();
        if (fileAudio() != null) {
            endpoint.audDevManager().setNullDev();
        } else {
            Pjsua2Devices.choose(endpoint.audDevManager(), audio);
        }
    }

    /** The transport the account's requests must leave by: -1 (PJSIP chooses, by the URI) for UDP. */
    int signallingTransport() {
        return transports.signalling();
    }

    SipSecurity security() {
        return settings.security();
    }

    /** PJSIP's words for a status ({@code pj_strerror}); PJSIP thread. */
    String statusText(int status) {
        return endpoint == null ? String.valueOf(status) : endpoint.utilStrError(status);
    }

    private void setCodecPriorities() throws Exception {
        CodecInfoVector2 codecs = endpoint.codecEnum2();
        try {
            for (CodecInfo codec : codecs) {
                endpoint.codecSetPriority(codec.getCodecId(), (short) 0);
            }
        } finally {
            codecs.delete();
        }
        short priority = 250;
        for (String codec : CODECS) {
            endpoint.codecSetPriority(codec, priority);
            priority -= 10;
        }
    }

    /** The local address that routes to the first registrar (loopback for a node on this machine). */
    private static InetAddress facing(PhoneAccount account) {
        if (account.registrars().isEmpty()) {
            return InetAddress.getLoopbackAddress();
        }
        try (DatagramSocket probe = new DatagramSocket()) {
            probe.connect(NodeProbe.address(account.registrars().get(0)));
            InetAddress local = probe.getLocalAddress();
            return local.isAnyLocalAddress() ? InetAddress.getLoopbackAddress() : local;
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("cannot tell which address faces {}: {}; using loopback", account.registrars(), e.getMessage());
            return InetAddress.getLoopbackAddress();
        }
    }

    @Override
    public RegistrationStatus registration() {
        Pjsua2Registration r = registration;
        return r == null ? RegistrationStatus.OFFLINE : r.status();
    }

    /** The SIP port the phone listens on. */
    public int sipPort() {
        return sipPort;
    }

    @Override
    public String directUri() {
        return "sip:" + registration.user() + "@" + localHost + ":" + sipPort;
    }

    /** The node the phone is registered on, for numbers dialled and transfer targets; null when none. */
    String registrar() {
        return registration().registrar();
    }

    @Override
    public PhoneCall dial(String target) {
        if (registration == null || closed) {
            throw new IllegalStateException("engine not started");
        }
        String problem = SipTargets.problem(target);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        String uri = SipTargets.uri(target, registrar());
        try {
            return thread.call("dial " + uri, () -> {
                CallHandle handle = new CallHandle(registration.account());
                Pjsua2Call call = new Pjsua2Call(this, handle, false, "", uri, callAudio());
                calls.add(call);
                CallOpParam p = new CallOpParam(true);
                try {
                    handle.makeCall(uri, p);
                } catch (Exception e) {
                    calls.remove(call);
                    call.audio().release();
                    handle.delete();
                    throw e;
                } finally {
                    p.delete();
                }
                CallInfo info = handle.getInfo();
                call.id(info.getCallIdString());
                info.delete();
                return call;
            });
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("cannot call " + uri + ": " + e.getMessage(), e);
        }
    }

    // --- from PJSIP's callbacks (PJSIP threads) ---------------------------------------------------------------------

    /** A new INVITE: ring (180) and tell the listener; the offer pairing reads the node's X-Tandem-Offer. */
    void incomingCall(Pjsua2Account account, int callId, String invite) {
        CallHandle handle = new CallHandle(account, callId);
        try {
            CallInfo info = handle.getInfo();
            Pjsua2Call call;
            try {
                call = new Pjsua2Call(this, handle, true, SipHeaders.value(invite, OFFER_HEADER), info.getRemoteUri(),
                        callAudio());
                call.id(info.getCallIdString());
            } finally {
                info.delete();
            }
            calls.add(call);
            CallOpParam ringing = new CallOpParam(true);
            try {
                ringing.setStatusCode(pjsip_status_code.PJSIP_SC_RINGING);
                handle.answer(ringing);
            } finally {
                ringing.delete();
            }
            thread.post("incoming " + call, () -> {
                listener.onIncomingCall(call);
                if (autoAnswer) {
                    call.answer();
                }
            });
        } catch (Exception e) {
            countCallbackFailure("incoming call " + callId, e);
        }
    }

    /** Set by the node on the INVITE that rings an agent for a queue offer. */
    static final String OFFER_HEADER = "X-Tandem-Offer";

    void phaseChanged(Pjsua2Call call, CallPhase phase) {
        thread.post(phase + " " + call, () -> {
            if (phase == CallPhase.ENDED) {
                releaseAfterCallbacks(call);
            }
            listener.onCallPhase(call, phase);
        });
    }

    void holdChanged(Pjsua2Call call, boolean held) {
        thread.post("hold " + held + " " + call, () -> listener.onHold(call, held));
    }

    void dtmfReceived(Pjsua2Call call, char digit) {
        thread.post("DTMF " + digit + " " + call, () -> listener.onDtmf(call, digit));
    }

    void transferResult(Pjsua2Call call, int status) {
        thread.post("transfer " + status + " " + call, () -> listener.onTransferResult(call, status));
    }

    void registrationChanged(RegistrationStatus status) {
        thread.post("registration " + status, () -> listener.onRegistration(status));
    }

    void countCallbackFailure(String what, Exception e) {
        callbackFailures.incrementAndGet();
        LOG.warn("pjsua2: {} failed in a PJSIP callback: {}", what, e.getMessage(), e);
    }

    /** The player, recorder or devices of a new call, per the audio path at the time it starts. */
    private CallAudio callAudio() {
        FileAudio files = fileAudio();
        if (files == null) {
            return CallAudio.soundCard(endpoint.audDevManager());
        }
        return CallAudio.files(endpoint.audDevManager(), files.playFile(), files.nextRecordingFile());
    }

    private FileAudio fileAudio() {
        AudioPath path = audio instanceof SwitchableAudio switchable ? switchable.current() : audio;
        return path instanceof FileAudio files ? files : null;
    }

    /**
     * Frees an ended call once PJSIP's worker thread has left its callbacks: the ENDED phase is posted from inside
     * {@code onCallState}, and deleting the call while that callback is still returning crashed the JVM in
     * {@code SwigDirector_Call::onCallState} (seen once in {@code EngineCyclesIT}).
     */
    private void releaseAfterCallbacks(Pjsua2Call call) {
        if (call.handle().inCallback() && !closed) {
            thread.post("release " + call, () -> releaseAfterCallbacks(call));
            return;
        }
        release(call);
    }

    /** An ended call's player and recorder, and its SWIG object, freed on the PJSIP thread. */
    private void release(Pjsua2Call call) {
        if (calls.remove(call)) {
            call.audio().release();
            call.handle().delete();
        }
    }

    /** Whether {@code call}'s SWIG object still exists (PJSIP thread). */
    boolean live(Pjsua2Call call) {
        return !closed && calls.contains(call);
    }

    boolean hasCalls() {
        return !calls.isEmpty();
    }

    PjsipThread thread() {
        return thread;
    }

    Instant now() {
        return clock.instant();
    }

    /** Calls now up, for the bench's leak check. */
    public int activeCalls() {
        return calls.size();
    }

    /** PJSIP tasks and callbacks that failed since start (each was logged). */
    public long failures() {
        return thread.failures() + callbackFailures.get();
    }

    /** Hangs up, unregisters, and destroys the library ({@code libDestroy}), all on the PJSIP thread. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (probes != null) {
            probes.shutdownNow();
        }
        try {
            thread.call("close", () -> {
                for (Pjsua2Call call : List.copyOf(calls)) {
                    // Deleting a live pjsua2 call hangs it up.
                    release(call);
                }
                if (registration != null) {
                    registration.close();
                }
                if (endpoint != null) {
                    endpoint.libDestroy();
                    endpoint.delete();
                    endpoint = null;
                }
                log = null; // deleted by libDestroy
                return null;
            });
        } catch (Exception e) {
            LOG.warn("pjsua2 did not shut down cleanly: {}", e.getMessage(), e);
        }
        thread.shutdown();
        LOG.info("pjsua2 engine closed ({} failures)", failures());
    }
}
