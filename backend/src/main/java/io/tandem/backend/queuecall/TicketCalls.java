package io.tandem.backend.queuecall;

import io.lettuce.core.XAddArgs;
import io.tandem.backend.acd.dispatch.Callers;
import io.tandem.backend.acd.queues.QueueDefinition;
import io.tandem.backend.conference.TicketCommands;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.Redis;
import io.tandem.backend.wake.CallWakes;
import io.tandem.protocol.LiveCall;
import io.tandem.protocol.callback.NodeCommand;
import io.tandem.protocol.callback.TicketEvent;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The callback tickets this node works (the callback service hands a ticket to one live node with
 * {@link NodeCommand.Kind#OFFER_TICKET}): reads the ticket's hash for the customer and the caller's place, puts the
 * ticket's entry in its queue's wait set ({@link TicketCall}), and finds the ticket again when the ACD's claim grants
 * its entry an offer. Reports go to the tenant's ticket-event stream as writes the call owes the cluster (retried
 * while Redis is away).
 */
final class TicketCalls implements TicketCommands, TicketCall.Desk {

    private static final Logger log = LoggerFactory.getLogger(TicketCalls.class);
    /** The ticket-event stream is trimmed to about this many entries (the service reads them within seconds). */
    private static final long EVENTS_MAX_LENGTH = 10_000;

    private final Redis redis;
    private final Acd acd;
    private final OutgoingLegs legs;
    private final CallRecorder recorder;
    private final QueueCallThreads threads;
    private final Duration dialTimeout;
    private final CallWakes wakes;
    /** Tickets by their wait-set entry id. */
    private final Map<String, TicketCall> working = new ConcurrentHashMap<>();

    TicketCalls(Redis redis, Acd acd, OutgoingLegs legs, CallRecorder recorder, QueueCallThreads threads,
            Duration dialTimeout, CallWakes wakes) {
        this.wakes = wakes;
        this.redis = redis;
        this.acd = acd;
        this.legs = legs;
        this.recorder = recorder;
        this.threads = threads;
        this.dialTimeout = dialTimeout;
    }

    /** The ticket whose wait-set entry is {@code entryId}, if this node works it. */
    TicketCall find(String entryId) {
        return entryId == null ? null : working.get(entryId);
    }

    int active() {
        return working.size();
    }

    @Override
    public void offer(NodeCommand command) {
        String tenant = command.tenant();
        String ticketId = command.room();
        TicketCall known = working.get(TicketCall.entryId(ticketId));
        if (known != null && known.state() != TicketCall.State.ENDED) {
            known.join(command.user()); // waiting already: the new assignee
            return;
        }
        Map<String, String> ticket = redis.commands().hgetall(Keys.ticket(tenant, ticketId));
        if (ticket.isEmpty()) {
            log.warn("ticket {} of {} handed to this node does not exist; ignored", ticketId, tenant);
            return;
        }
        Optional<QueueDefinition> queue = acd.queues().find(tenant, ticket.getOrDefault("queue", ""));
        if (queue.isEmpty()) {
            log.warn("ticket {}: queue '{}' of {} does not exist; withdrawn", ticketId, ticket.get("queue"), tenant);
            report(tenant, ticketId, TicketEvent.Kind.WITHDRAWN, "", "no-such-queue");
            return;
        }
        TicketCall.Customer customer = new TicketCall.Customer(ticketId, ticket.getOrDefault("callerNumber", ""),
                ticket.getOrDefault("callerName", ""), (int) number(ticket, "priority"), number(ticket, "enqueuedAt"),
                command.id());
        String entryId = TicketCall.entryId(ticketId);
        TicketCall call = new TicketCall(tenant, customer, queue.get(), acd, legs, Timers.on(threads.timers()),
                new CallReport(new CallingParty(tenant, entryId, customer.number(), customer.name()), recorder),
                (kind, agent, reason) -> report(tenant, ticketId, kind, agent, reason), this, dialTimeout, wakes);
        // findable before it joins: the claim behind the join may grant it an offer at once
        working.put(entryId, call);
        Callers.Joined joined = call.join(command.user());
        if (joined.refused() == Callers.Refused.ALREADY_WAITING && heldByADeadNode(tenant, queue.get(), entryId)) {
            // handed on from a node that died holding it, before the sweeper dropped its entry: taken over here
            acd.callers().leave(tenant, queue.get().number(), entryId, Callers.Exit.LOST_NODE, "", "");
            joined = call.join(command.user());
        }
        if (joined.refused() == Callers.Refused.ALREADY_WAITING) {
            // another node holds the entry (a hand-out repeated after a takeover): one entry, one offer at a time
            working.remove(entryId, call);
            log.info("ticket {} already waits in {}@{} on another node; not worked here", ticketId,
                    queue.get().number(), tenant);
        }
        acd.dispatcher().claimed(tenant, queue.get().number(), joined.offers(),
                grant -> grant.callId().equals(entryId));
    }

    private boolean heldByADeadNode(String tenant, QueueDefinition queue, String entryId) {
        return acd.callers().find(tenant, queue.number(), entryId)
                .map(entry -> !entry.owner().equals(recorder.nodeId)
                        && redis.commands().exists(Keys.node(entry.owner())) == 0)
                .orElse(false);
    }

    @Override
    public void withdraw(NodeCommand command) {
        TicketCall call = working.get(TicketCall.entryId(command.room()));
        if (call == null) {
            log.info("ticket {} is not worked on this node; nothing to withdraw", command.room());
            return;
        }
        call.withdraw();
    }

    /** Supervisor monitors of this node's calls; none until {@link MonitorLegs} is built. */
    private volatile MonitorLegs monitors;

    void watch(MonitorLegs legs) {
        monitors = legs;
    }

    /** Listed under the wait-set entry id, so the ticket's id stays the one a supervisor finds it by. */
    @Override
    public void listed(TicketCall call, LiveCall.State state, AgentBranch agent, Monitorable media) {
        MonitorLegs watching = monitors;
        if (watching != null) {
            long now = threads.clock().millis();
            TicketCall.Customer customer = call.customer();
            watching.listed(call.tenant, new LiveCall(call.entryId, call.queueNumber(), customer.number(),
                    customer.name(), agent.agentId, recorder.nodeId, agent.agentNode,
                    state == LiveCall.State.TICKET_CONNECTED ? now : 0, null, state, now), media);
        }
    }

    @Override
    public void ended(TicketCall call) {
        working.remove(call.entryId, call);
        MonitorLegs watching = monitors;
        if (watching != null) {
            watching.ended(call.tenant, call.entryId);
        }
    }

    /** Node stopping: the tickets' legs close; the service hands them on once this node's heartbeat is gone. */
    void close() {
        working.values().forEach(TicketCall::close);
    }

    private void report(String tenant, String ticketId, TicketEvent.Kind kind, String agent, String reason) {
        TicketEvent event = new TicketEvent(kind, ticketId, recorder.nodeId, agent, reason,
                threads.clock().millis());
        recorder.owed("ticket " + ticketId + ": " + kind.wire(), () -> redis.commands().xadd(
                Keys.ticketEvents(tenant), XAddArgs.Builder.maxlen(EVENTS_MAX_LENGTH).approximateTrimming(),
                event.fields()));
    }

    private static long number(Map<String, String> hash, String field) {
        try {
            return Long.parseLong(hash.getOrDefault(field, "0"));
        } catch (NumberFormatException e) {
            log.warn("ticket {}: field {} is not a number ('{}'); read as 0", hash.get("id"), field, hash.get(field));
            return 0;
        }
    }
}
