package io.tandem.backend.queuecall;

import io.tandem.backend.acd.dispatch.Claims;
import io.tandem.backend.call.TransferAdmission;
import io.tandem.backend.node.sip.OutgoingBranch;
import io.tandem.telephony.sdp.NegotiatedMedia;
import java.util.Optional;
import javax.sip.ServerTransaction;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connected agent transfers its queue caller (RFC 3515 REFER, RFC 5589 §6): blind, to another queue of the tenant
 * or to an extension, or attended (Replaces, §7), joining the caller to the agent's consultation ({@link
 * AttendedJoin}); either only to what the agent may call itself ({@link AgentTransfer#admitted}). The agent's part
 * ends for the ACD as a hang-up's would (wrap-up), with BLINDTRANSFER or ATTENDEDTRANSFER in the queue log; the call
 * and its record go on with the caller and carry the transfer. The transferor's side (202, NOTIFYs, its leg ended) is
 * {@link AgentTransfer}'s; what the queue call becomes is its {@link Call}'s. Guarded by the call's lock.
 */
final class CallerTransfer {

    private static final Logger log = LoggerFactory.getLogger(CallerTransfer.class);

    /** What a transfer changes in its queue call. */
    interface Call {
        /** The agent connected to the caller, who may transfer it; null when the caller talks to no agent. */
        AgentBranch transferor();

        /** The queue and tenant the caller is in ({@code 7440@demo}), for the log. */
        String where();

        /** The agent's part ends for the ACD by a transfer of {@code ending} to {@code target}. */
        void agentTransferred(AgentBranch agent, Claims.CallEnding ending, String target);

        /**
         * A blind transfer: the caller leaves {@code agent} (its part ended by {@link #agentTransferred}) for
         * {@code target}, a queue of the tenant where it waits again, or else an extension rung from here.
         */
        void sendTo(AgentBranch agent, String target);

        /** An attended transfer joined: the caller talks to {@code leg}. */
        void talksTo(AgentBranch leg, NegotiatedMedia media);

        /** The agent hung up counting on a join that failed: the caller has nobody left. */
        void leftAlone();
    }

    private final Call call;
    private final CallerBranches lines;
    private final AgentTransfer transfers;
    private final OutgoingLegs legs;
    private final Timers later;
    private final String tenant;
    /** The call as its log lines name it ({@code queue call <id> from <number>}). */
    private final String label;
    /** The connected agent's attended transfer while its join is out; null otherwise. */
    private AttendedJoin joining;

    CallerTransfer(Call call, CallerBranches lines, AgentTransfer transfers, OutgoingLegs legs, Timers later,
            String tenant, String label) {
        this.call = call;
        this.lines = lines;
        this.transfers = transfers;
        this.legs = legs;
        this.later = later;
        this.tenant = tenant;
        this.label = label;
    }

    /** A REFER on {@code agent}'s dialog; one not on the connected agent's → 481. */
    void onRefer(AgentBranch agent, ServerTransaction st) {
        if (agent != call.transferor() || agent.toExtension()) {
            transfers.refuse(st, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, "No queue call of this agent to transfer");
            return;
        }
        Optional<AgentTransfer.Referral> referral = transfers.read(st);
        if (referral.isEmpty() || !transfers.admitted(tenant, agent, st, referral.get())) {
            return;
        }
        if (joining != null) {
            transfers.refuse(st, Response.REQUEST_PENDING, "A transfer is in progress");
            return;
        }
        if (referral.get().attended()) {
            attended(agent, st, referral.get());
            return;
        }
        transfers.accepted(agent, st);
        String target = referral.get().number();
        log.info("{}: agent {} transfers it from {} to {}", label, agent.agentId, call.where(), target);
        call.sendTo(agent, target);
        transfers.succeeded(agent);
    }

    /**
     * The attended transfer: the join goes out ({@link AttendedJoin}), 202 and NOTIFY 100 meanwhile; the agent and the
     * caller still talk until its outcome ({@link #joinOutcome}).
     */
    private void attended(AgentBranch agent, ServerTransaction st, AgentTransfer.Referral referral) {
        AttendedJoin join = new AttendedJoin(lines, joinOutcome, later, agent, referral);
        Optional<TransferAdmission.Refusal> refused = join.locate();
        if (refused.isPresent()) {
            log.info("{}: agent {}'s attended transfer to {} refused: {} {}", label, agent.agentId,
                    referral.number(), refused.get().status(), refused.get().reason());
            transfers.refuse(st, refused.get().status(), refused.get().reason());
            return;
        }
        transfers.accepted(agent, st);
        log.info("{}: agent {} joins it from {} to {}, whom it consulted", label, agent.agentId, call.where(),
                referral.number());
        joining = join;
        join.dial();
    }

    /**
     * The connected agent hung up: true when its attended transfer is out (RFC 5589 §7: the transferor may hang up
     * once its REFER is accepted; the join decides the call), false when the call ends with it.
     */
    boolean transferorLeft() {
        if (joining == null) {
            return false;
        }
        joining.transferorLeft();
        return true;
    }

    /** What the INVITE of the caller's leg of an attended transfer came to; other legs' steps are not ours. */
    void onStep(AgentBranch branch, OutgoingBranch.Step step, Response response) {
        if (joining != null && joining.owns(branch)) {
            joining.onStep(branch, step, response);
        }
    }

    /** The call ends: a join still out is given up. */
    void cancel() {
        if (joining != null) {
            joining.cancel();
            joining = null;
        }
    }

    /** What the join came to; called under the call's lock. */
    private final AttendedJoin.Outcome joinOutcome = new AttendedJoin.Outcome() {
        @Override
        public void joined(AttendedJoin join, AgentBranch leg, NegotiatedMedia media) {
            joining = null;
            AgentBranch agent = join.agent;
            // The agent's end first (wrap-up, ATTENDEDTRANSFER); the record goes on with the colleague's leg.
            call.agentTransferred(agent, Claims.CallEnding.ATTENDED_TRANSFER, join.number);
            if (join.hasTransferorLeft()) {
                legs.drop(agent, false);
            } else {
                agent.stream.close();
                transfers.succeeded(agent);
            }
            call.talksTo(leg, media);
            log.info("{} now talks to {} on {} (attended transfer by {}; queue {})", label, leg.agentId,
                    leg.agentNode, agent.agentId, call.where());
        }

        @Override
        public void notJoined(AttendedJoin join, int status, String reason) {
            joining = null;
            log.info("{}: agent {}'s attended transfer to {} failed: {} {}", label, join.agent.agentId, join.number,
                    status, reason);
            if (call.transferor() != join.agent) {
                return;
            }
            if (join.hasTransferorLeft()) {
                call.leftAlone(); // the agent hung up counting on the transfer
            } else {
                transfers.failed(join.agent, status, reason);
            }
        }
    };
}
