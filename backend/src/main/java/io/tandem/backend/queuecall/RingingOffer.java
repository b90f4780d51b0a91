package io.tandem.backend.queuecall;

import io.tandem.backend.acd.dispatch.Claims;
import io.tandem.backend.acd.dispatch.OfferGrant;
import io.tandem.backend.routing.Route;
import io.tandem.telephony.sdp.NegotiatedMedia;
import io.tandem.telephony.sdp.SessionDescription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One offer the ACD claimed for a waiting caller, while it rings: a branch to each place each reserved agent can be
 * reached, the queue's ring timeout, and what the claim scripts learn of it — each agent's outcome once (answered,
 * no answer; busy and decline count as no answer, RFC 3261 §21.4.7/§21.6.2), the first answer that the scripts
 * accept wins and the other branches are cancelled. When every agent has been answered for without a winner, the
 * caller keeps its place and is told the offer is over. Its collaborators are narrow so the state machine runs on
 * fake time in a unit test; guarded by the caller's lock (the ring timer takes it).
 */
final class RingingOffer {

    private static final Logger log = LoggerFactory.getLogger(RingingOffer.class);

    /** What the claim scripts hear about this offer's agents. */
    interface Reports {
        Claims.Answer accept(String agentId, long version);

        /** The agent missed the offer; returns the state it is in now. */
        String noAnswer(String agentId);

        /**
         * The agent cannot be reached at all (no binding, or 404 / 480 from every place it rang): out of the
         * available set at once; returns the state it is in now.
         */
        String unreachable(String agentId);
    }

    /** Final statuses that say the agent's phone is not there, rather than that it declined or rang out. */
    private static final Set<Integer> UNREACHABLE = Set.of(Response.NOT_FOUND, Response.TEMPORARILY_UNAVAILABLE);

    /** The agents' phones: a branch is rung (stream opened, INVITE sent) or not, and let go. */
    interface Lines {
        /** The ringing branch, or null when it could not be rung. */
        AgentBranch ring(OfferGrant grant, OfferGrant.Reservation reservation, Route.Target target);

        /** The branch will not carry the call: its stream closes (and it is forgotten once final). */
        void release(AgentBranch branch);
    }

    /** The waiting caller the offer rings for. */
    interface Caller {
        boolean waiting();

        /** An agent answered and won: the caller is put through to {@code branch}. */
        void connect(RingingOffer offer, AgentBranch branch, NegotiatedMedia media);

        /** Every agent was answered for without a winner: the caller keeps its place. */
        void over(RingingOffer offer);
    }

    private final OfferGrant grant;
    private final Duration ringTimeout;
    private final Reports reports;
    private final Lines lines;
    private final Caller caller;
    private final Timers timers;
    private final Object lock;
    private final List<AgentBranch> branches = new ArrayList<>();
    /** Agents whose outcome was already reported to the claim scripts. */
    private final Set<String> reported = new HashSet<>();
    private Timers.Timer ringTimer;
    private boolean over;

    RingingOffer(OfferGrant grant, Duration ringTimeout, Reports reports, Lines lines, Caller caller, Timers timers,
            Object lock) {
        this.grant = grant;
        this.ringTimeout = ringTimeout;
        this.reports = reports;
        this.lines = lines;
        this.caller = caller;
        this.timers = timers;
        this.lock = lock;
    }

    String offerId() {
        return grant.offerId();
    }

    boolean owns(AgentBranch branch) {
        return branches.contains(branch);
    }

    /** Over: won, answered for by every agent, ended by the ACD or given up with the caller. */
    boolean isOver() {
        return over;
    }

    /** Rings every reserved agent at each place its route names; an agent that cannot be rung misses the offer. */
    void ring(Map<String, Route> routes) {
        for (OfferGrant.Reservation reservation : grant.agents()) {
            Route route = routes.get(reservation.agentId());
            boolean sent = false;
            if (route instanceof Route.Ring ring) {
                for (Route.Target target : ring.targets()) {
                    AgentBranch branch = lines.ring(grant, reservation, target);
                    if (branch != null) {
                        branches.add(branch);
                        sent = true;
                    }
                }
            }
            if (!sent) {
                log.info("offer {}: agent {} cannot be reached ({})", offerId(), reservation.agentId(),
                        route == null ? "no route" : route.getClass().getSimpleName());
                if (route instanceof Route.Ring) {
                    noAnswer(reservation.agentId()); // a place we could not ring: ours to fix, not the agent's
                } else {
                    unreachable(reservation.agentId()); // the registrar knows no phone of the agent's
                }
            }
        }
        if (!endIfAnsweredFor()) {
            ringTimer = timers.after(ringTimeout, this::ringTimeout);
        }
    }

    /** An agent's 2xx, ACKed by its branch; {@code sdp} the answer's body. */
    void answered(AgentBranch branch, String sdp) {
        if (over || !caller.waiting()) {
            // RFC 3261 §15: another agent won, the offer ended or the caller left; this answer only gets a BYE.
            branch.branch.bye();
            lines.release(branch);
            return;
        }
        NegotiatedMedia media;
        try {
            media = branch.negotiator.accept(SessionDescription.parse(sdp));
        } catch (Exception e) {
            log.info("offer {}: agent {} answered without usable SDP", offerId(), branch.agentId);
            branch.branch.bye();
            lines.release(branch);
            agentFailed(branch);
            return;
        }
        if (media.srtp() != null) {
            // The agent took our SRTP offer (RFC 4568 §7.1.2): its stream encrypts to and decrypts from the agent.
            branch.stream.secure(media.srtp());
        }
        Claims.Answer verdict = reports.accept(branch.agentId, branch.reservation.version());
        reported.add(branch.agentId);
        if (verdict == Claims.Answer.LOST) {
            // the reservation is gone (lease ran out, the caller left, a supervisor freed the agent): release it
            log.info("offer {}: agent {} answered but lost the offer; BYE", offerId(), branch.agentId);
            branch.branch.bye();
            lines.release(branch);
            endIfAnsweredFor();
            return;
        }
        over = true;
        cancelRingTimer();
        for (AgentBranch other : branches) {
            if (other != branch) {
                other.branch.cancel();
                if (other.branch.isFinal()) {
                    lines.release(other);
                }
            }
        }
        caller.connect(this, branch, media);
    }

    /** The agent's phone refused, timed out, or took our CANCEL. */
    void ended(AgentBranch branch) {
        lines.release(branch);
        if (branch.branch.cancelled() || over || !caller.waiting()) {
            return; // our own CANCEL, or an offer already settled
        }
        agentFailed(branch);
    }

    /** Every place the agent rang failed: the agent missed the offer. */
    private void agentFailed(AgentBranch branch) {
        boolean stillRinging = branches.stream()
                .anyMatch(b -> b.agentId.equals(branch.agentId) && !b.branch.isFinal());
        if (!stillRinging && !reported.contains(branch.agentId)) {
            boolean nowhere = branches.stream().filter(b -> b.agentId.equals(branch.agentId))
                    .allMatch(b -> UNREACHABLE.contains(b.branch.finalStatus()));
            if (nowhere) {
                unreachable(branch.agentId);
            } else {
                noAnswer(branch.agentId); // declined, busy or timed out: the queue's miss rules
            }
        }
        endIfAnsweredFor();
    }

    private void unreachable(String agentId) {
        reported.add(agentId);
        String after = reports.unreachable(agentId);
        log.info("offer {}: agent {} cannot be reached; now {}", offerId(), agentId, after);
    }

    private void noAnswer(String agentId) {
        reported.add(agentId);
        String after = reports.noAnswer(agentId);
        log.info("offer {}: agent {} did not answer; now {}", offerId(), agentId, after);
    }

    /** The queue's ring timeout: CANCEL what still rings, a miss for each agent that did not answer. */
    private void ringTimeout() {
        synchronized (lock) {
            if (over || !caller.waiting()) {
                return;
            }
            for (AgentBranch branch : List.copyOf(branches)) {
                if (!branch.branch.isFinal()) {
                    branch.branch.cancel();
                    if (!reported.contains(branch.agentId)) {
                        noAnswer(branch.agentId);
                    }
                }
            }
            end();
        }
    }

    /**
     * The ACD ended the offer behind our back (a supervisor freed or logged out the agent, its lease ran out, the
     * caller was moved): CANCEL what still rings now rather than at the ring timeout (RFC 3261 §9.1). The script
     * already put the caller back in its place and answered for every agent.
     */
    void endedByAcd(String reason) {
        if (over) {
            return;
        }
        log.info("offer {} ended by the ACD ({}): CANCEL to its agents", offerId(), reason);
        cancelBranches();
        grant.agents().forEach(r -> reported.add(r.agentId()));
        end();
    }

    /** The caller left (hung up, exit key, maximum wait): every branch is cancelled, nothing more is reported. */
    void withdraw() {
        over = true;
        cancelRingTimer();
        cancelBranches();
    }

    private void cancelBranches() {
        for (AgentBranch branch : List.copyOf(branches)) {
            if (!branch.branch.isFinal()) {
                branch.branch.cancel();
            }
        }
    }

    /** True (and the offer over) once every agent has been answered for. */
    private boolean endIfAnsweredFor() {
        if (over) {
            return true;
        }
        for (OfferGrant.Reservation r : grant.agents()) {
            if (!reported.contains(r.agentId())) {
                return false;
            }
        }
        end();
        return true;
    }

    private void end() {
        over = true;
        cancelRingTimer();
        caller.over(this);
    }

    private void cancelRingTimer() {
        if (ringTimer != null) {
            ringTimer.cancel();
        }
    }
}
