package io.tandem.callback.ticket;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.api.sync.RedisCommands;
import io.tandem.callback.cluster.ServiceKeys;
import io.tandem.protocol.callback.CallbackKeys;
import io.tandem.protocol.callback.NodeCommand;
import io.tandem.protocol.callback.NodeKeys;
import io.tandem.protocol.callback.TicketEvent;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Works the tickets: a ticket is offered to the queue's agents through the same atomic claim as calls. The service
 * hands it to one live node ({@link NodeCommand.Kind#OFFER_TICKET}; the ticket's own node when it still beats), which
 * puts it in the queue's wait set at the caller's original place (enqueue time, priority) as an entry of its own;
 * any node's dispatcher claims it for an agent like a caller, and the node that holds it rings the agent, then calls
 * the customer. One entry per ticket, one offer per entry: offered at most once at a time, cluster-wide. What the
 * node reports ({@link TicketEvent}) moves the ticket through {@link TicketState}'s table; an attempt that reaches
 * nobody waits {@code retry-delay} ({@link ServiceKeys#ticketsDue}) and is then handed to a node again, until
 * {@code max-attempts}. Every step is a compare-and-set or idempotent (command ids), so any instance may run it.
 */
@Component
public class TicketWork {

    private static final Logger log = LoggerFactory.getLogger(TicketWork.class);
    /** A node's command stream is trimmed to about this many entries (as the room commands are). */
    private static final long COMMANDS_MAX_LENGTH = 10_000;
    /** Tickets handed out per check and tenant; the rest wait for the next check. */
    private static final int DUE_BATCH = 100;
    /** A hand-out claimed by an instance that died before it finished is due again after this. */
    private static final long HAND_OUT_LEASE_MS = 30_000;
    /** Ticket hash field: the assignee its node was last given (empty: anyone), to see a change made elsewhere. */
    private static final String OFFERED_ASSIGNEE = "offeredAssignee";

    /**
     * KEYS[1] the due set; ARGV[1] ticket, ARGV[2] now, ARGV[3] the lease's end. 1 = this caller hands it out (its
     * score moves to the lease's end), 0 = not due, or another instance or thread is handing it out.
     */
    private static final String CLAIM_HAND_OUT = """
            local due = redis.call('ZSCORE', KEYS[1], ARGV[1])
            if not due or tonumber(due) > tonumber(ARGV[2]) then return 0 end
            redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
            return 1
            """;

    private final RedisCommands<String, String> redis;
    private final Tickets tickets;
    private final TicketProperties properties;
    private final Clock clock;

    TicketWork(RedisCommands<String, String> redis, Tickets tickets, TicketProperties properties, Clock clock) {
        this.redis = redis;
        this.tickets = tickets;
        this.properties = properties;
        this.clock = clock;
    }

    /** A new open ticket: handed to a node at once. */
    public void opened(String tenant, Ticket ticket) {
        redis.zadd(ServiceKeys.ticketsDue(tenant), clock.millis(), ticket.id());
        handOut(tenant, ticket.id());
    }

    /** An assignee changed: a ticket waiting on a node gets it there (the command only updates its entry). */
    public void assigned(String tenant, Ticket ticket) {
        if (ticket.state() == TicketState.OPEN && !ticket.holder().isEmpty()) {
            offer(tenant, ticket.holder(), ticket);
        }
    }

    /** A cancelled ticket leaves the wait set it was in. */
    public void cancelled(String tenant, Ticket ticket) {
        redis.zrem(ServiceKeys.ticketsDue(tenant), ticket.id());
        String holder = redis.hget(ServiceKeys.ticketsHeld(tenant), ticket.id());
        redis.hdel(ServiceKeys.ticketsHeld(tenant), ticket.id());
        if (holder != null && !holder.isEmpty()) {
            command(tenant, holder, NodeCommand.Kind.WITHDRAW_TICKET, ticket, "");
        }
    }

    /** One entry of the tenant's ticket events: the ticket moves on. */
    public void onTicketEvent(String tenant, TicketEvent event) {
        Optional<Ticket> found = tickets.find(tenant, event.ticket());
        if (found.isEmpty()) {
            log.warn("ticket event {} for unknown ticket {} from node {}; ignored", event.kind().wire(),
                    event.ticket(), event.node());
            return;
        }
        Ticket ticket = found.get();
        Tickets.Change change = switch (event.kind()) {
            case OFFERED -> tickets.move(tenant, ticket.id(), TicketState.OFFERED, Map.of("agent", event.agent(),
                    "holder", event.node()), null);
            case DECLINED -> tickets.move(tenant, ticket.id(), TicketState.OPEN, Map.of("agent", ""), null);
            case DIALLING -> tickets.move(tenant, ticket.id(), TicketState.DIALLING, Map.of("agent", event.agent()),
                    null);
            case CONNECTED -> tickets.move(tenant, ticket.id(), TicketState.CONNECTED, Map.of(),
                    new Attempt(event.at(), event.agent(), "connected", ""));
            case UNANSWERED -> unanswered(tenant, ticket, event);
            case ENDED -> {
                redis.hdel(ServiceKeys.ticketsHeld(tenant), ticket.id());
                yield tickets.move(tenant, ticket.id(), TicketState.DONE, Map.of("holder", ""), null);
            }
            case WITHDRAWN -> {
                log.info("ticket {}: node {} took it out of its wait set ({})", ticket.id(), event.node(),
                        event.reason());
                yield new Tickets.Change.Done(ticket);
            }
        };
        if (change instanceof Tickets.Change.Conflict conflict) {
            // A repeat (redelivered, taken over) or an event overtaken by a supervisor's cancel: nothing to do.
            log.info("ticket {}: {} from node {} ignored, the ticket is {}", ticket.id(), event.kind().wire(),
                    event.node(), conflict.state().wire());
        }
    }

    /** The customer was not reached: another attempt after the retry delay, or failed when none is left. */
    private Tickets.Change unanswered(String tenant, Ticket ticket, TicketEvent event) {
        Attempt attempt = new Attempt(event.at(), event.agent(), event.reason(), "");
        redis.hdel(ServiceKeys.ticketsHeld(tenant), ticket.id());
        if (ticket.attempts().size() + 1 >= ticket.maxAttempts()) {
            log.info("ticket {}: customer {} not reached ({}) on attempt {} of {}; failed", ticket.id(),
                    ticket.callerNumber(), event.reason(), ticket.attempts().size() + 1, ticket.maxAttempts());
            return tickets.move(tenant, ticket.id(), TicketState.FAILED, Map.of("agent", "", "holder", "",
                    "reason", event.reason()), attempt);
        }
        long retryAt = clock.millis() + properties.retryDelay().toMillis();
        Tickets.Change change = tickets.move(tenant, ticket.id(), TicketState.RETRY_WAIT, Map.of("agent", "",
                "holder", "", "retryAt", Long.toString(retryAt)), attempt);
        if (change instanceof Tickets.Change.Done) {
            redis.zadd(ServiceKeys.ticketsDue(tenant), retryAt, ticket.id());
            log.info("ticket {}: customer {} not reached ({}); offered again in {}", ticket.id(),
                    ticket.callerNumber(), event.reason(), properties.retryDelay());
        }
        return change;
    }

    /**
     * Every {@code check-interval}: tickets due (new, or their retry delay passed) are handed to a node; tickets held
     * by a node without a heartbeat are handed to another (an entry not yet offered), count as an attempt that
     * reached nobody (a customer being dialled), or are done (a connected call the node lost).
     */
    public void check(String tenant) {
        long now = clock.millis();
        for (String id : redis.zrangebyscore(ServiceKeys.ticketsDue(tenant), Range.create(0, now),
                Limit.create(0, DUE_BATCH))) {
            handOut(tenant, id);
        }
        for (Map.Entry<String, String> held : redis.hgetall(ServiceKeys.ticketsHeld(tenant)).entrySet()) {
            if (redis.exists(NodeKeys.node(held.getValue())) > 0) {
                tickets.find(tenant, held.getKey()).ifPresent(t -> reconcile(tenant, t, held.getValue()));
                continue;
            }
            Optional<Ticket> ticket = tickets.find(tenant, held.getKey());
            redis.hdel(ServiceKeys.ticketsHeld(tenant), held.getKey());
            if (ticket.isEmpty()) {
                continue;
            }
            log.warn("ticket {}: node {} working it has no heartbeat; it is handed on", held.getKey(),
                    held.getValue());
            switch (ticket.get().state()) {
                case OPEN, OFFERED -> {
                    tickets.move(tenant, held.getKey(), TicketState.OPEN, Map.of("agent", "", "holder", ""), null);
                    redis.zadd(ServiceKeys.ticketsDue(tenant), now, held.getKey());
                }
                case DIALLING -> onTicketEvent(tenant, new TicketEvent(TicketEvent.Kind.UNANSWERED, held.getKey(),
                        held.getValue(), ticket.get().agent(), "node-lost", now));
                // the customer was reached before the node died with the call: the callback took place
                case CONNECTED -> tickets.move(tenant, held.getKey(), TicketState.DONE, Map.of("holder", ""), null);
                default -> log.debug("ticket {} is {}: nothing to hand on", held.getKey(),
                        ticket.get().state().wire());
            }
        }
    }

    /**
     * A ticket a node holds, changed without this service: the supervisor panel assigns and cancels with the same
     * compare-and-set ({@code Tickets.TRANSITION}) straight in Redis, so the node must still be told. A cancelled
     * ticket is withdrawn; an open one whose assignee is not the one its node was given is offered again with it.
     */
    private void reconcile(String tenant, Ticket ticket, String node) {
        if (ticket.state() == TicketState.CANCELLED) {
            log.info("ticket {} was cancelled while node {} held it; withdrawn", ticket.id(), node);
            cancelled(tenant, ticket);
            return;
        }
        String given = redis.hget(CallbackKeys.ticket(tenant, ticket.id()), OFFERED_ASSIGNEE);
        if (ticket.state() == TicketState.OPEN && !ticket.assignee().equals(given == null ? "" : given)) {
            log.info("ticket {} was assigned to '{}' while node {} held it; the node is told", ticket.id(),
                    ticket.assignee(), node);
            offer(tenant, node, ticket);
        }
    }

    /** Tells the node holding an open ticket to offer it (to its assignee alone, when it has one). */
    private void offer(String tenant, String node, Ticket ticket) {
        redis.hset(CallbackKeys.ticket(tenant, ticket.id()), OFFERED_ASSIGNEE, ticket.assignee());
        command(tenant, node, NodeCommand.Kind.OFFER_TICKET, ticket, ticket.assignee());
    }

    /**
     * Hands a due ticket to a live node: retry-wait → open first. The hand-out is claimed first (its due time moves
     * a lease ahead, in one script), so two instances, or a check racing a new ticket, hand it out once; an instance
     * dying mid-way leaves it due again when the lease ends.
     */
    private void handOut(String tenant, String id) {
        long now = clock.millis();
        Long claimed = redis.eval(CLAIM_HAND_OUT, ScriptOutputType.INTEGER,
                new String[] {ServiceKeys.ticketsDue(tenant)}, id, Long.toString(now),
                Long.toString(now + HAND_OUT_LEASE_MS));
        if (claimed == null || claimed == 0) {
            return;
        }
        Optional<Ticket> found = tickets.find(tenant, id);
        if (found.isEmpty() || !found.get().state().waiting()) {
            redis.zrem(ServiceKeys.ticketsDue(tenant), id);
            return;
        }
        Ticket ticket = found.get();
        if (ticket.state() == TicketState.RETRY_WAIT) {
            Tickets.Change change = tickets.move(tenant, id, TicketState.OPEN, Map.of("retryAt", "0"), null);
            if (!(change instanceof Tickets.Change.Done done)) {
                redis.zrem(ServiceKeys.ticketsDue(tenant), id);
                return;
            }
            ticket = done.ticket();
        }
        Optional<String> node = liveNode(ticket.node());
        if (node.isEmpty()) {
            redis.zadd(ServiceKeys.ticketsDue(tenant), clock.millis(), id);
            log.warn("ticket {}: no live node to work it; tried again in {}", id, properties.checkInterval());
            return;
        }
        // Held before the command: a node that dies between the two is found by the next check.
        redis.hset(ServiceKeys.ticketsHeld(tenant), id, node.get());
        tickets.move(tenant, id, TicketState.OPEN, Map.of("holder", node.get()), null);
        offer(tenant, node.get(), ticket);
        redis.zrem(ServiceKeys.ticketsDue(tenant), id);
        log.info("ticket {} (customer {}, queue {}) handed to node {}{}", id, ticket.callerNumber(), ticket.queue(),
                node.get(), ticket.assignee().isEmpty() ? "" : " for agent " + ticket.assignee());
    }

    /** The ticket's own node when it beats, else the first live node by id. */
    private Optional<String> liveNode(String preferred) {
        if (!preferred.isEmpty() && redis.exists(NodeKeys.node(preferred)) > 0) {
            return Optional.of(preferred);
        }
        List<String> nodes = new ArrayList<>(redis.smembers(NodeKeys.nodes()));
        nodes.sort(null);
        return nodes.stream().filter(n -> redis.exists(NodeKeys.node(n)) > 0).findFirst();
    }

    private void command(String tenant, String node, NodeCommand.Kind kind, Ticket ticket, String user) {
        // One id per hand-out and attempt: a repeat of the same hand-out is carried out once by the node.
        String id = "ticket:" + ticket.id() + ":" + kind.wire() + ":" + ticket.attempts().size() + ":"
                + ticket.updatedAt();
        NodeCommand command = new NodeCommand(id, kind, tenant, ticket.id(), user, "", clock.millis());
        redis.xadd(CallbackKeys.nodeCommands(node), XAddArgs.Builder.maxlen(COMMANDS_MAX_LENGTH)
                .approximateTrimming(), command.fields());
    }
}
