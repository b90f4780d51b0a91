package io.tandem.backend.queuecall;

import io.tandem.backend.acd.dispatch.Callers;
import io.tandem.backend.acd.dispatch.Claims;
import io.tandem.backend.acd.dispatch.OfferGrant;
import io.tandem.backend.acd.queues.QueueDefinition;
import io.tandem.backend.call.SessionTimer;
import io.tandem.backend.call.TransferAdmission;
import io.tandem.backend.conference.Room;
import io.tandem.backend.conference.Rooms;
import io.tandem.backend.node.sip.OutgoingBranch;
import io.tandem.backend.routing.Route;
import io.tandem.protocol.LiveCall;
import io.tandem.telephony.codec.Codecs;
import io.tandem.telephony.media.MediaSource;
import io.tandem.telephony.sdp.NegotiatedMedia;
import io.tandem.telephony.sdp.SdpAnswer;
import io.tandem.telephony.sdp.SdpNegotiationException;
import io.tandem.telephony.sdp.SessionDescription;
import io.tandem.telephony.sip.SipMessages;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.header.CallIdHeader;
import javax.sip.header.Header;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One caller answered by this node for a queue, from its INVITE to its end: the caller's leg ({@link CallerLeg}),
 * its wait and the offers rung for it ({@link WaitingCaller}), leaving for a destination ({@link Departure}), and once
 * an agent or the overflow extension answers the two-party bridge; its record when it ends ({@link CallReport}).
 * Every method runs under this object's monitor: SIP threads, the placer and the timers race; the caller's state
 * changes in one place. Cluster-wide facts (place in the queue, agent states) are in Redis and change only through
 * its {@link QueueSeat} and the claims. What its wait and its departure ask of it ({@link WaitingCaller.Call},
 * {@link Departure.Call}) they ask from inside its locked methods.
 */
final class QueueCall implements WaitingCaller.Call, Departure.Call, BranchOwner {

    private static final Logger log = LoggerFactory.getLogger(QueueCall.class);

    /**
     * LEAVING: out of every queue, hearing a goodbye before the BYE (callback request, unreachable overflow).
     * PARKED: out of every queue, in a room on this node ({@link ParkedCaller}).
     */
    enum State { WAITING, CONNECTED, LEAVING, PARKED, ENDED }

    /** What this node keeps of its queue calls: the calls by Call-ID, the live list supervisors see. */
    interface Node {
        /**
         * The call is listed live, or its entry changes: {@code state}, with {@code agent} on {@code agentNode} once
         * one joined, and the media a supervisor may be joined to ({@code null} while the caller talks to nobody).
         */
        void listed(QueueCall call, LiveCall.State state, String agent, String agentNode, Monitorable media);

        /** The call leaves the live list while it lasts (a parked caller hearing its goodbye). */
        void unlisted(QueueCall call);

        /** The call ended (off the live list too). */
        void ended(QueueCall call);

        /** A user dialled into the call's room: requests with {@code joinerCallId} are the call's too. */
        void dialledIn(QueueCall call, String joinerCallId);
    }

    final String tenant;
    final String callId;
    final String number;
    final String name;
    private final CallerLeg caller;
    private final QueueSeat seat;
    private final OutgoingLegs legs;
    private final CallReport report;
    private final Node node;
    private final Rooms rooms;
    private final Overflow overflow;
    private final Timers later;
    /** Whether the waiting caller's phone is still there (RTP, in-dialog OPTIONS). */
    private final CallerLiveness liveness;
    /** The connected agent's transfer of the caller (REFER). */
    private final CallerTransfer transfer;

    private QueueDefinition queue;
    private State state = State.WAITING;
    /** The wait for an agent: the wait in the current queue, the offers rung. */
    private final WaitingCaller waiting;
    private final Departure departure;
    /** Every branch this caller rang (agents, the overflow extension), until the call ends. */
    private final CallerBranches branches;
    private AgentBranch connected;
    /** The caller in its room once PARKED. */
    private ParkedCaller parked;
    /** A user that dialled into the caller's room with a join token, once it joined: its leg, id and Call-ID. */
    private CallerLeg joiner;
    private String joinerId;
    private String joinerCallId;

    QueueCall(QueueSeat seat, QueueDefinition queue, CallerLeg caller, OutgoingLegs legs, Overflow overflow,
            Rooms rooms, ScheduledExecutorService timers, CallReport report, Node node,
            CallerLiveness.Settings livenessSettings, TransferAdmission admission) {
        CallingParty party = seat.party();
        this.tenant = party.tenant();
        this.callId = party.callId();
        this.number = party.number();
        this.name = party.name();
        this.queue = queue;
        this.caller = caller;
        this.seat = seat;
        this.legs = legs;
        this.report = report;
        this.node = node;
        this.branches = new CallerBranches(this, legs);
        this.rooms = rooms;
        this.overflow = overflow;
        this.later = Timers.on(timers);
        this.waiting = new WaitingCaller(queue, seat, this, branches, later, this);
        this.departure = new Departure(this, seat, overflow, branches, later);
        this.liveness = new CallerLiveness(livenessSettings, later, livenessCaller, this);
        this.transfer = new CallerTransfer(transferred, branches, new AgentTransfer(legs, admission, later, this),
                legs, later, tenant, "queue call " + callId + " from " + number);
    }

    @Override
    public String tenant() {
        return tenant;
    }

    @Override
    public String callingNumber(AgentBranch branch) {
        return number;
    }

    @Override
    public String callingName(AgentBranch branch) {
        return name;
    }

    /**
     * The dispatcher drained {@code number} and found no agent for what waits there: this caller, if it still waits
     * in that queue, is parked when its queue parks callers nobody can take and no member is available.
     */
    synchronized void drained(String number) {
        if (state == State.WAITING && queue.number().equals(number)) {
            waiting.parkIfNobodyAvailable();
        }
    }

    synchronized String queueNumber() {
        return queue.number();
    }

    /**
     * Answers the caller's INVITE on this node: SDP answer from our stream (G.711), the caller joins the queue
     * (refused at the door per the queue's limits: 486 full, 480 nobody to answer), then 200 OK and music. Returns
     * the offers of the claim made behind the join (for this caller or for callers ahead): its own was rung here,
     * the others are {@link QueueCalls}' to place.
     */
    synchronized List<OfferGrant> answer(ServerTransaction st, SessionDescription offered) {
        SdpAnswer answer = null;
        if (offered == null) {
            caller.offer(st); // a late offer: our 200 offers, the ACK answers
        } else {
            try {
                answer = caller.negotiate(st, offered);
            } catch (SdpNegotiationException e) {
                refuse(Response.NOT_ACCEPTABLE_HERE, "No common codec: the queue speaks G.711");
                return List.of();
            }
        }
        NegotiatedMedia agreed = answer == null ? null : answer.media();
        if (!caller.openDialog()) {
            refuse(Response.SERVER_INTERNAL_ERROR, "Cannot create the dialog");
            return List.of();
        }
        branches.joined();
        // the definition is the one this INVITE just read
        Callers.Joined joined = seat.join(queue);
        if (!joined.ok() && !departure.atTheDoor(joined)) {
            caller.refuse(joined.refused(), queue.number());
            end(null, "refused", "system", false);
            return joined.offers();
        }
        liveness.start();
        if (state == State.LEAVING) {
            // refused at the door and sent on: answered here, then put through to the extension or told goodbye
            caller.start(agreed, this::onDigit);
            caller.ok(answer, queue.number());
            departure.afterTheDoor(joined.refused());
            return joined.offers();
        }
        boolean ringing = ringOwnOffer(joined.offers());
        caller.start(agreed, this::onDigit);
        playMusic();
        caller.ok(answer, queue.number());
        if (waiting.parkIfNobodyAvailable(() -> !ringing)) {
            // nobody could be offered the caller as it arrived: it went to a room for the callback service
            return joined.offers();
        }
        startWaiting();
        log.info("queue call {} from {} waits in {}@{} at position {}", callId, number, queue.number(), tenant,
                joined.position());
        return joined.offers();
    }

    /**
     * Rings the offer the claim behind this caller's join made for it, if any, before the caller's 200 OK: the agent's
     * phone rings a step sooner, and the route came with the claim, so nothing here waits on Redis. An agent's answer
     * waits for this call's lock, so it finds the caller answered. The other offers of that claim (callers ahead) are
     * {@link QueueCalls}' to place.
     */
    private boolean ringOwnOffer(List<OfferGrant> claimed) {
        for (OfferGrant grant : claimed) {
            if (grant.callId().equals(callId)) {
                try {
                    waiting.place(grant, legs.routes(tenant, grant)); // under the lock answer() holds
                } catch (RuntimeException e) {
                    log.warn("placing offer {} failed; its lease releases the agents", grant.offerId(), e);
                }
                return true;
            }
        }
        return false;
    }

    private void refuse(int status, String reason) {
        caller.refuse(status, reason, queue.number());
        end(null, "refused", "system", false);
    }

    /**
     * An offer claimed for this caller, with its agents' routes (read before taking this lock, so a placer thread
     * does not wait for the caller's answer to finish): rung unless the caller is past it.
     */
    synchronized void place(OfferGrant grant, Map<String, Route> routes) {
        waiting.place(grant, routes);
    }

    @Override
    public boolean waiting() {
        return state == State.WAITING;
    }

    @Override
    public void leaveFor(Callers.Exit exit, Destination destination, String cause) {
        departure.leaveFor(exit, destination, cause);
    }

    @Override
    public QueueDefinition queue() {
        return queue;
    }

    @Override
    public void sentOn(QueueDefinition next) {
        queue = next;
        waiting.moveTo(next);
    }

    @Override
    public void waitIn(QueueDefinition next) {
        queue = next;
        playMusic();
        startWaiting();
    }

    @Override
    public void leaving() {
        waiting.stop();
        state = State.LEAVING;
    }

    @Override
    public boolean isLeaving() {
        return state == State.LEAVING;
    }

    @Override
    public void hear(MediaSource source) {
        caller.hear(source);
    }

    @Override
    public void hangUp(String cause) {
        caller.bye();
        end(null, cause, "system", false);
    }

    @Override
    public Duration waited() {
        return report.waited();
    }

    /** The caller left its queue (PARK in the queue log) for a room on this node; its call and leg stay here. */
    @Override
    public void park(String reason) {
        waiting.stop();
        state = State.PARKED;
        parked = new ParkedCaller(parkedCall, this, rooms, overflow, branches, later);
        parked.park(queue, seat.party(), seat.details().priority(), seat.parkedPlace(), reason);
        if (parked.state() == ParkedCaller.State.PARKED) {
            node.listed(this, LiveCall.State.PARKED, null, null, null);
        }
        log.info("queue call {} from {} parked from {}@{} ({})", callId, number, queue.number(), tenant, reason);
    }

    /** What the room asks of this call; called under its lock. */
    private final ParkedCaller.Call parkedCall = new ParkedCaller.Call() {
        @Override
        public MediaSource music() {
            return caller.music(queue.musicOnHold());
        }

        @Override
        public void hear(MediaSource source) {
            caller.hear(source);
        }

        @Override
        public void announce(QueueDefinition.Announcements what, int position) {
            caller.announce(what, seat.parkedPosition(queue, position));
        }

        @Override
        public void hangUp(String cause) {
            QueueCall.this.hangUp(cause);
        }

        @Override
        public void joined(AgentBranch branch, NegotiatedMedia media, Room room) {
            answeredBy(branch, media);
            room.connect(caller.stream(), branch.stream, branch.agentId);
            node.listed(QueueCall.this, LiveCall.State.CALLBACK, branch.agentId, branch.agentNode,
                    new RoomTap(room));
            boolean agent = seat.callbackConnected(queue, branch.agentId, room.id());
            log.info("queue call {} from {} connected to {} in {} ({}; queue {}@{})", callId, number, branch.agentId,
                    room, agent ? "agent on call" : "not a ready agent", queue.number(), tenant);
        }

        @Override
        public void leftRoom() {
            node.unlisted(QueueCall.this);
        }

        @Override
        public void endConnected(String cause) {
            byeToJoined();
            caller.bye();
            end(connected, cause, "system", false);
        }

        @Override
        public void joinedByDialIn(CallerLeg leg, String user, Room room) {
            joiner = leg;
            joinerId = user;
            joinerCallId = leg.callId();
            report.answered();
            state = State.CONNECTED;
            room.connect(caller.stream(), leg.stream(), user);
            // the user's phone may be on another node (its join came over the trunk): not known here
            node.listed(QueueCall.this, LiveCall.State.CALLBACK, user, null, new RoomTap(room));
            boolean agent = seat.callbackConnected(queue, user, room.id());
            node.dialledIn(QueueCall.this, joinerCallId);
            log.info("queue call {} from {} connected to {} who dialled into {} ({}; queue {}@{})", callId, number,
                    user, room, agent ? "agent on call" : "not a ready agent", queue.number(), tenant);
        }
    };

    /** The Call-ID of the leg that dialled into the caller's room, once one joined; null otherwise. */
    synchronized String joinerCallId() {
        return joinerCallId;
    }

    /** BYE to whoever the caller is connected to: the agent's branch, or the leg that dialled into its room. */
    private void byeToJoined() {
        if (joiner != null) {
            joiner.bye();
        } else if (connected != null) {
            connected.branch.bye();
        }
    }

    /** A response to the INVITE of one of this caller's branches. */
    @Override
    public synchronized void onResponse(AgentBranch branch, ResponseEvent event) {
        OutgoingBranch.Step step = legs.step(branch, event);
        if (step != null) {
            onStep(branch, step, event.getResponse());
        }
    }

    /** RFC 3261 §17.1.1.2 Timer B: the phone never answered the INVITE of one of this caller's branches. */
    @Override
    public synchronized void onTimeout(AgentBranch branch, ClientTransaction tx) {
        onStep(branch, branch.branch.onTimeout(tx), null);
    }

    /** What the branch's INVITE came to, for this caller; {@code response} null on a timeout. */
    private void onStep(AgentBranch branch, OutgoingBranch.Step step, Response response) {
        if (branch.replaces != null) {
            transfer.onStep(branch, step, response); // the caller's leg of an attended transfer
            return;
        }
        if (branch.intoRoom) {
            if (parked != null) {
                parked.onStep(branch, step, response);
            }
            return;
        }
        if (branch.toExtension()) {
            departure.onStep(branch, step, response);
            return;
        }
        waiting.onStep(branch, step, response == null ? null : SipMessages.bodyText(response));
    }

    /** An agent answered and the claim scripts accepted it: the caller's stream and the agent's are bridged. */
    @Override
    public void connect(AgentBranch branch, NegotiatedMedia media) {
        answeredBy(branch, media);
        node.listed(this, LiveCall.State.CONNECTED, branch.agentId, branch.agentNode,
                new CallBridge(caller.stream(), branch.stream));
        log.info("queue call {} from {} connected to agent {} on {} (queue {}@{})", callId, number, branch.agentId,
                branch.agentNode, queue.number(), tenant);
    }

    /** The overflow extension answered: the caller's stream and the extension's are bridged as with an agent. */
    @Override
    public void connectExtension(AgentBranch leg, NegotiatedMedia media) {
        answeredBy(leg, media);
        caller.bridgeTo(leg.stream);
        log.info("queue call {} from {} connected to extension {} on {} (overflow of {}@{})", callId, number,
                leg.agentId, leg.agentNode, queue.number(), tenant);
    }

    private void answeredBy(AgentBranch leg, NegotiatedMedia media) {
        connected = leg;
        report.answered();
        state = State.CONNECTED;
        leg.stream.start(media.remoteRtp(), Codecs.create(media.codec()), media.telephoneEventPayloadType());
    }

    /** A BYE, CANCEL, re-INVITE or INFO on the caller's dialog (or on the dialog of the leg that dialled in). */
    synchronized void onCallerRequest(ServerTransaction st) {
        if (joiner != null && joinerCallId.equals(((CallIdHeader) st.getRequest().getHeader(CallIdHeader.NAME)).getCallId())) {
            onJoinerRequest(st);
            return;
        }
        switch (st.getRequest().getMethod()) {
            case Request.BYE -> {
                caller.respond(st, Response.OK);
                callerGone("normal", departure.cause(), "caller");
            }
            case Request.CANCEL -> caller.respond(st, Response.OK);
            case Request.INVITE -> caller.reanswer(st, queue.number());
            case Request.UPDATE -> {
                if (state == State.ENDED) {
                    caller.respond(st, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST);
                } else {
                    caller.refreshedByUpdate(st);
                }
            }
            default -> caller.respond(st, state == State.ENDED ? Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST
                    : Response.OK);
        }
    }

    /**
     * The caller's leg negotiated an RFC 4028 session timer on its INVITE: its 2xx carry the terms, its refreshes
     * restart the interval, and a session that is not refreshed (or our refresh that fails) ends the call
     * ({@link #sessionExpired}). Before {@link #answer}.
     */
    void timeSession(SessionTimer.Granted terms, ScheduledExecutorService timers) {
        caller.timed(new SessionTimer(new SessionTimer.Session() {
            @Override
            public Object lock() {
                return QueueCall.this;
            }

            @Override
            public ClientTransaction update(List<Header> headers) {
                return caller.update(headers);
            }

            @Override
            public void expired() {
                sessionExpired();
            }

            @Override
            public String describe() {
                return "queue call " + callId + " from " + number;
            }
        }, timers, legs.headerFactory(), terms));
    }

    /**
     * The caller's session expired (RFC 4028 §10: no refresh, or ours failed): its phone is gone. BYE to it and to
     * whoever it talks to; a waiting caller leaves the queue as vanished; CDR cause {@code session-expired} by
     * {@code system}. Under the call's lock (the timer takes it).
     */
    private void sessionExpired() {
        if (state == State.ENDED) {
            return;
        }
        caller.bye();
        if (state == State.WAITING) {
            waiting.vanished("session-expired");
            end(null, "session-expired", "system", false);
            return;
        }
        callerGone("session-expired", "session-expired", "system");
    }

    /** The answer to one of our requests in the caller's dialog other than a probe (a session refresh). */
    synchronized void onRefreshAnswered(ClientTransaction tx, int status) {
        if (state != State.ENDED) {
            caller.answered(tx, status);
        }
    }

    /** A request on the dialog of the user that dialled into the caller's room: its BYE ends the call. */
    private void onJoinerRequest(ServerTransaction st) {
        switch (st.getRequest().getMethod()) {
            case Request.BYE -> {
                joiner.respond(st, Response.OK);
                if (state == State.CONNECTED) {
                    caller.bye();
                    end(null, "normal", "callee", true);
                }
            }
            case Request.INVITE -> joiner.reanswer(st, joinerId);
            default -> joiner.respond(st, state == State.ENDED ? Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST
                    : Response.OK);
        }
    }

    /**
     * The caller never ACKed our 200 (RFC 3261 §13.3.1.4): it gets a BYE. A waiting caller leaves the queue as
     * vanished with {@code no-ack} (it never hung up: not an abandon), CDR cause {@code no-ack}; otherwise the call
     * ends as if it had hung up.
     */
    synchronized void onAckTimeout(Dialog timedOut) {
        if (!caller.owns(timedOut) || state == State.ENDED) {
            return;
        }
        caller.bye();
        if (state == State.WAITING) {
            waiting.vanished("no-ack");
            end(null, "no-ack", "system", false);
            return;
        }
        callerGone("no-ack", "no-ack", "system");
    }

    /**
     * The caller's ACK of our 200 (RFC 3261 §13.2.2.4). After a late offer it carries the caller's answer; an ACK
     * without one, or with one we cannot use, ends the call: BYE, CDR cause {@code ack-without-sdp} or
     * {@code unacceptable-answer} (a waiting caller leaves the queue as VANISHED with that cause: its phone could
     * never hear or be heard).
     */
    synchronized void onCallerAck(Request ack) {
        if (state == State.ENDED || (joinerCallId != null
                && joinerCallId.equals(((CallIdHeader) ack.getHeader(CallIdHeader.NAME)).getCallId()))) {
            return;
        }
        caller.acked(ack).ifPresent(cause -> {
            log.info("queue call {} from {}: {}; hung up", callId, number, cause);
            caller.bye();
            if (state == State.WAITING) {
                waiting.vanished(cause);
                end(null, cause, "system", false);
            } else {
                callerGone(cause, cause, "system");
            }
        });
    }

    /** The caller's answer to a liveness probe (an in-dialog OPTIONS). */
    synchronized void onProbeAnswered(ClientTransaction tx, int status) {
        if (caller.ownsProbe(tx) && status >= 200) {
            liveness.answered(status);
        }
    }

    /** A liveness probe's transaction timed out (Timer F) or could not reach the caller. */
    synchronized void onProbeFailed(ClientTransaction tx) {
        if (caller.ownsProbe(tx)) {
            liveness.failed();
        } else if (state != State.ENDED) {
            caller.timedOut(tx);
        }
    }

    /**
     * The waiting caller's phone is gone without a BYE (no RTP and no answer to an OPTIONS, or the phone no longer
     * knows the dialog): BYE (in case it comes back), out of the queue as VANISHED with {@code why} before any agent
     * is offered a dead call, CDR cause {@code vanished}.
     */
    private void vanished(String why) {
        caller.bye();
        waiting.vanished(why);
        end(null, "vanished", "system", false);
    }

    /** What the liveness watch asks of this call; called under its lock. */
    private final CallerLiveness.Caller livenessCaller = new CallerLiveness.Caller() {
        @Override
        public boolean waiting() {
            return state == State.WAITING;
        }

        @Override
        public long packetsReceived() {
            return caller.stream().statistics().packetsReceived();
        }

        @Override
        public boolean probe() {
            return caller.probe();
        }

        @Override
        public void vanished(String why) {
            log.info("queue call {} from {}: the caller's phone is gone ({}); out of {}@{}", callId, number, why,
                    queue.number(), tenant);
            QueueCall.this.vanished(why);
        }
    };

    /**
     * The caller is gone: a connected agent gets a BYE, a waiting caller abandons (its ringing offer cancelled,
     * ABANDON logged), a ringing overflow extension is CANCELled.
     */
    private void callerGone(String connectedCause, String leavingCause, String by) {
        if (state == State.CONNECTED) {
            byeToJoined();
            end(connected, connectedCause, by, false);
        } else if (state == State.WAITING) {
            waiting.hungUp();
            end(null, "abandoned", "caller", false);
        } else if (state == State.LEAVING) {
            departure.callerGone();
            end(null, leavingCause, by, false);
        } else if (state == State.PARKED) {
            boolean stillParked = parked.state() == ParkedCaller.State.PARKED;
            parked.callerGone();
            end(null, stillParked ? "abandoned" : "park-timeout", by, false);
        }
    }

    /** A request on an agent's dialog (its BYE, a re-INVITE, a REFER). */
    @Override
    public synchronized void onAgentRequest(AgentBranch branch, ServerTransaction st) {
        String method = st.getRequest().getMethod();
        if (Request.INVITE.equals(method)) {
            legs.reanswer(branch, st, number);
            return;
        }
        if (AgentTransfer.isRefer(st)) {
            transfer.onRefer(branch, st);
            return;
        }
        legs.ok(st);
        if (Request.BYE.equals(method)) {
            if (branch == connected && state == State.CONNECTED && transfer.transferorLeft()) {
                branch.stream.close();
            } else if (branch == connected && state == State.CONNECTED) {
                caller.bye();
                end(connected, "normal", "callee", true);
            } else {
                legs.drop(branch, false);
            }
        }
    }

    /** What the connected agent's transfer changes in this call; called under the call's lock. */
    private final CallerTransfer.Call transferred = new CallerTransfer.Call() {
        @Override
        public AgentBranch transferor() {
            return state == State.CONNECTED && joiner == null ? connected : null;
        }

        @Override
        public String where() {
            return queue.number() + "@" + tenant;
        }

        @Override
        public void agentTransferred(AgentBranch agent, Claims.CallEnding ending, String target) {
            report.transferred(queue, agent, ending, target);
        }

        /** To another queue, where it waits again with that queue's music, or to an extension, as an overflow's. */
        @Override
        public void sendTo(AgentBranch agent, String target) {
            connected = null;
            agent.stream.close();
            caller.unbridge();
            node.unlisted(QueueCall.this);
            // The agent's end first: call_end.lua clears the caller's queue entry, which a new wait writes again.
            agentTransferred(agent, Claims.CallEnding.BLIND_TRANSFER, target);
            playMusic();
            Optional<QueueDefinition> next = seat.join(new Destination.Queue(target));
            if (next.isPresent()) {
                state = State.WAITING;
                queue = next.get();
                waiting.waitAgain(next.get());
                playMusic();
            } else {
                departure.transferTo(new Destination.Extension(target, false));
            }
        }

        @Override
        public void talksTo(AgentBranch leg, NegotiatedMedia media) {
            answeredBy(leg, media);
            node.listed(QueueCall.this, LiveCall.State.CONNECTED, leg.agentId, leg.agentNode,
                    new CallBridge(caller.stream(), leg.stream));
        }

        @Override
        public void leftAlone() {
            caller.bye();
            end(connected, "normal", "callee", true);
        }
    };

    /** An RFC 4733 digit from the caller: the queue's exit key leaves to its destination. */
    synchronized void onDigit(char digit) {
        waiting.digit(digit);
    }

    /**
     * The ACD ended the ringing offer behind our back (a supervisor freed or logged out the agent, its lease ran
     * out, the caller was moved): CANCEL what still rings now rather than at the ring timeout (RFC 3261 §9.1). The
     * script already put the caller back in its place; it is offered again after the retry delay.
     */
    synchronized void offerEnded(String offerId, String reason) {
        waiting.offerEnded(offerId, reason);
    }

    @Override
    public void playMusic() {
        caller.playMusic(queue.musicOnHold());
    }

    /** A wait starts in {@code queue} (the caller joined it, or moved to it): the previous one stops. */
    private void startWaiting() {
        waiting.moveTo(queue);
        waiting.startWaiting();
    }

    /**
     * Tells a waiting caller its position and estimated wait (both from Redis, so every node would say the same),
     * then the music resumes.
     */
    @Override
    public void announce(QueueDefinition.Announcements a) {
        seat.position(queue).ifPresent(at -> caller.announce(a, at));
    }

    /** The caller's node is shutting down: its streams close; Redis learns of the loss from the heartbeat. */
    synchronized void close() {
        if (state != State.ENDED) {
            state = State.ENDED;
            waiting.stop();
            liveness.stop();
            if (parked != null) {
                parked.lost();
            }
            caller.close();
            if (joiner != null) {
                joiner.close();
            }
            branches.close();
        }
    }

    private void end(AgentBranch agent, String cause, String hungUpBy, boolean agentHungUp) {
        if (state == State.ENDED) {
            return;
        }
        state = State.ENDED;
        waiting.stop();
        liveness.stop();
        transfer.cancel();
        if (parked != null) {
            parked.over();
        }
        caller.close();
        branches.end();
        node.ended(this);
        if (joiner != null) {
            joiner.close();
            report.endedWithDialIn(queue, joinerId, cause, hungUpBy, agentHungUp);
        } else {
            report.ended(queue, agent, cause, hungUpBy, agentHungUp);
        }
        log.info("queue call {} from {} in {}@{} ended: {} (by {})", callId, number, queue.number(), tenant, cause,
                hungUpBy);
    }
}
