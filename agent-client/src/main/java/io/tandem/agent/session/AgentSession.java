package io.tandem.agent.session;

import io.tandem.agent.api.AgentApi;
import io.tandem.agent.api.AgentSocket;
import io.tandem.agent.api.AgentSocketListener;
import io.tandem.agent.api.ApiException;
import io.tandem.agent.engine.CallPhase;
import io.tandem.agent.engine.PhoneAccount;
import io.tandem.agent.engine.PhoneCall;
import io.tandem.agent.engine.PhoneEngine;
import io.tandem.agent.engine.PhoneListener;
import io.tandem.agent.engine.RegistrationStatus;
import io.tandem.protocol.AgentLogin;
import io.tandem.protocol.AgentState;
import io.tandem.protocol.AgentStatus;
import io.tandem.protocol.CallbackWake;
import io.tandem.protocol.CallbackWakeEnded;
import io.tandem.protocol.NodeEndpoint;
import io.tandem.protocol.Offer;
import io.tandem.protocol.OfferEnded;
import io.tandem.protocol.QueueFigures;
import io.tandem.protocol.StateChange;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One agent's working session, the same in the window and headless: log in to the backend, register the phone to
 * the nodes it names (failing over down the list), keep the agent WebSocket open, match ringing calls to queue
 * offers by Call-ID, change state, log out. Blocking steps run on the caller's thread (the background executor);
 * every {@link SessionListener} call is handed to {@code callbacks} (the FX thread in the window).
 */
public final class AgentSession implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AgentSession.class);

    private final PhoneEngine engine;
    private final ScheduledExecutorService scheduler;
    private final Executor callbacks;
    private final Clock clock;
    private final SessionListener listener;
    private final Map<String, Offer> offersByCallId = new ConcurrentHashMap<>();
    private final Map<String, Offer> offersById = new ConcurrentHashMap<>();
    private final Map<String, PhoneCall> ringingByOfferId = new ConcurrentHashMap<>();
    private volatile boolean autoAnswer;
    private volatile AgentApi api;
    private volatile AgentSocket socket;
    private volatile AgentLogin login;

    public AgentSession(PhoneEngine engine, ScheduledExecutorService scheduler, Executor callbacks, Clock clock,
                        SessionListener listener) {
        this.engine = engine;
        this.scheduler = scheduler;
        this.callbacks = callbacks;
        this.clock = clock;
        this.listener = listener;
    }

    public void setAutoAnswer(boolean on) {
        autoAnswer = on;
    }

    public boolean autoAnswer() {
        return autoAnswer;
    }

    /** The login answer, or null before login. */
    public AgentLogin login() {
        return login;
    }

    public PhoneEngine engine() {
        return engine;
    }

    /**
     * Logs in, registers the phone and opens the WebSocket. Blocking (HTTP): call it off the FX thread. The password
     * is used for the login and the SIP digest, then wiped by the caller.
     */
    public AgentLogin open(LoginRequest request) throws ApiException, IOException {
        AgentApi client = AgentApi.of(request.backendUrl());
        AgentLogin answer = client.login(request.tenant(), request.agentId(), request.password());
        this.api = client;
        this.login = answer;
        List<String> registrars = answer.nodes().stream().map(NodeEndpoint::sipUri)
                .filter(uri -> uri != null && !uri.isBlank()).toList();
        PhoneAccount account = new PhoneAccount(answer.displayName(), answer.sip().username(), answer.sip().domain(),
                request.password().clone(), registrars, false);
        engine.start(account, new EngineEvents());
        List<URI> httpNodes = new ArrayList<>();
        for (NodeEndpoint node : answer.nodes()) {
            if (node.httpUrl() != null && !node.httpUrl().isBlank()) {
                httpNodes.add(URI.create(node.httpUrl()));
            }
        }
        if (httpNodes.isEmpty()) {
            httpNodes.add(client.base());
        }
        socket = new AgentSocket(httpNodes, answer.token(), new SocketEvents(), scheduler, clock);
        socket.connect();
        if (answer.status() != null) {
            post(l -> l.onAgentStatus(answer.status()));
        }
        LOG.info("agent {}@{} logged in; nodes {}", answer.agentId(), answer.tenant(), registrars);
        return answer;
    }

    /** Asks for a state (Available, Not ready with a reason, or Available from wrap-up: "done"). Blocking. */
    public AgentStatus changeState(AgentState state, String reason) throws ApiException {
        AgentStatus status = requireApi().changeState(new StateChange(state, reason));
        post(l -> l.onAgentStatus(status));
        return status;
    }

    /**
     * Joins a parked caller's room: dials the wake's {@code joinUri} ({@code join*<token>} at the room's node), which
     * lets this agent into the room with its one-time token; the node logs the agent in as on call. Returns at once.
     */
    public PhoneCall join(CallbackWake wake) {
        if (!wake.joinUri().startsWith("sip:")) {
            throw new IllegalArgumentException("the wake for room " + wake.room() + " names nowhere to dial");
        }
        LOG.info("joining room {} (caller {}, queue {})", wake.room(), wake.callerNumber(), wake.queue());
        return engine.dial(wake.joinUri());
    }

    public List<QueueFigures> queues() throws ApiException {
        return requireApi().queues();
    }

    private AgentApi requireApi() {
        AgentApi client = api;
        if (client == null) {
            throw new IllegalStateException("not logged in");
        }
        return client;
    }

    /** Logs out at the backend (best effort), closes the WebSocket and unregisters the phone. Blocking. */
    @Override
    public void close() {
        AgentSocket s = socket;
        if (s != null) {
            s.close();
        }
        AgentApi client = api;
        if (client != null && client.token() != null) {
            try {
                client.logout();
            } catch (ApiException | RuntimeException e) {
                LOG.info("logout at the backend failed: {}", e.getMessage());
            }
        }
        engine.close();
    }

    /**
     * The offer a ringing call belongs to. A node's INVITE names it in X-Tandem-Offer; its Call-ID is the agent leg's
     * own, while the offer names the caller's call, so the offer is handed on with this leg's Call-ID (what the
     * window keys calls by). A call without the header is matched by Call-ID.
     */
    private Offer matching(PhoneCall call) {
        String offerId = call.offerId();
        if (offerId.isEmpty()) {
            return offersByCallId.get(call.id());
        }
        ringingByOfferId.put(offerId, call);
        Offer offer = offersById.get(offerId);
        return offer == null ? offersByCallId.get(call.id()) : forLeg(offer, call);
    }

    private static Offer forLeg(Offer offer, PhoneCall leg) {
        return new Offer(offer.offerId(), leg.id(), offer.queue(), offer.queueName(), offer.callerNumber(),
                offer.callerName(), offer.waitedSeconds(), offer.ringTimeoutSeconds(), offer.data());
    }

    private void post(java.util.function.Consumer<SessionListener> event) {
        callbacks.execute(() -> event.accept(listener));
    }

    private final class EngineEvents implements PhoneListener {
        @Override
        public void onRegistration(RegistrationStatus status) {
            post(l -> l.onRegistration(status));
        }

        @Override
        public void onIncomingCall(PhoneCall call) {
            Offer offer = matching(call);
            post(l -> l.onIncomingCall(call, offer));
            if (autoAnswer) {
                call.answer();
            }
        }

        @Override
        public void onCallPhase(PhoneCall call, CallPhase phase) {
            if (phase == CallPhase.ENDED) {
                offersByCallId.remove(call.id());
                if (!call.offerId().isEmpty()) {
                    ringingByOfferId.remove(call.offerId(), call);
                    offersById.remove(call.offerId());
                }
            }
            post(l -> l.onCallPhase(call, phase));
        }

        @Override
        public void onHold(PhoneCall call, boolean held) {
            post(l -> l.onHold(call, held));
        }

        @Override
        public void onTransferResult(PhoneCall call, int status) {
            post(l -> l.onTransferResult(call, status));
        }
    }

    private final class SocketEvents implements AgentSocketListener {
        @Override
        public void onConnection(boolean connected, String node) {
            post(l -> l.onSocket(connected, node));
        }

        @Override
        public void onAgentState(AgentStatus status) {
            post(l -> l.onAgentStatus(status));
        }

        @Override
        public void onOffer(Offer offer) {
            // The offer may come just before or just after its INVITE; X-Tandem-Offer (else the Call-ID) ties them.
            offersById.put(offer.offerId(), offer);
            offersByCallId.put(offer.callId(), offer);
            PhoneCall leg = ringingByOfferId.get(offer.offerId());
            Offer shown = leg == null ? offer : forLeg(offer, leg);
            post(l -> l.onOffer(shown));
        }

        @Override
        public void onOfferEnded(OfferEnded ended) {
            offersByCallId.values().removeIf(o -> o.offerId().equals(ended.offerId()));
            offersById.remove(ended.offerId());
            ringingByOfferId.remove(ended.offerId());
            post(l -> l.onOfferEnded(ended));
        }

        @Override
        public void onQueueFigures(QueueFigures figures) {
            post(l -> l.onQueueFigures(figures));
        }

        @Override
        public void onCallbackWake(CallbackWake wake) {
            post(l -> l.onCallbackWake(wake));
        }

        @Override
        public void onCallbackWakeEnded(CallbackWakeEnded ended) {
            post(l -> l.onCallbackWakeEnded(ended));
        }

        @Override
        public void onError(String detail) {
            post(l -> l.onNotice(detail));
        }
    }
}
