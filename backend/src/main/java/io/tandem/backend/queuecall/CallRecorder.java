package io.tandem.backend.queuecall;

import io.lettuce.core.RedisException;
import io.tandem.backend.acd.queues.QueueDefinition;
import io.tandem.backend.cdr.CallRecord;
import io.tandem.backend.cdr.CallRecords;
import io.tandem.backend.redis.OwedWrites;
import java.time.Clock;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writes a queue call's end owes the cluster (its record, the agent leaving ON_CALL, the live list), and the
 * clock and node id its record is written with. The call
 * itself ends whatever Redis does; while Redis is away a write is retried every second, so once it is back the agent
 * becomes available again instead of staying ON_CALL for good.
 */
final class CallRecorder {

    /** The ACD's side of an agent's call (Claims): the agent leaves ON_CALL. */
    interface Agents {
        void callEnded(String tenant, QueueDefinition queue, String agentId, boolean agentHungUp);
    }

    private static final Logger log = LoggerFactory.getLogger(CallRecorder.class);

    private final CallRecords records;
    private final OwedWrites writes;
    private final Agents agents;
    /** The clock the records' times are read from. */
    final Clock clock;
    /** This node, where the records' calls were answered. */
    final String nodeId;

    CallRecorder(CallRecords records, OwedWrites writes, Agents agents, Clock clock, String nodeId) {
        this.records = records;
        this.writes = writes;
        this.agents = agents;
        this.clock = clock;
        this.nodeId = nodeId;
    }

    /** The agent's call ended, owed. */
    void agentCallEnded(String tenant, String callId, QueueDefinition queue, String agentId, boolean agentHungUp) {
        owed("queue call " + callId + ": end of " + agentId + "'s call",
                () -> agents.callEnded(tenant, queue, agentId, agentHungUp));
    }

    /** Runs {@code write} now, and again every second while Redis is away. */
    void owed(String what, Runnable write) {
        writes.now(what, write);
    }

    /** The call's record, owed: the queue, the agent or the extension that took it ("" for none). */
    void record(CallRecord record, String agent, String extension) {
        owed("queue call " + record.callId() + ": its record", () -> append(record, agent, extension));
    }

    private void append(CallRecord record, String agent, String extension) {
        try {
            records.append(record, extension.isEmpty() ? Map.of("queue", record.to(), "agent", agent)
                    : Map.of("queue", record.to(), "agent", agent, "extension", extension));
        } catch (RedisException e) {
            throw e; // Redis away: owed() retries it
        } catch (RuntimeException e) {
            log.warn("queue call {}: cannot write its record: {}", record.callId(), e.getMessage());
        }
    }
}
