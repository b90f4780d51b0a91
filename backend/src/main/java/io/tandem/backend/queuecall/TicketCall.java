package io.tandem.backend.queuecall;

import io.tandem.backend.acd.dispatch.Callers;
import io.tandem.backend.acd.dispatch.Claims;
import io.tandem.backend.acd.dispatch.OfferGrant;
import io.tandem.backend.acd.queues.QueueDefinition;
import io.tandem.backend.node.sip.OutgoingBranch;
import io.tandem.backend.routing.Route;
import io.tandem.backend.wake.CallWakes;
import io.tandem.backend.wake.Wake;
import io.tandem.protocol.LiveCall;
import io.tandem.protocol.callback.TicketEvent;
import io.tandem.telephony.codec.Codecs;
import io.tandem.telephony.sdp.NegotiatedMedia;
import io.tandem.telephony.sip.SipMessages;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sip.ClientTransaction;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One callback ticket worked on this node, agent first: its entry waits in the queue's wait set at the caller's
 * original place; an offer the ACD claims for it rings the agent exactly as a caller's offer does ({@link RingingOffer};
 * the INVITE says the customer's number and "Callback"); the agent's answer is accepted by the same script (on call,
 * CONNECT marked as a callback), then the node calls the customer like any call to that number, while the agent
 * waits on its own leg; the customer's answer bridges the two ({@link CallBridge}). A customer not reached (busy,
 * declined, no answer within the dial timeout, unreachable) ends the attempt: the agent gets a BYE and wraps up, and
 * the callback service decides on a retry. A customer with push bindings (an app user whose app sleeps) is woken as
 * for any call ({@link CallWakes}): its devices' REGISTERs during the dial add branches to the new contacts. What
 * happens is reported on the ticket-event stream ({@link Reports}).
 * Guarded by its own monitor, as a queue call is.
 */
final class TicketCall implements BranchOwner, RingingOffer.Caller {

    private static final Logger log = LoggerFactory.getLogger(TicketCall.class);

    enum State { WAITING, RINGING, DIALLING, CONNECTED, ENDED }

    /** What this node tells the callback service about the ticket. */
    interface Reports {
        void report(TicketEvent.Kind kind, String agent, String reason);
    }

    /** The node's list of the tickets it works, and of those supervisors see live. */
    interface Desk {
        /**
         * The ticket's call is listed live, or its entry changes: {@code state}, with its agent, and the media a
         * supervisor may be joined to ({@code null} while the customer is being called).
         */
        void listed(TicketCall call, LiveCall.State state, AgentBranch agent, Monitorable media);

        /** The ticket is over here (off the live list too). */
        void ended(TicketCall call);
    }

    /**
     * The customer to call back, and the place the call had in its queue; {@code handOut} names this hand-out of the
     * ticket (the service's command id), so each attempt's wake of the customer's devices is one of its own.
     */
    record Customer(String ticketId, String number, String name, int priority, long enqueuedAt, String handOut) {
    }

    final String tenant;
    /** The entry's id in the wait set (its "call id" there). */
    final String entryId;
    private final Customer customer;
    private final QueueDefinition queue;
    private final Acd acd;
    private final OutgoingLegs legs;
    private final Timers later;
    private final CallReport report;
    private final Reports reports;
    private final Desk desk;
    private final Duration dialTimeout;
    private final CallWakes wakes;

    private State state = State.WAITING;
    private RingingOffer offer;
    private AgentBranch agent;
    private final List<AgentBranch> dialled = new ArrayList<>();
    private AgentBranch answered;
    private Timers.Timer dialTimer;
    /** The customer's sleeping devices asked to wake for this attempt; null when it has no push binding. */
    private Wake wake;
    /** Contacts of the customer this attempt rang (a woken device's REGISTER adds only new ones). */
    private final Set<String> rung = new HashSet<>();

    TicketCall(String tenant, Customer customer, QueueDefinition queue, Acd acd, OutgoingLegs legs, Timers later,
            CallReport report, Reports reports, Desk desk, Duration dialTimeout, CallWakes wakes) {
        this.wakes = wakes;
        this.tenant = tenant;
        this.entryId = entryId(customer.ticketId());
        this.customer = customer;
        this.queue = queue;
        this.acd = acd;
        this.legs = legs;
        this.later = later;
        this.report = report;
        this.reports = reports;
        this.desk = desk;
        this.dialTimeout = dialTimeout;
    }

    /** The wait-set id of a ticket's entry: its own namespace, so it never meets a SIP Call-ID. */
    static String entryId(String ticketId) {
        return "ticket-" + ticketId;
    }

    @Override
    public String tenant() {
        return tenant;
    }

    /** The agent's phone shows the customer; the customer's shows the queue it called. */
    @Override
    public String callingNumber(AgentBranch branch) {
        return branch.offer != null ? customer.number() : queue.number();
    }

    @Override
    public String callingName(AgentBranch branch) {
        if (branch.offer != null) {
            return "Callback " + (customer.name().isEmpty() ? customer.number() : customer.name());
        }
        return queue.name();
    }

    Customer customer() {
        return customer;
    }

    String queueNumber() {
        return queue.number();
    }

    synchronized State state() {
        return state;
    }

    /**
     * The entry joins the wait set at the caller's place (or, already there, takes the new assignee). Returns the
     * join with the claim's offers made behind it: this entry's own is rung here, the others are the caller's to
     * place.
     */
    synchronized Callers.Joined join(String assignee) {
        Callers.Joined joined = acd.callers().enqueueTicket(tenant, queue, entryId, customer.number(),
                customer.name(), customer.priority(), customer.enqueuedAt(), assignee,
                Map.of("callback", "ticket", "ticket", customer.ticketId()));
        for (OfferGrant grant : joined.offers()) {
            if (grant.callId().equals(entryId)) {
                place(grant, legs.routes(tenant, grant));
            }
        }
        log.info("ticket {} (customer {}) waits in {}@{}{}", customer.ticketId(), customer.number(), queue.number(),
                tenant, joined.ok() ? " at position " + joined.position() : " (" + joined.refused() + ")");
        return joined;
    }

    /** An offer the ACD claimed for this ticket: the agent rings, as for a caller. */
    synchronized void place(OfferGrant grant, Map<String, Route> routes) {
        if (state != State.WAITING) {
            acd.claims().release(tenant, queue, grant.offerId(), state == State.ENDED ? "caller-gone" : "busy");
            return;
        }
        state = State.RINGING;
        offer = new RingingOffer(grant, Duration.ofSeconds(queue.ringTimeoutSeconds()), reports(grant),
                new RingingOffer.Lines() {
                    @Override
                    public AgentBranch ring(OfferGrant g, OfferGrant.Reservation r, Route.Target target) {
                        return legs.ring(TicketCall.this, g, r, target);
                    }

                    @Override
                    public void release(AgentBranch branch) {
                        legs.drop(branch, false);
                    }
                }, this, later, this);
        reports.report(TicketEvent.Kind.OFFERED, agents(grant), "");
        offer.ring(routes);
    }

    private RingingOffer.Reports reports(OfferGrant grant) {
        Claims claims = acd.claims();
        return new RingingOffer.Reports() {
            @Override
            public Claims.Answer accept(String agentId, long version) {
                return claims.accept(tenant, queue, grant.offerId(), agentId, version);
            }

            @Override
            public String noAnswer(String agentId) {
                return claims.noAnswer(tenant, queue, grant.offerId(), agentId);
            }

            @Override
            public String unreachable(String agentId) {
                return claims.noAnswer(tenant, queue, grant.offerId(), agentId, Claims.Miss.UNREACHABLE);
            }
        };
    }

    @Override
    public boolean waiting() {
        return state == State.RINGING;
    }

    /** The agent answered and the claim accepted it: the agent is on call, the customer is called. */
    @Override
    public void connect(RingingOffer ringing, AgentBranch branch, NegotiatedMedia media) {
        agent = branch;
        state = State.DIALLING;
        branch.stream.start(media.remoteRtp(), Codecs.create(media.codec()), media.telephoneEventPayloadType());
        reports.report(TicketEvent.Kind.DIALLING, branch.agentId, "");
        desk.listed(this, LiveCall.State.TICKET_DIALLING, branch, null);
        log.info("ticket {}: agent {} took it; calling {}", customer.ticketId(), branch.agentId, customer.number());
        dialCustomer();
    }

    /** Every agent of the offer was answered for without a winner: the entry keeps its place, offered again later. */
    @Override
    public void over(RingingOffer ringing) {
        if (state != State.RINGING) {
            return;
        }
        state = State.WAITING;
        reports.report(TicketEvent.Kind.DECLINED, "", "no-answer");
        later.after(Duration.ofSeconds(queue.retryDelaySeconds()).plusMillis(50),
                () -> acd.dispatcher().queueChanged(tenant, queue.number()));
    }

    /**
     * The customer is called like any call to that number: every contact it has, in parallel (RFC 3261 §16.7); a
     * customer with push bindings is woken at once (RFC 8599), and each REGISTER of its devices while the dial lasts
     * rings the new contact in the same attempt.
     */
    private void dialCustomer() {
        // one wake per attempt: the service remembers a finished wake by its id, so a retry needs a new one
        Optional<Wake> wakeOf = wakes.prepare(tenant, customer.number(), customer.handOut(), queue.number(),
                queue.name());
        ringContacts();
        if (wakeOf.isPresent()) {
            wake = wakeOf.get();
            wake.ring(this::customerRegistered);
        } else if (dialled.isEmpty()) {
            notReached("unreachable");
            return;
        }
        dialTimer = later.after(dialTimeout, this::dialTimedOut);
    }

    /** A woken device of the customer registered: its new contact rings in this attempt. */
    private void customerRegistered() {
        synchronized (this) {
            if (state == State.DIALLING) {
                ringContacts();
            }
        }
    }

    private void ringContacts() {
        Route route = legs.route(tenant, customer.number());
        if (!(route instanceof Route.Ring ring)) {
            return;
        }
        for (Route.Target target : ring.targets()) {
            if (!rung.add(target.requestUri())) {
                continue;
            }
            OutgoingMedia media;
            try {
                media = legs.media();
            } catch (IOException e) {
                log.warn("ticket {}: no RTP port to call {}: {}", customer.ticketId(), customer.number(),
                        e.getMessage());
                continue;
            }
            AgentBranch leg = legs.dial(this, customer.number(), target, media);
            if (leg != null) {
                dialled.add(leg);
            }
        }
    }

    private void dialTimedOut() {
        synchronized (this) {
            if (state == State.DIALLING) {
                notReached("no-answer");
            }
        }
    }

    @Override
    public synchronized void onResponse(AgentBranch branch, ResponseEvent event) {
        OutgoingBranch.Step step = legs.step(branch, event);
        if (step != null) {
            onStep(branch, step, event.getResponse());
        }
    }

    @Override
    public synchronized void onTimeout(AgentBranch branch, ClientTransaction tx) {
        onStep(branch, branch.branch.onTimeout(tx), null);
    }

    private void onStep(AgentBranch branch, OutgoingBranch.Step step, Response response) {
        if (branch.offer != null) {
            if (offer != null && offer.owns(branch)) {
                switch (step) {
                    case ANSWERED -> offer.answered(branch, response == null ? "" : SipMessages.bodyText(response));
                    case ENDED -> offer.ended(branch);
                    default -> {
                    }
                }
            }
            return;
        }
        switch (step) {
            case ANSWERED -> customerAnswered(branch, response);
            case ENDED -> {
                legs.drop(branch, false);
                // a woken device may still register: the dial timer ends a wake's attempt
                if (state == State.DIALLING && wake == null && dialled.stream().allMatch(b -> b.branch.isFinal())) {
                    notReached(reasonOf(branch.branch.finalStatus()));
                }
            }
            default -> {
            }
        }
    }

    private void customerAnswered(AgentBranch branch, Response response) {
        if (state != State.DIALLING) {
            legs.drop(branch, true); // RFC 3261 §15: an answer after the attempt ended only gets a BYE
            return;
        }
        NegotiatedMedia media;
        try {
            media = branch.accept(SipMessages.bodyText(response));
        } catch (Exception e) {
            log.info("ticket {}: {} answered without usable SDP ({})", customer.ticketId(), customer.number(),
                    e.getMessage());
            legs.drop(branch, true);
            notReached("failed");
            return;
        }
        answered = branch;
        state = State.CONNECTED;
        cancelDialTimer();
        if (wake != null) {
            wake.answered();
        }
        for (AgentBranch other : dialled) {
            if (other != branch && !other.branch.isFinal()) {
                other.branch.cancel();
            }
        }
        branch.stream.start(media.remoteRtp(), Codecs.create(media.codec()), media.telephoneEventPayloadType());
        // the customer is the bridge's caller side: a supervisor's whisper goes to the agent only
        desk.listed(this, LiveCall.State.TICKET_CONNECTED, agent, new CallBridge(branch.stream, agent.stream));
        report.answered();
        reports.report(TicketEvent.Kind.CONNECTED, agent.agentId, "");
        log.info("ticket {}: customer {} answered; connected to agent {}", customer.ticketId(), customer.number(),
                agent.agentId);
    }

    /** RFC 3261 §21.4.7 / §21.6.2: busy and decline are the customer's; 408/480/487 nobody answered. */
    static String reasonOf(int status) {
        return switch (status) {
            case Response.BUSY_HERE, Response.BUSY_EVERYWHERE -> "busy";
            case Response.DECLINE -> "declined";
            case Response.REQUEST_TIMEOUT, Response.TEMPORARILY_UNAVAILABLE, Response.REQUEST_TERMINATED -> "no-answer";
            case Response.NOT_FOUND -> "unreachable";
            default -> "failed";
        };
    }

    /** The attempt reached nobody: the agent's leg ends, the agent wraps up, the service decides on a retry. */
    private void notReached(String reason) {
        cancelDialTimer();
        if (wake != null) {
            wake.cancelled();
        }
        for (AgentBranch leg : dialled) {
            if (!leg.branch.isFinal()) {
                leg.branch.cancel();
            }
        }
        agent.branch.bye();
        log.info("ticket {}: customer {} not reached ({})", customer.ticketId(), customer.number(), reason);
        end("callback-" + reason, "system", false, TicketEvent.Kind.UNANSWERED, reason);
    }

    @Override
    public synchronized void onAgentRequest(AgentBranch branch, ServerTransaction st) {
        String method = st.getRequest().getMethod();
        if (Request.INVITE.equals(method)) {
            legs.reanswer(branch, st, customer.number());
            return;
        }
        legs.ok(st);
        if (!Request.BYE.equals(method)) {
            return;
        }
        if (state == State.CONNECTED && (branch == agent || branch == answered)) {
            boolean byAgent = branch == agent;
            (byAgent ? answered : agent).branch.bye();
            end("normal", byAgent ? "callee" : "caller", byAgent, TicketEvent.Kind.ENDED, "");
        } else if (state == State.DIALLING && branch == agent) {
            cancelDialTimer();
            if (wake != null) {
                wake.cancelled();
            }
            dialled.stream().filter(b -> !b.branch.isFinal()).forEach(b -> b.branch.cancel());
            end("agent-hung-up", "callee", true, TicketEvent.Kind.UNANSWERED, "agent-hung-up");
        } else {
            legs.drop(branch, false);
        }
    }

    /**
     * The service withdrew the ticket (cancelled): an entry still waiting (or ringing an agent) leaves the wait set.
     * A ticket whose agent already answered is not stopped mid-call. False when it was not withdrawn.
     */
    synchronized boolean withdraw() {
        if (state != State.WAITING && state != State.RINGING) {
            log.info("ticket {} is {}: not withdrawn mid-call", customer.ticketId(), state);
            return false;
        }
        if (offer != null) {
            offer.withdraw();
        }
        acd.callers().leave(tenant, queue.number(), entryId, Callers.Exit.MOVED, "", "withdrawn");
        state = State.ENDED;
        reports.report(TicketEvent.Kind.WITHDRAWN, "", "cancelled");
        desk.ended(this);
        return true;
    }

    /** The ACD ended the ringing offer behind our back: CANCEL at once; the entry is back at its place. */
    synchronized void offerEnded(String offerId, String reason) {
        if (offer != null && offer.offerId().equals(offerId)) {
            offer.endedByAcd(reason);
        }
    }

    /** The node stops: streams close; the service hands the ticket on when this node's heartbeat is gone. */
    synchronized void close() {
        if (state == State.ENDED) {
            return;
        }
        state = State.ENDED;
        cancelDialTimer();
        if (wake != null) {
            wake.stopListening();
        }
        if (offer != null) {
            offer.withdraw();
        }
        dialled.forEach(b -> b.stream.close());
        if (agent != null) {
            agent.stream.close();
        }
    }

    private void end(String cause, String hungUpBy, boolean agentHungUp, TicketEvent.Kind kind, String reason) {
        state = State.ENDED;
        // the agent's call for the ACD (wrap-up, COMPLETEAGENT/COMPLETECALLER, the entry's hash) and the record
        report.ended(queue, agent, cause, hungUpBy, agentHungUp);
        reports.report(kind, agent.agentId, reason);
        agent.stream.close();
        legs.forget(agent);
        for (AgentBranch leg : dialled) {
            leg.stream.close();
            if (leg.branch.isFinal()) {
                legs.forget(leg);
            }
        }
        desk.ended(this);
    }

    private void cancelDialTimer() {
        if (dialTimer != null) {
            dialTimer.cancel();
        }
    }

    private static String agents(OfferGrant grant) {
        return String.join(",", grant.agents().stream().map(OfferGrant.Reservation::agentId).toList());
    }
}
