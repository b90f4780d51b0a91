package io.tandem.telephony.ua;

import io.tandem.telephony.rtp.MediaStreamFactory;
import io.tandem.telephony.rtp.RtpMediaStreamFactory;
import io.tandem.telephony.sip.SipEndpoint;
import io.tandem.telephony.sip.SipHandler;
import io.tandem.telephony.sip.SipMessages;
import io.tandem.telephony.sip.auth.DigestClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import javax.sip.ClientTransaction;
import javax.sip.IOExceptionEvent;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.TimeoutEvent;
import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import java.io.IOException;
import java.text.ParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A SIP user agent for one account: registration with failover, calls both ways with
 * offer/answer and RTP media, hold, DTMF and blind transfer. All SIP work runs on one
 * signalling thread per user agent (no locks in the call logic); the application hears about
 * it on one event thread through {@link UserAgentListener}.
 */
public final class UserAgent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UserAgent.class);
    private static final String ALLOW = "INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, REFER, NOTIFY, UPDATE";
    /** How long an ended call still answers retransmitted BYEs before it is forgotten. */
    private static final long LINGER_SECONDS = 8;

    private final UserAgentConfig config;
    private final MediaStreamFactory mediaFactory;
    private final EventQueue events;
    private final ScheduledThreadPoolExecutor signalling;
    private final DigestClient digest = new DigestClient();
    private final Map<String, Call> calls = new ConcurrentHashMap<>();
    private SipEndpoint endpoint;
    private Registration registration;
    /** Set when this user agent made its media factory and so must close it. */
    private MediaStreamFactory ownedMedia;

    private UserAgent(UserAgentConfig config, MediaStreamFactory mediaFactory, UserAgentListener listener) {
        this.config = config;
        this.mediaFactory = mediaFactory;
        this.events = new EventQueue("ua-" + config.user() + "-events", listener);
        this.signalling = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "ua-" + config.user() + "-sip");
            t.setDaemon(true);
            return t;
        });
        this.signalling.setRemoveOnCancelPolicy(true);
    }

    /**
     * Starts the user agent: binds SIP on the configured address and port and, when registrars
     * are configured, starts registering. {@code mediaFactory} stays owned by the caller.
     */
    public static UserAgent start(UserAgentConfig config, MediaStreamFactory mediaFactory,
                                  UserAgentListener listener) throws IOException {
        UserAgent ua = new UserAgent(config, mediaFactory, listener);
        ua.endpoint = SipEndpoint.open(config.localAddress(), config.sipPort(), config.userAgent(), ua.new Handler(),
                SipEndpoint.StackLimits.USER_AGENT, config.tls());
        ua.registration = new Registration(ua.endpoint, config, ua.signalling, ua.events);
        ua.signalling.execute(ua.registration::start);
        return ua;
    }

    /**
     * Starts a user agent with its own RTP engine on the configured port range
     * ({@link UserAgentConfig#rtpPortMin()}..{@link UserAgentConfig#rtpPortMax()}), closed with it.
     */
    public static UserAgent start(UserAgentConfig config, UserAgentListener listener) throws IOException {
        RtpMediaStreamFactory media = new RtpMediaStreamFactory(config.rtpPortMin(), config.rtpPortMax());
        try {
            UserAgent ua = start(config, media, listener);
            ua.ownedMedia = media;
            return ua;
        } catch (IOException | RuntimeException e) {
            media.close();
            throw e;
        }
    }

    /** Calls {@code target} (a SIP URI, e.g. {@code sip:bob@127.0.0.1:5062;transport=tcp}). */
    public Call call(String target) {
        return call(target, Map.of());
    }

    /**
     * Calls {@code target} with extra headers on the INVITE (kept on its authenticated retry), such as what an IVR
     * in front of a call center tells it about the caller.
     */
    public Call call(String target, Map<String, String> headers) {
        URI uri;
        Address to;
        try {
            uri = endpoint.messages().addresses().createURI(target);
            to = endpoint.messages().addresses().createAddress(uri);
        } catch (ParseException e) {
            throw new IllegalArgumentException("not a SIP URI: " + target, e);
        }
        Call call = new Call(this, SipMessages.newToken() + "@tandem", false, uri.toString());
        calls.put(call.callId, call);
        onSignalling(call, () -> call.session.placeCall(uri, to, headers));
        return call;
    }

    /** A new outgoing call placed on the signalling thread (transfer target). */
    Call placeCall(URI target, Address to, Call origin) {
        Call call = new Call(this, SipMessages.newToken() + "@tandem", false, target.toString());
        call.session.transfer.origin = origin;
        call.setSource(origin.source());
        call.setSink(origin.sink());
        calls.put(call.callId, call);
        call.session.placeCall(target, to);
        return call;
    }

    public RegistrationState registrationState() {
        return registration.state();
    }

    /** The registrar currently in use (null without registrars). */
    public String currentRegistrar() {
        return registration.currentRegistrar();
    }

    /** The SIP port this user agent listens on (UDP and TCP). */
    public int sipPort() {
        return endpoint.port();
    }

    /** A URI that reaches this user agent directly, e.g. {@code sip:alice@127.0.0.1:5070}. */
    public String contactUri(String transport) {
        return endpoint.messages().contact(config.user(), transport).getAddress().getURI().toString();
    }

    /** The endpoint underneath, for counters ({@link SipEndpoint#droppedMalformed()}). */
    public SipEndpoint endpoint() {
        return endpoint;
    }

    public UserAgentConfig config() {
        return config;
    }

    /** Calls in progress. */
    public List<Call> calls() {
        return calls.values().stream().filter(c -> c.state() != CallState.ENDED).toList();
    }

    // ------------------------------------------------------------ package API for calls

    MediaStreamFactory mediaFactory() {
        return mediaFactory;
    }

    EventQueue events() {
        return events;
    }

    DigestClient digest() {
        return digest;
    }

    Address addressOfRecord() throws ParseException {
        SipURI aor = endpoint.messages().addresses().createSipURI(config.user(), config.domain());
        Address address = endpoint.messages().addresses().createAddress(aor);
        if (!config.displayName().isEmpty()) {
            address.setDisplayName(config.displayName());
        }
        return address;
    }

    void onSignalling(Call call, Runnable action) {
        try {
            signalling.execute(() -> withCallId(call.callId, action));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("user agent closed, action on {} ignored", call.callId);
        }
    }

    void schedule(Call call, Runnable action, long delay, TimeUnit unit) {
        signalling.schedule(() -> withCallId(call.callId, action), delay, unit);
    }

    void onCallStateChanged(Call call, CallState state) {
        Call origin = call.session.transfer.origin;
        if (origin != null) {
            origin.session.transfer.onReplacementState(call, state);
        }
    }

    void forget(Call call) {
        signalling.schedule(() -> calls.remove(call.callId, call), LINGER_SECONDS, TimeUnit.SECONDS);
    }

    private static void withCallId(String callId, Runnable action) {
        MDC.put("callId", callId);
        try {
            action.run();
        } catch (RuntimeException e) {
            LOG.warn("signalling action failed", e);
        } finally {
            MDC.remove("callId");
        }
    }

    // ------------------------------------------------------------ dispatch

    /**
     * A new INVITE of a Call-ID whose call we ended (refused): a retransmission has the same CSeq, a new request a
     * higher one (RFC 3261 §8.1.3.5: a UAC may send an INVITE a 4xx refused again with what it asked for, here a B2BUA
     * offering plain RTP after our 488 to its SRTP offer), which is a new call.
     */
    private static boolean endedAndRetried(Call call, Request request) {
        if (call.state() != CallState.ENDED || call.invite == null) {
            return false;
        }
        long before = ((CSeqHeader) call.invite.getHeader(CSeqHeader.NAME)).getSeqNumber();
        return ((CSeqHeader) request.getHeader(CSeqHeader.NAME)).getSeqNumber() > before;
    }

    private void onRequest(RequestEvent event, ServerTransaction st) {
        Request request = event.getRequest();
        String method = request.getMethod();
        String callId = ((CallIdHeader) request.getHeader(CallIdHeader.NAME)).getCallId();
        Call call = calls.get(callId);
        boolean inDialog = ((ToHeader) request.getHeader(ToHeader.NAME)).getTag() != null;
        switch (method) {
            case Request.INVITE -> {
                if (!inDialog) {
                    if (call != null && !endedAndRetried(call, request)) {
                        return; // a retransmission the transaction layer did not absorb
                    }
                    Call incoming = new Call(this, callId, true, InviteSession.fromUri(request));
                    calls.put(callId, incoming);
                    incoming.session.onInitialInvite(event, st);
                } else if (call != null && call.state() == CallState.CONNECTED) {
                    call.session.reinvite.onIncoming(event, st);
                } else {
                    respond(st, request, 481);
                }
            }
            case Request.ACK -> {
                if (call != null) {
                    call.session.onAck(event);
                }
            }
            case Request.CANCEL -> {
                if (call != null) {
                    call.session.onCancel(event, st);
                } else {
                    respond(st, request, 481);
                }
            }
            case Request.BYE -> {
                if (call != null) {
                    call.session.onBye(event, st);
                } else {
                    respond(st, request, 481);
                }
            }
            case Request.INFO -> ifInDialog(call, st, request, () -> call.session.dtmf.onInfo(event, st));
            case Request.REFER -> ifInDialog(call, st, request, () -> call.session.transfer.onRefer(event, st));
            case Request.NOTIFY -> ifInDialog(call, st, request, () -> call.session.transfer.onNotify(event, st));
            case Request.UPDATE -> ifInDialog(call, st, request, () -> call.session.refresh.onUpdate(event, st));
            case Request.OPTIONS -> {
                Response ok = endpoint.messages().responseTo(request, 200);
                try {
                    ok.setHeader(endpoint.messages().headers().createAllowHeader(ALLOW));
                    ok.setHeader(endpoint.messages().headers().createAcceptHeader("application", "sdp"));
                } catch (ParseException e) {
                    LOG.debug("bad Allow", e);
                }
                send(st, ok);
            }
            default -> {
                // RFC 3261 §8.2.1: a method we know nothing of gets 405 with Allow.
                Response notAllowed = endpoint.messages().responseTo(request, 405);
                try {
                    notAllowed.setHeader(endpoint.messages().headers().createAllowHeader(ALLOW));
                } catch (ParseException e) {
                    LOG.debug("bad Allow", e);
                }
                send(st, notAllowed);
            }
        }
    }

    private void ifInDialog(Call call, ServerTransaction st, Request request, Runnable action) {
        if (call == null || call.state() == CallState.ENDED || call.dialog == null) {
            respond(st, request, 481);
        } else {
            action.run();
        }
    }

    private void respond(ServerTransaction st, Request request, int status) {
        send(st, endpoint.messages().responseTo(request, status));
    }

    private void send(ServerTransaction st, Response response) {
        try {
            if (st != null) {
                st.sendResponse(response);
            } else {
                endpoint.respondStateless(response);
            }
        } catch (Exception e) {
            LOG.debug("cannot send {}: {}", response.getStatusCode(), e.getMessage());
        }
    }

    private void onResponse(ResponseEvent event) {
        Response response = event.getResponse();
        CSeqHeader cseq = (CSeqHeader) response.getHeader(CSeqHeader.NAME);
        String method = cseq.getMethod();
        if (Request.REGISTER.equals(method) || Request.OPTIONS.equals(method)) {
            registration.onResponse(event.getClientTransaction(), response);
            return;
        }
        Call call = calls.get(((CallIdHeader) response.getHeader(CallIdHeader.NAME)).getCallId());
        if (call == null) {
            return;
        }
        switch (method) {
            case Request.INVITE -> call.session.onInviteResponse(event);
            case Request.REFER -> call.session.transfer.onReferResponse(event);
            default -> {
                // BYE, INFO, NOTIFY, CANCEL: nothing to do with their answers
            }
        }
    }

    private void onTimeout(ClientTransaction tx) {
        if (tx == null) {
            return;
        }
        Request request = tx.getRequest();
        String method = request.getMethod();
        if (Request.REGISTER.equals(method) || Request.OPTIONS.equals(method)) {
            registration.onTimeoutOrTransportError(tx);
            return;
        }
        Call call = calls.get(((CallIdHeader) request.getHeader(CallIdHeader.NAME)).getCallId());
        if (call != null && Request.INVITE.equals(method) && tx == call.inviteTx) {
            call.end(408);
        }
    }

    /** The SIP stack's listener: hands everything to the signalling thread at once. */
    private final class Handler implements SipHandler {
        @Override
        public void onRequest(RequestEvent event) {
            // The server transaction is made here, on the stack's thread, so a retransmission
            // arriving meanwhile is absorbed by it (RFC 3261 §17.2.1) instead of racing us.
            Optional<ServerTransaction> st = endpoint.serverTransaction(event);
            if (st.isEmpty() && !Request.ACK.equals(event.getRequest().getMethod())) {
                return;
            }
            ServerTransaction tx = st.orElse(null);
            execute(event.getRequest(), () -> UserAgent.this.onRequest(event, tx));
        }

        @Override
        public void onResponse(ResponseEvent event) {
            execute(event.getResponse(), () -> UserAgent.this.onResponse(event));
        }

        @Override
        public void onTimeout(TimeoutEvent event) {
            if (!event.isServerTransaction()) {
                ClientTransaction tx = event.getClientTransaction();
                signalling.execute(() -> UserAgent.this.onTimeout(tx));
            }
        }

        @Override
        public void onTransportError(IOExceptionEvent event) {
            signalling.execute(() -> registration.onTransportError(event.getHost(), event.getPort()));
        }

        private void execute(javax.sip.message.Message message, Runnable action) {
            CallIdHeader callId = (CallIdHeader) message.getHeader(CallIdHeader.NAME);
            try {
                signalling.execute(() -> withCallId(callId == null ? "-" : callId.getCallId(), action));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                LOG.debug("user agent closing, message dropped");
            }
        }
    }

    /** Hangs up every call, unregisters (waiting up to the request timeout) and releases the SIP ports. */
    @Override
    public void close() {
        CountDownLatch unregistered = new CountDownLatch(1);
        try {
            signalling.execute(() -> {
                for (Call call : calls.values()) {
                    withCallId(call.callId, call.session::hangup);
                }
                registration.unregister(unregistered);
            });
            unregistered.await(config.requestTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("already closed");
        }
        signalling.execute(registration::close);
        signalling.shutdown();
        try {
            signalling.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        endpoint.close();
        if (ownedMedia != null) {
            ownedMedia.close();
        }
        events.close();
    }
}
