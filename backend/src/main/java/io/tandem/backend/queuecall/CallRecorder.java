package io.tandem.backend.queuecall;

import io.lettuce.core.RedisException;
import io.tandem.backend.acd.dispatch.Claims;
import io.tandem.backend.acd.queues.QueueDefinition;
import io.tandem.backend.cdr.CallRecord;
import io.tandem.backend.cdr.CallRecords;
import io.tandem.backend.redis.OwedWrites;
import io.tandem.backend.trunk.CarrierChannels;
import io.tandem.backend.trunk.CarrierLeg;
import java.time.Clock;
import java.util.LinkedHashMap;
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
        void callEnded(String tenant, QueueDefinition queue, String agentId, Claims.CallEnding how, String target);
    }

    private static final Logger log = LoggerFactory.getLogger(CallRecorder.class);

    private final CallRecords records;
    private final OwedWrites writes;
    private final Agents agents;
    /** The clock the records' times are read from. */
    final Clock clock;
    /** This node, where the records' calls were answered. */
    final String nodeId;

    /** Appends an entry to a tenant's queue log, in the ACD scripts' field layout. */
    interface QueueLog {
        void append(String tenant, Map<String, String> fields);
    }

    private final QueueLog queueLog;
    /** The trunk channels calls from the public network hold while they last. */
    private final CarrierChannels channels;

    CallRecorder(CallRecords records, OwedWrites writes, Agents agents, Clock clock, String nodeId,
            QueueLog queueLog, CarrierChannels channels) {
        this.queueLog = queueLog;
        this.channels = channels;
        this.records = records;
        this.writes = writes;
        this.agents = agents;
        this.clock = clock;
        this.nodeId = nodeId;
    }

    /** The agent's call ended, owed. */
    void agentCallEnded(String tenant, String callId, QueueDefinition queue, String agentId, boolean agentHungUp) {
        agentCallEnded(tenant, callId, queue, agentId,
                agentHungUp ? Claims.CallEnding.AGENT : Claims.CallEnding.CALLER, "");
    }

    /** The agent's part of the call is over ({@code how}; {@code target} a transfer's), owed. */
    void agentCallEnded(String tenant, String callId, QueueDefinition queue, String agentId, Claims.CallEnding how,
            String target) {
        owed("queue call " + callId + ": end of " + agentId + "'s call",
                () -> agents.callEnded(tenant, queue, agentId, how, target));
    }

    /** Runs {@code write} now, and again every second while Redis is away. */
    void owed(String what, Runnable write) {
        writes.now(what, write);
    }

    /** The call's record, owed: the queue, the agent or the extension that took it ("" for none). */
    void record(CallRecord record, String agent, String extension) {
        owed("queue call " + record.callId() + ": its record", () -> append(record, agent, extension));
    }

    /**
     * A caller from the public network came in on {@code carrier}: Asterisk's queue_log {@code DID} entry (data1 the
     * DID; data2 the trunk, ours), owed like the records.
     */
    void carrierEntered(String tenant, String callId, String queue, CarrierLeg carrier) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("time", Long.toString(clock.millis()));
        fields.put("callid", callId);
        fields.put("queue", queue);
        fields.put("agent", "NONE");
        fields.put("event", "DID");
        fields.put("data1", carrier.did());
        fields.put("data2", carrier.trunk());
        fields.put("data3", "");
        owed("queue call " + callId + ": DID entry", () -> queueLog.append(tenant, fields));
        carrierCall(tenant, callId, carrier);
    }

    /** A call from the public network came in on {@code carrier}: it holds a channel of its trunk until its record. */
    void carrierCall(String tenant, String callId, CarrierLeg carrier) {
        channels.occupy(tenant, callId, carrier);
    }

    /**
     * The call's record, owed, naming the carrier's trunk and DID; a call that came in gives its trunk channel back
     * (one going out gave its seizure back as its branch ended).
     */
    void record(CallRecord record, String agent, String extension, CarrierLeg carrier) {
        record(record, agent, extension, carrier, "");
    }

    /**
     * The call's record, owed; {@code transfers}: the agents' transfers of the caller in order
     * ({@code 1001>1003 blind}, comma-separated, as a direct call's record says them), "" for none. A call that came
     * in gives its trunk channel back.
     */
    void record(CallRecord record, String agent, String extension, CarrierLeg carrier, String transfers) {
        owed("queue call " + record.callId() + ": its record",
                () -> append(record, agent, extension, carrier, transfers));
        channels.release(record.tenant(), record.callId(), carrier);
    }

    /** The record of a DID call that heard {@code prompt}; its trunk channel is given back. */
    void promptRecord(CallRecord record, String prompt, CarrierLeg carrier) {
        owed("prompt call " + record.callId() + ": its record", () -> {
            Map<String, String> extra = new LinkedHashMap<>();
            extra.put("prompt", prompt);
            extra.put("trunk", carrier.trunk());
            extra.put("did", carrier.did());
            records.append(record, extra);
        });
        channels.release(record.tenant(), record.callId(), carrier);
    }

    private void append(CallRecord record, String agent, String extension) {
        append(record, agent, extension, null, "");
    }

    private void append(CallRecord record, String agent, String extension, CarrierLeg carrier, String transfers) {
        try {
            Map<String, String> extra = new LinkedHashMap<>();
            extra.put("queue", record.to());
            extra.put("agent", agent);
            if (!extension.isEmpty()) {
                extra.put("extension", extension);
            }
            if (carrier != null) {
                extra.put("trunk", carrier.trunk());
                extra.put("did", carrier.did());
            }
            if (!transfers.isEmpty()) {
                extra.put("transfers", transfers);
            }
            records.append(record, extra);
        } catch (RedisException e) {
            throw e; // Redis away: owed() retries it
        } catch (RuntimeException e) {
            log.warn("queue call {}: cannot write its record: {}", record.callId(), e.getMessage());
        }
    }
}
