package io.tandem.backend.queuecall;

import io.tandem.backend.acd.dispatch.Claims;
import io.tandem.backend.acd.queues.QueueDefinition;
import io.tandem.backend.cdr.CallRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What a queue call leaves behind when it ends: its record (CDR: who called which queue, when it was answered and
 * ended, why, by whom, on which nodes) and, when an agent took it, the end of the agent's call for the ACD. Both are
 * owed writes ({@link CallRecorder}). A call refused at the door leaves no record: the queue log has its FULL or
 * JOINEMPTY. Guarded by the call's lock.
 */
final class CallReport {

    private final CallingParty caller;
    private final CallRecorder recorder;
    private final Instant startedAt;
    private Instant answeredAt;
    /** The agents' transfers of the caller, in order ({@code 1001>1003 blind}). */
    private final List<String> transfers = new ArrayList<>();
    /** The agent who last transferred the caller: the record's agent when no later agent took it. */
    private String transferredBy = "";

    CallReport(CallingParty caller, CallRecorder recorder) {
        this.caller = caller;
        this.recorder = recorder;
        this.startedAt = recorder.clock.instant();
    }

    /** An agent or an extension answered: the record's answer time. */
    void answered() {
        if (answeredAt == null) {
            // a caller transferred to an extension is answered again: the record keeps the first answer
            answeredAt = recorder.clock.instant();
        }
    }

    /** How long the caller has been with us (a callback request says how long it waited). */
    Duration waited() {
        return Duration.between(startedAt, recorder.clock.instant());
    }

    /**
     * The agent connected to the caller in {@code queue} transferred it ({@code how}) to {@code target}: its part of
     * the call ends for the ACD now (wrap-up, BLINDTRANSFER / ATTENDEDTRANSFER in the queue log), the call and its
     * record go on with the caller.
     */
    void transferred(QueueDefinition queue, AgentBranch agent, Claims.CallEnding how, String target) {
        recorder.agentCallEnded(caller.tenant(), caller.callId(), queue, agent.agentId, how, target);
        transfers.add(agent.agentId + ">" + target
                + (how == Claims.CallEnding.ATTENDED_TRANSFER ? " attended" : " blind"));
        transferredBy = agent.agentId;
    }

    /**
     * The call ended in {@code queue}: connected to {@code with} (an agent's or the extension's branch) or to
     * nobody (null).
     */
    void ended(QueueDefinition queue, AgentBranch with, String cause, String hungUpBy, boolean agentHungUp) {
        if (with != null && !with.toExtension()) {
            recorder.agentCallEnded(caller.tenant(), caller.callId(), queue, with.agentId, agentHungUp);
        }
        if ("refused".equals(cause)) {
            return;
        }
        String here = recorder.nodeId;
        List<String> nodes = with == null || with.agentNode == null || with.agentNode.equals(here)
                ? List.of(here) : List.of(here, with.agentNode);
        record(queue, nodes, cause, hungUpBy, with == null || with.toExtension() ? transferredBy : with.agentId,
                with != null && with.toExtension() ? with.agentId : "");
    }

    /**
     * The call ended after {@code agent} dialled into the caller's room with a join token (its leg is on this node):
     * the end of its call for the ACD (wrap-up when it was put on call) and the record.
     */
    void endedWithDialIn(QueueDefinition queue, String agent, String cause, String hungUpBy, boolean agentHungUp) {
        recorder.agentCallEnded(caller.tenant(), caller.callId(), queue, agent, agentHungUp);
        record(queue, List.of(recorder.nodeId), cause, hungUpBy, agent, "");
    }

    private void record(QueueDefinition queue, List<String> nodes, String cause, String hungUpBy, String agent,
            String extension) {
        CallRecord record = new CallRecord(caller.callId(), caller.tenant(), caller.number(), queue.number(), nodes,
                startedAt, answeredAt, recorder.clock.instant(), cause, hungUpBy);
        recorder.record(record, agent, extension, caller.carrier(), String.join(",", transfers));
    }
}
