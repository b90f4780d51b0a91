package io.tandem.backend.queuecall;

import io.tandem.backend.acd.dispatch.Callers;
import io.tandem.backend.acd.dispatch.Claims;
import io.tandem.backend.acd.dispatch.OfferGrant;
import io.tandem.backend.acd.queues.QueueDefinition;
import io.tandem.backend.campaign.Attempt;
import io.tandem.backend.campaign.AttemptResult;
import io.tandem.backend.campaign.Campaign;
import io.tandem.backend.campaign.CampaignDialer;
import io.tandem.backend.campaign.Outcome;
import io.tandem.backend.node.sip.OutgoingBranch;
import io.tandem.backend.routing.Route;
import io.tandem.backend.trunk.Seizure;
import io.tandem.backend.trunk.TrunkHunt;
import io.tandem.telephony.codec.Codecs;
import io.tandem.telephony.sdp.NegotiatedMedia;
import io.tandem.telephony.sip.SipMessages;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sip.ClientTransaction;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call of a campaign on this node, customer first: the INVITE goes to the carrier over the seized trunk channel
 * (From the trunk's number); a definite failure before anything reached the customer (503 before any 18x, or no
 * answer at all within the trunk's invite timeout) moves it to the next trunk with room, one at a time, never two at
 * once. No answer within the campaign's ring time: CANCEL, no-answer. The customer's answer puts the call in the
 * campaign's queue as a caller of this node, its entry's data naming the campaign, the contact and the attempt (the
 * agent's offer shows them); the offer rings the agent as any caller's does ({@link RingingOffer}), and the agent's
 * answer bridges the two ({@link CallBridge}). No agent within the safe-harbour time: the customer hears the
 * safe-harbour prompt and is hung up on, and the attempt is abandoned. The trunk channel is held until the call
 * ends. The attempt's outcome is told to the campaign once. Guarded by its own monitor.
 */
final class CampaignCall implements BranchOwner, RingingOffer.Caller {

    private static final Logger log = LoggerFactory.getLogger(CampaignCall.class);

    enum State { DIALLING, WAITING, RINGING, CONNECTED, ENDED }

    /** The node's list of the campaign calls it holds. */
    interface Desk {
        /** The answered call joins its queue under {@code entryId}: findable for the offers of its entry. */
        void entered(String entryId, CampaignCall call);

        void ended(CampaignCall call);
    }

    /** What the call needs of the node besides its legs. */
    record Services(Acd acd, OutgoingLegs legs, QueueMedia media, Timers later, CallRecorder recorder,
            Duration safeHarbour, List<String> safeHarbourPrompt) {
    }

    private final Attempt attempt;
    private final QueueDefinition queue;
    private final TrunkHunt hunt;
    private final CampaignDialer.Progress progress;
    private final Services node;
    private final Desk desk;

    private State state = State.DIALLING;
    /** The carrier branch now wanted; older ones (a silent trunk's) only wait for their final response. */
    private AgentBranch customer;
    private Seizure seizure;
    /** Whether the current branch had any response, and a 18x (the customer may have heard it ring). */
    private boolean responded;
    private boolean alerted;
    private boolean everAlerted;
    private Timers.Timer ringTimer;
    private Timers.Timer harbourTimer;
    private RingingOffer offer;
    private AgentBranch agent;
    private CallReport report;
    /** The entry's id in the wait set: the customer leg's Call-ID once answered. */
    private String entryId;
    private boolean told;

    CampaignCall(Attempt attempt, QueueDefinition queue, TrunkHunt hunt, CampaignDialer.Progress progress,
            Services node, Desk desk) {
        this.attempt = attempt;
        this.queue = queue;
        this.hunt = hunt;
        this.progress = progress;
        this.node = node;
        this.desk = desk;
    }

    @Override
    public String tenant() {
        return attempt.tenant();
    }

    /** The carrier sees the trunk's number; the agent sees the contact. */
    @Override
    public String callingNumber(AgentBranch branch) {
        return branch.offer != null ? attempt.contact().number() : seizure.callerNumber();
    }

    @Override
    public String callingName(AgentBranch branch) {
        return branch.offer != null ? attempt.contact().name() : "";
    }

    /** The entry id in the wait set (the customer leg's Call-ID), null before the answer. */
    synchronized String entryId() {
        return entryId;
    }

    /** Sends the first INVITE; the ring time runs from here. */
    synchronized void dial(Seizure first) {
        ringTimer = node.later().after(Duration.ofSeconds(attempt.campaign().ringSeconds()), this::ringedOut);
        if (!send(first) && !nextTrunk()) {
            fail(Outcome.FAILED, Response.SERVICE_UNAVAILABLE);
        }
    }

    /** A branch to {@code seized}'s trunk; false (channel given back) when its INVITE could not be sent. */
    private boolean send(Seizure seized) {
        if (!hunt.sendable(seized)) {
            return false;
        }
        OutgoingMedia media;
        try {
            media = node.legs().media();
        } catch (IOException e) {
            log.warn("campaign {}: no RTP port for the call: {}", attempt, e.getMessage());
            hunt.release(seized);
            return false;
        }
        seizure = seized; // the INVITE's From is the seized trunk's number
        AgentBranch branch = node.legs().dialCarrier(this, seized, hunt.number(), media);
        if (branch == null) {
            hunt.release(seized);
            return false;
        }
        hunt.sent(seized);
        customer = branch;
        responded = false;
        alerted = false;
        node.later().after(hunt.inviteTimeout(), () -> carrierSilent(branch));
        return true;
    }

    /** Seizes the next trunk with room and sends its INVITE; false when none is left. */
    private boolean nextTrunk() {
        for (Optional<Seizure> next = hunt.next(); next.isPresent(); next = hunt.next()) {
            log.info("campaign {}: failing over to trunk {}", attempt, next.get().trunk());
            if (send(next.get())) {
                return true;
            }
        }
        return false;
    }

    /** The carrier left the INVITE without any answer: nothing reached the customer; the next trunk is tried. */
    private void carrierSilent(AgentBranch branch) {
        synchronized (this) {
            if (state != State.DIALLING || branch != customer || responded) {
                return;
            }
            log.info("campaign {}: trunk {} did not answer the INVITE", attempt, seizure.trunk());
            branch.branch.cancel();
            hunt.release(seizure);
            customer = null;
            if (!nextTrunk()) {
                fail(Outcome.FAILED, Response.SERVICE_UNAVAILABLE);
            }
        }
    }

    private void ringedOut() {
        synchronized (this) {
            if (state != State.DIALLING) {
                return;
            }
            log.info("campaign {}: no answer within {} s", attempt, attempt.campaign().ringSeconds());
            if (customer != null) {
                customer.branch.cancel();
            }
            fail(Outcome.NO_ANSWER, Response.REQUEST_TERMINATED);
        }
    }

    @Override
    public synchronized void onResponse(AgentBranch branch, ResponseEvent event) {
        OutgoingBranch.Step step = node.legs().step(branch, event);
        if (step == null) {
            return;
        }
        onStep(branch, step, event.getResponse());
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
        if (branch == customer && response != null) {
            responded = true;
            int status = response.getStatusCode();
            if (status > 100 && status < 200) {
                alerted = true; // RFC 3261 §21.1.2: 180/183, the customer may hear it ring
                everAlerted = true;
            }
        }
        switch (step) {
            case ANSWERED -> customerAnswered(branch, response);
            case ENDED -> carrierEnded(branch);
            default -> {
            }
        }
    }

    private void carrierEnded(AgentBranch branch) {
        node.legs().drop(branch, false);
        if (branch != customer || state != State.DIALLING) {
            return; // a silent trunk's branch or one cancelled at the ring time: already accounted for
        }
        int status = branch.branch.finalStatus();
        hunt.release(seizure);
        customer = null;
        // RFC 3261 §21.5.4: a 503 before any 18x is the carrier's own refusal; the customer was never reached
        if (status == Response.SERVICE_UNAVAILABLE && !alerted && !branch.branch.cancelled()) {
            if (nextTrunk()) {
                return;
            }
        }
        fail(Outcome.ofFailure(status), status);
    }

    private void customerAnswered(AgentBranch branch, Response response) {
        if (branch != customer || state != State.DIALLING) {
            node.legs().drop(branch, true); // RFC 3261 §15: an answer after we gave up on it only gets a BYE
            return;
        }
        NegotiatedMedia media;
        try {
            media = branch.accept(SipMessages.bodyText(response));
        } catch (Exception e) {
            log.info("campaign {}: answered without usable SDP ({})", attempt, e.getMessage());
            node.legs().drop(branch, true);
            hunt.release(seizure);
            customer = null;
            tell(reached(Outcome.FAILED, Response.NOT_ACCEPTABLE_HERE));
            finish();
            return;
        }
        cancel(ringTimer);
        branch.stream.start(media.remoteRtp(), Codecs.create(media.codec()), media.telephoneEventPayloadType());
        entryId = branch.callId();
        report = new CallReport(new CallingParty(attempt.tenant(), entryId, attempt.contact().number(),
                attempt.contact().name(), seizure.leg()), node.recorder());
        report.answered();
        progress.answered(attempt);
        if (attempt.campaign().mode() == Campaign.Mode.BROADCAST) {
            state = State.CONNECTED;
            tell(reached(Outcome.ANSWERED, Response.OK));
            List<String> words = attempt.campaign().prompt().isEmpty() ? node.safeHarbourPrompt()
                    : attempt.campaign().prompt();
            log.info("campaign {}: answered on trunk {}; playing its prompt", attempt, seizure.trunk());
            goodbye(words, "normal");
            return;
        }
        branch.stream.setSource(node.media().music(queue.musicOnHold()));
        state = State.WAITING;
        harbourTimer = node.later().after(node.safeHarbour(), this::safeHarbour);
        desk.entered(entryId, this);
        log.info("campaign {}: answered on trunk {}; waiting for an agent of {}", attempt, seizure.trunk(),
                queue.number());
        Map<String, String> data = Map.of("campaign", attempt.campaign().id(), "contact", attempt.contact().id(),
                "attempt", Integer.toString(attempt.number()));
        Callers.Joined joined = attempt.assignee().isEmpty()
                ? node.acd().callers().join(attempt.tenant(), queue, entryId, attempt.contact().number(),
                        attempt.contact().name(), 0, Map.of(), data)
                : node.acd().callers().joinAssigned(attempt.tenant(), queue, entryId, attempt.contact().number(),
                        attempt.contact().name(), data, attempt.assignee());
        if (!joined.ok()) {
            log.info("campaign {}: queue {} refused the call ({})", attempt, queue.number(), joined.refused());
            abandon("queue-refused");
            return;
        }
        for (OfferGrant grant : joined.offers()) {
            if (grant.callId().equals(entryId)) {
                place(grant, node.legs().routes(attempt.tenant(), grant));
            }
        }
        node.acd().dispatcher().claimed(attempt.tenant(), queue.number(), joined.offers(),
                grant -> grant.callId().equals(entryId));
    }

    /** An offer the ACD claimed for this call: the agent rings, as for any caller. */
    synchronized void place(OfferGrant grant, Map<String, Route> routes) {
        if (state != State.WAITING) {
            node.acd().claims().release(attempt.tenant(), queue, grant.offerId(),
                    state == State.ENDED ? "caller-gone" : "busy");
            return;
        }
        state = State.RINGING;
        Claims claims = node.acd().claims();
        offer = new RingingOffer(grant, Duration.ofSeconds(queue.ringTimeoutSeconds()), new RingingOffer.Reports() {
            @Override
            public Claims.Answer accept(String agentId, long version) {
                return claims.accept(attempt.tenant(), queue, grant.offerId(), agentId, version);
            }

            @Override
            public String noAnswer(String agentId) {
                return claims.noAnswer(attempt.tenant(), queue, grant.offerId(), agentId);
            }

            @Override
            public String unreachable(String agentId) {
                return claims.noAnswer(attempt.tenant(), queue, grant.offerId(), agentId, Claims.Miss.UNREACHABLE);
            }
        }, new RingingOffer.Lines() {
            @Override
            public AgentBranch ring(OfferGrant g, OfferGrant.Reservation r, Route.Target target) {
                return node.legs().ring(CampaignCall.this, g, r, target);
            }

            @Override
            public void release(AgentBranch branch) {
                node.legs().drop(branch, false);
            }
        }, this, node.later(), this);
        offer.ring(routes);
    }

    @Override
    public boolean waiting() {
        return state == State.RINGING;
    }

    /** The agent answered and the claim accepted it: customer and agent are bridged; the attempt is answered. */
    @Override
    public void connect(RingingOffer ringing, AgentBranch branch, NegotiatedMedia media) {
        cancel(harbourTimer);
        agent = branch;
        state = State.CONNECTED;
        branch.stream.start(media.remoteRtp(), Codecs.create(media.codec()), media.telephoneEventPayloadType());
        new CallBridge(customer.stream, branch.stream);
        tell(reached(Outcome.ANSWERED, Response.OK));
        log.info("campaign {}: connected to agent {}", attempt, branch.agentId);
    }

    /** Every agent of the offer was answered for without a winner: the call waits on (until the safe harbour). */
    @Override
    public void over(RingingOffer ringing) {
        if (state == State.RINGING) {
            state = State.WAITING;
        }
    }

    /** No agent took the answered call in time: the safe-harbour prompt, then BYE; abandoned. */
    private void safeHarbour() {
        synchronized (this) {
            if (state == State.WAITING || state == State.RINGING) {
                log.info("campaign {}: no agent within {} ms; safe-harbour prompt", attempt,
                        node.safeHarbour().toMillis());
                abandon("safe-harbour");
            }
        }
    }

    private void abandon(String why) {
        if (offer != null) {
            offer.withdraw();
        }
        node.acd().callers().leave(attempt.tenant(), queue.number(), entryId, Callers.Exit.ABANDON, "", why);
        state = State.ENDED;
        tell(reached(Outcome.ABANDONED, Response.OK));
        goodbye(node.safeHarbourPrompt(), "abandoned");
    }

    /**
     * The customer hears {@code words}, then our BYE; the record says {@code cause}. The BYE waits until the prompt
     * has been sent, as the media thread counts it ({@link Goodbye}), not for a wall-clock timer of its length: under
     * load the media clock skips ticks and such a timer cut the prompt short.
     */
    private void goodbye(List<String> words, String cause) {
        AgentBranch leg = customer;
        Goodbye goodbye = new Goodbye(node.media().prompts(words, frame -> false), node.media().promptsLength(words));
        leg.stream.setSource(goodbye.source());
        goodbye.afterHeard(node.later(), () -> {
            synchronized (this) {
                if (customer != leg) {
                    return; // the customer hung up first
                }
                state = State.ENDED;
                leg.branch.bye();
                close(leg);
                report.ended(queue, null, cause, "system", false);
                finish();
            }
        });
    }

    @Override
    public synchronized void onAgentRequest(AgentBranch branch, ServerTransaction st) {
        String method = st.getRequest().getMethod();
        if (Request.INVITE.equals(method)) {
            node.legs().reanswer(branch, st, branch == customer ? seizure.callerNumber()
                    : attempt.contact().number());
            return;
        }
        node.legs().ok(st);
        if (!Request.BYE.equals(method)) {
            return;
        }
        if (state == State.CONNECTED && agent == null && branch == customer) {
            // a broadcast's customer hung up during the prompt
            close(customer);
            report.ended(queue, null, "normal", "caller", false);
            state = State.ENDED;
            finish();
        } else if (state == State.CONNECTED && (branch == agent || branch == customer)) {
            boolean byAgent = branch == agent;
            (byAgent ? customer : agent).branch.bye();
            close(customer);
            close(agent);
            report.ended(queue, agent, "normal", byAgent ? "callee" : "caller", byAgent);
            state = State.ENDED;
            finish();
        } else if ((state == State.WAITING || state == State.RINGING) && branch == customer) {
            // the customer hung up before any agent took the call
            cancel(harbourTimer);
            if (offer != null) {
                offer.withdraw();
            }
            node.acd().callers().leave(attempt.tenant(), queue.number(), entryId, Callers.Exit.ABANDON, "", "");
            state = State.ENDED;
            close(customer);
            report.ended(queue, null, "abandoned", "caller", false);
            tell(reached(Outcome.ABANDONED, Response.OK));
            finish();
        } else if (branch != customer) {
            node.legs().drop(branch, false);
        }
    }

    /** The ACD ended the ringing offer behind our back: CANCEL at once; the call waits on. */
    synchronized void offerEnded(String offerId, String reason) {
        if (offer != null && offer.offerId().equals(offerId)) {
            offer.endedByAcd(reason);
        }
    }

    /** The node stops: streams close; the campaign's sweep settles the attempt once this node is gone. */
    synchronized void close() {
        if (state == State.ENDED) {
            return;
        }
        state = State.ENDED;
        cancel(ringTimer);
        cancel(harbourTimer);
        if (offer != null) {
            offer.withdraw();
        }
        if (customer != null) {
            customer.stream.close();
        }
        if (agent != null) {
            agent.stream.close();
        }
    }

    private void fail(Outcome outcome, int status) {
        cancel(ringTimer);
        state = State.ENDED;
        tell(new AttemptResult(outcome, status, everAlerted, seizure == null ? "" : seizure.trunk(),
                seizure == null ? 0 : seizure.seizedAt()));
        finish();
    }

    /** The result of a call the customer answered (or may have): on the current trunk. */
    private AttemptResult reached(Outcome outcome, int status) {
        return new AttemptResult(outcome, status, true, seizure.trunk(), seizure.seizedAt());
    }

    private void tell(AttemptResult result) {
        if (!told) {
            told = true;
            progress.ended(attempt, result);
        }
    }

    /** The call is over: the trunk channel is given back (once; a failed dial gave it back already). */
    private void finish() {
        if (customer != null && seizure != null) {
            hunt.release(seizure);
            customer = null;
        }
        desk.ended(this);
    }

    private void close(AgentBranch leg) {
        if (leg == null) {
            return;
        }
        leg.stream.close();
        if (leg.branch.isFinal()) {
            node.legs().forget(leg);
        }
    }

    private static void cancel(Timers.Timer timer) {
        if (timer != null) {
            timer.cancel();
        }
    }
}
