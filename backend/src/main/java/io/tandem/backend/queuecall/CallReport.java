package io.tandem.backend.queuecall;

import io.tandem.backend.acd.QueueDefinition;
import io.tandem.backend.cdr.CallRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What a queue call leaves behind when it ends: its record (CDR: who called which queue, when it was answered and
 * ended, why, by whom, on which nodes) and, when an agent took it, the end of the agent's call for the ACD. Both are
 * owed writes ({@link CallRecorder}). A call refused at the door leaves no record: the queue log has its FULL or
 * JOINEMPTY. Guarded by the call's lock.
 */
final class CallReport {

    /** The ACD's side of an agent's call (Claims): the agent leaves ON_CALL. */
    interface Agents {
        void callEnded(String tenant, QueueDefinition queue, String agentId, boolean agentHungUp);
    }

    /** Who the call is, for its record. */
    record Caller(String tenant, String callId, String number) {
    }

    private final Caller caller;
    private final Clock clock;
    private final String nodeId;
    private final CallRecorder recorder;
    private final Agents agents;
    private final Instant startedAt;
    private Instant answeredAt;

    CallReport(Caller caller, Clock clock, String nodeId, CallRecorder recorder, Agents agents) {
        this.caller = caller;
        this.clock = clock;
        this.nodeId = nodeId;
        this.recorder = recorder;
        this.agents = agents;
        this.startedAt = clock.instant();
    }

    /** An agent or an extension answered: the record's answer time. */
    void answered() {
        answeredAt = clock.instant();
    }

    /** How long the caller has been with us (a callback request says how long it waited). */
    Duration waited() {
        return Duration.between(startedAt, clock.instant());
    }

    /**
     * The call ended in {@code queue}: connected to {@code with} (an agent's or the extension's branch) or to
     * nobody (null).
     */
    void ended(QueueDefinition queue, AgentBranch with, String cause, String hungUpBy, boolean agentHungUp) {
        if (with != null && !with.toExtension()) {
            recorder.owed("queue call " + caller.callId() + ": end of " + with.agentId + "'s call",
                    () -> agents.callEnded(caller.tenant(), queue, with.agentId, agentHungUp));
        }
        if ("refused".equals(cause)) {
            return;
        }
        List<String> nodes = with == null || with.agentNode == null || with.agentNode.equals(nodeId)
                ? List.of(nodeId) : List.of(nodeId, with.agentNode);
        CallRecord record = new CallRecord(caller.callId(), caller.tenant(), caller.number(), queue.number(), nodes,
                startedAt, answeredAt, clock.instant(), cause, hungUpBy);
        recorder.record(record, with == null || with.toExtension() ? "" : with.agentId,
                with != null && with.toExtension() ? with.agentId : "");
    }
}
