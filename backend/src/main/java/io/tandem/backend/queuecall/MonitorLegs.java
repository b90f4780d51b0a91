package io.tandem.backend.queuecall;

import io.tandem.backend.call.ServiceNumbers;
import io.tandem.backend.node.sip.InboundRequest;
import io.tandem.backend.node.sip.SipFeature;
import io.tandem.backend.node.sip.OutgoingBranch;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.routing.Route;
import io.tandem.protocol.LiveCall;
import io.tandem.protocol.Monitor;
import io.tandem.telephony.codec.Codecs;
import io.tandem.telephony.sdp.NegotiatedMedia;
import io.tandem.telephony.sip.SipMessages;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.TimeoutEvent;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.message.Message;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live calls whose media this node holds, and their supervisor monitors. Keeps the node's part of the live
 * list ({@link LiveCalls}): queue calls once an agent answered, parked callers' rooms (alone, then joined), callback
 * tickets (dialling, then connected), each with the media a supervisor may be joined to ({@link Monitorable}: a
 * {@link CallBridge} or a room's mixer) once caller and agent talk. Takes the monitor commands published on this
 * node's channel, calls the supervisor's extension (locally or over the trunk, routed like an offer) and taps the
 * answered leg into that media. As a {@link ServiceNumbers} it serves no number but owns the supervisor legs'
 * dialogs (their BYE), as a {@link SipFeature} it hears the responses to their INVITEs. Redis writes run on
 * {@code background}, never on a SIP or Lettuce thread.
 */
final class MonitorLegs implements ServiceNumbers, SipFeature {

    private static final Logger log = LoggerFactory.getLogger(MonitorLegs.class);

    /** A listed call of this node; {@code media} null while nobody can be joined to it (parked, dialling). */
    private record Listed(String tenant, LiveCall call, Monitorable media) {
    }

    private final QueueCalls calls;
    private final LiveCalls live;
    private final ExecutorService background;
    private final long ringSeconds;
    private final Map<String, Listed> listed = new ConcurrentHashMap<>();
    /** Guarded by this: the supervisor leg of each monitored call (by queue call id), and by the leg's Call-ID. */
    private final Map<String, MonitorLeg> byCall = new ConcurrentHashMap<>();
    private final Map<String, MonitorLeg> byLeg = new ConcurrentHashMap<>();

    MonitorLegs(QueueCalls calls, LiveCalls live, ExecutorService background, long ringSeconds) {
        this.calls = calls;
        this.live = live;
        this.background = background;
        this.ringSeconds = ringSeconds;
        calls.watch(this);
    }

    /**
     * A call of this node is listed, or its entry changes (a parked caller joined, a ticket's customer answered),
     * under the call's monitor: no Redis here. An entry keeps the time it was first listed.
     */
    void listed(String tenant, LiveCall call, Monitorable media) {
        Listed before = listed.get(call.callId());
        LiveCall entry = before == null ? call
                : before.call().now(call.state(), call.agentId(), call.agentNode(), call.answeredAt());
        listed.put(call.callId(), new Listed(tenant, entry, media));
        // owed: retried every second while Redis is away, so the list catches up after an outage; a late retry
        // writes the entry as it is then, and nothing for a call that ended
        later("live call " + call.callId(), () -> calls.recorder.owed("live call " + call.callId(),
                () -> {
                    Listed now = listed.get(call.callId());
                    if (now != null) {
                        live.put(tenant, now.call());
                    }
                }));
    }

    /** A listed call of this node ended (or left the list): its entry goes, its supervisor gets a BYE. */
    void ended(String tenant, String callId) {
        Listed gone = listed.remove(callId);
        if (gone == null) {
            return;
        }
        synchronized (this) {
            MonitorLeg leg = byCall.get(callId);
            if (leg != null) {
                hangUp(leg, "call-ended");
            }
        }
        later("live call " + callId + " ended", () -> calls.recorder.owed("end of live call " + callId,
                () -> live.remove(tenant, callId)));
    }

    // ---- commands from the node that took the REST request

    /** A command published on this node's monitor channel (Lettuce's thread: handed off at once). */
    void received(String message) {
        MonitorCommand command = live.read(message, MonitorCommand.class);
        if (command == null) {
            log.warn("unreadable monitor command on {}", Keys.nodeMonitors(calls.signalling.nodeId()));
            return;
        }
        later("monitor command " + command.op() + " for " + command.callId(), () -> apply(command));
    }

    private void apply(MonitorCommand command) {
        switch (command.op()) {
            case MonitorCommand.START -> start(command);
            case MonitorCommand.MODE -> changeMode(command);
            case MonitorCommand.STOP -> stop(command);
            default -> log.warn("unknown monitor command {}", command.op());
        }
    }

    /** Redis is read first, outside the lock a call's end (on a SIP thread) may wait for. */
    private void start(MonitorCommand command) {
        Optional<Monitor> monitor = live.monitor(command.tenant(), command.callId())
                .filter(m -> m.monitorId().equals(command.monitorId()));
        Route route = monitor.isEmpty() ? new Route.Offline()
                : calls.legs.route(command.tenant(), command.extension());
        start(command, monitor, route);
    }

    private synchronized void start(MonitorCommand command, Optional<Monitor> monitor, Route route) {
        Listed call = listed.get(command.callId());
        MonitorMode mode = MonitorMode.parse(command.mode()).orElse(MonitorMode.LISTEN);
        if (monitor.isEmpty() || call == null || call.media() == null || byCall.containsKey(command.callId())) {
            log.info("monitor {} of {} not started: {}", command.monitorId(), command.callId(),
                    monitor.isEmpty() ? "withdrawn" : call == null ? "the call is over"
                            : call.media() == null ? "nobody talks yet" : "already monitored");
            monitor.ifPresent(m -> gone(command.tenant(), m, call == null ? "" : call.call().queue(),
                    call == null ? "" : call.call().agentId(), call == null ? "call-ended" : "not-connected"));
            return;
        }
        if (!(route instanceof Route.Ring ring)) {
            gone(command.tenant(), monitor.get(), call.call().queue(), call.call().agentId(), "unreachable");
            return;
        }
        OutgoingMedia media;
        try {
            media = calls.media.outgoing();
        } catch (IOException e) {
            gone(command.tenant(), monitor.get(), call.call().queue(), call.call().agentId(), "no-media-port");
            return;
        }
        MonitorLeg leg = new MonitorLeg(command.tenant(), monitor.get(), mode,
                calls.signalling.branch(SipMessages.newToken() + "@tandem"), media.stream(), media.negotiator(),
                call.call().queue(), call.call().agentId());
        var target = ring.targets().get(0); // the freshest binding, as the router orders them
        byLeg.put(leg.callId(), leg);
        byCall.put(command.callId(), leg);
        String display = "Monitor " + call.call().queue() + " agent " + call.call().agentId();
        if (!leg.invite(calls.signalling, target, call.call().queue(), display,
                calls.legs.offerTo(target, true, media.offer()))) {
            forget(leg);
            media.stream().close();
            gone(command.tenant(), monitor.get(), leg.queue, leg.agent, "unreachable");
            return;
        }
        leg.ringTimer = calls.threads.timers().schedule(() -> ringTimeout(leg), ringSeconds, TimeUnit.SECONDS);
        log.info("{}: ringing the supervisor ({})", leg, mode.wire());
    }

    private synchronized void changeMode(MonitorCommand command) {
        MonitorLeg leg = byCall.get(command.callId());
        Optional<MonitorMode> mode = MonitorMode.parse(command.mode());
        if (leg == null || mode.isEmpty() || !leg.monitor.monitorId().equals(command.monitorId())) {
            return;
        }
        leg.mode = mode.get();
        leg.monitor = leg.monitor.withMode(mode.get().wire());
        Listed call = listed.get(command.callId());
        if (call != null && call.media() != null && leg.state == MonitorLeg.State.CONNECTED) {
            call.media().mode(mode.get());
        }
        Monitor now = leg.monitor;
        later("monitor changed", () -> live.event(leg.tenant, "monitor.changed", leg.queue, leg.agent, now, null));
        log.info("{}: now {}", leg, mode.get().wire());
    }

    private synchronized void stop(MonitorCommand command) {
        MonitorLeg leg = byCall.get(command.callId());
        if (leg == null || !leg.monitor.monitorId().equals(command.monitorId())) {
            // not started yet (or already over): withdrawn, so a start still on its way finds nothing to do
            later("monitor withdrawn", () -> live.dropMonitor(command.tenant(), command.callId(),
                    command.monitorId()));
            return;
        }
        hangUp(leg, "stopped");
    }

    private synchronized void ringTimeout(MonitorLeg leg) {
        if (leg.state == MonitorLeg.State.RINGING) {
            hangUp(leg, "no-answer");
        }
    }

    /** Ends a supervisor leg from our side: BYE once answered, CANCEL while it rings. */
    private void hangUp(MonitorLeg leg, String reason) {
        if (leg.state == MonitorLeg.State.CONNECTED) {
            leg.branch.bye();
        } else if (leg.state == MonitorLeg.State.RINGING) {
            leg.branch.cancel();
        }
        finish(leg, reason);
    }

    /** The leg is over (whoever ended it): untapped, stream closed, the monitor gone from Redis, event sent. */
    private void finish(MonitorLeg leg, String reason) {
        if (leg.state == MonitorLeg.State.ENDED) {
            return;
        }
        boolean wasRinging = leg.state == MonitorLeg.State.RINGING;
        leg.state = MonitorLeg.State.ENDED;
        if (leg.ringTimer != null) {
            leg.ringTimer.cancel(false);
        }
        Listed call = listed.get(leg.monitor.callId());
        if (call != null && call.media() != null && !wasRinging) {
            call.media().untap();
        }
        leg.stream.close();
        byCall.remove(leg.monitor.callId(), leg);
        forgetLater(leg);
        gone(leg.tenant, leg.monitor, leg.queue, leg.agent, reason);
        log.info("{}: ended ({})", leg, reason);
    }

    private void gone(String tenant, Monitor monitor, String queue, String agent, String reason) {
        later("monitor ended", () -> {
            live.dropMonitor(tenant, monitor.callId(), monitor.monitorId());
            live.event(tenant, "monitor.ended", queue, agent, monitor, reason);
        });
    }

    // ---- SIP

    @Override
    public synchronized void onResponse(ResponseEvent event) {
        MonitorLeg leg = byLeg.get(callId(event.getResponse()));
        if (leg == null) {
            return;
        }
        Response response = event.getResponse();
        CSeqHeader cseq = (CSeqHeader) response.getHeader(CSeqHeader.NAME);
        if (!Request.INVITE.equals(cseq.getMethod())) {
            return;
        }
        int status = response.getStatusCode();
        if (leg.placed.offeredPlainAfter(status, calls.signalling, leg.branch, event.getClientTransaction(), leg)) {
            return; // a TLS supervisor phone without SRTP gets the plain offer (CalleeSrtp)
        }
        // The branch sends a CANCEL held back until now, ACKs and BYEs an answer that crossed our CANCEL, and ACKs a
        // retransmitted 2xx again; what is left is the monitor's.
        OutgoingBranch.Step step = leg.branch.onResponse(event.getClientTransaction(), event.getDialog(), status,
                cseq.getSeqNumber());
        if (leg.state == MonitorLeg.State.ENDED) {
            return;
        }
        switch (step) {
            case ANSWERED -> answered(leg, response);
            case ENDED -> finish(leg, status == Response.REQUEST_TERMINATED ? "stopped" : "declined-" + status);
            default -> {
            }
        }
    }

    /** The supervisor's phone answered (the branch ACKed it). */
    private void answered(MonitorLeg leg, Response response) {
        Listed call = listed.get(leg.monitor.callId());
        if (call == null || call.media() == null) {
            leg.branch.bye(); // the call ended while the supervisor's phone rang
            leg.state = MonitorLeg.State.CONNECTED;
            finish(leg, "call-ended");
            return;
        }
        NegotiatedMedia media;
        try {
            media = leg.placed.accept(SipMessages.bodyText(response), leg.negotiator, leg.stream);
        } catch (Exception e) {
            leg.branch.bye();
            leg.state = MonitorLeg.State.CONNECTED;
            finish(leg, "unusable-sdp");
            return;
        }
        if (leg.ringTimer != null) {
            leg.ringTimer.cancel(false);
        }
        leg.stream.start(media.remoteRtp(), Codecs.create(media.codec()), media.telephoneEventPayloadType());
        try {
            call.media().tap(leg.stream, leg.mode);
        } catch (IllegalStateException closed) {
            leg.branch.bye(); // the room closed as the supervisor answered
            leg.state = MonitorLeg.State.CONNECTED;
            finish(leg, "call-ended");
            return;
        }
        leg.state = MonitorLeg.State.CONNECTED;
        leg.monitor = leg.monitor.withState("connected");
        Monitor now = leg.monitor;
        later("monitor started", () -> {
            live.saveMonitor(leg.tenant, now);
            live.event(leg.tenant, "monitor.started", leg.queue, leg.agent, now, null);
        });
        log.info("{}: supervisor joined ({})", leg, leg.mode.wire());
    }

    @Override
    public synchronized void onTimeout(TimeoutEvent event) {
        if (event.isServerTransaction() || event.getClientTransaction() == null) {
            return;
        }
        MonitorLeg leg = byLeg.get(callId(event.getClientTransaction().getRequest()));
        if (leg != null && leg.branch.onTimeout(event.getClientTransaction()) == OutgoingBranch.Step.ENDED) {
            finish(leg, "no-answer"); // RFC 3261 §17.1.1.2 Timer B: the phone never answered the INVITE
        }
    }

    @Override
    public Set<String> methods() {
        return Set.of(); // requests of our dialogs come through the B2BUA (ServiceNumbers.owns)
    }

    @Override
    public boolean serves(String tenant, String number) {
        return false;
    }

    @Override
    public void onInvite(InboundRequest request, String tenant, String caller, String number) {
        request.respond(Response.NOT_FOUND, "Not a monitor number");
    }

    @Override
    public boolean owns(String callId) {
        return callId != null && byLeg.containsKey(callId);
    }

    /** A request on a supervisor leg's dialog: its BYE ends only the monitor; anything else is acknowledged. */
    @Override
    public synchronized void onRequest(InboundRequest request) {
        MonitorLeg leg = byLeg.get(callId(request.request()));
        Optional<ServerTransaction> st = calls.signalling.endpoint().serverTransaction(request.event());
        if (Request.ACK.equals(request.method()) || st.isEmpty()) {
            return;
        }
        if (leg == null) {
            calls.signalling.respond(st.get(), Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, null, null, null, null,
                    false);
            return;
        }
        if (Request.INVITE.equals(request.method())) {
            leg.placed.reanswer(calls.reinvites, st.get(), leg.stream, leg.negotiator, leg.queue);
            return;
        }
        calls.signalling.respond(st.get(), Response.OK, null, null, null, null, false);
        if (Request.BYE.equals(request.method())) {
            finish(leg, "supervisor-hung-up");
        }
    }

    private void forget(MonitorLeg leg) {
        byLeg.remove(leg.callId(), leg);
    }

    /** Keeps the ended leg findable a little for retransmissions and the final response of a CANCELled INVITE. */
    private void forgetLater(MonitorLeg leg) {
        try {
            calls.threads.timers().schedule(() -> forget(leg), 32, TimeUnit.SECONDS); // RFC 3261 §17.1.1.2: 64·T1
        } catch (RejectedExecutionException stopping) {
            forget(leg);
        }
    }

    private void later(String what, Runnable write) {
        try {
            background.execute(() -> {
                try {
                    write.run();
                } catch (RuntimeException e) {
                    log.warn("{}: {}", what, e.getMessage());
                }
            });
        } catch (RejectedExecutionException e) {
            log.info("{}: not done, node stopping or too busy", what);
        }
    }

    private static String callId(Message message) {
        CallIdHeader id = (CallIdHeader) message.getHeader(CallIdHeader.NAME);
        return id == null ? null : id.getCallId();
    }

    /** Node stopping: the supervisor legs' streams close (their calls' media goes with the node). */
    synchronized void close() {
        byCall.values().forEach(leg -> leg.stream.close());
    }
}
