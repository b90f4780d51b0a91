package io.tandem.callback.ticket;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import io.tandem.callback.cluster.TenantEvents;
import io.tandem.protocol.callback.CallbackKeys;
import io.tandem.protocol.callback.RoomEvent;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The tenants' callback tickets in Redis: one hash per ticket ({@link CallbackKeys#ticket}) and a sorted set by
 * creation time ({@link CallbackKeys#tickets}). Every change is a script (create-if-absent, compare-and-set on the
 * state), so several service instances may act on the same room or ticket at once and one of them wins; each change
 * is published as a {@code callback.ticket} event for supervisors.
 */
@Component
public class Tickets {

    /** The tenant event every change of a ticket publishes. */
    public static final String EVENT = "callback.ticket";

    private static final Logger log = LoggerFactory.getLogger(Tickets.class);

    /** KEYS[1] ticket, KEYS[2] index; ARGV[1] score, ARGV[2] id, ARGV[3..] fields. 1 = created, 0 = it existed. */
    private static final String CREATE = """
            if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
            redis.call('HSET', KEYS[1], unpack(ARGV, 3))
            redis.call('ZADD', KEYS[2], ARGV[1], ARGV[2])
            return 1
            """;

    /**
     * KEYS[1] ticket; ARGV[1] the states it may be in (comma-separated), ARGV[2] an attempt to append (JSON, or
     * empty), ARGV[3..] fields to set. Returns {@code ok}, {@code missing}, or the state it is in when that is not
     * allowed.
     */
    private static final String TRANSITION = """
            local state = redis.call('HGET', KEYS[1], 'state')
            if not state then return 'missing' end
            local allowed = false
            for s in string.gmatch(ARGV[1], '[^,]+') do if s == state then allowed = true end end
            if not allowed then return state end
            if ARGV[2] ~= '' then
              local attempts = cjson.decode(redis.call('HGET', KEYS[1], 'attempts') or '[]')
              attempts[#attempts + 1] = cjson.decode(ARGV[2])
              redis.call('HSET', KEYS[1], 'attempts', cjson.encode(attempts))
            end
            redis.call('HSET', KEYS[1], unpack(ARGV, 3))
            return 'ok'
            """;

    private static final int SCAN_PAGE = 200;
    /** A list request looks at this many tickets at most (newest first), however few match its filters. */
    private static final int SCAN_MAX = 10_000;

    private final RedisCommands<String, String> redis;
    private final TicketProperties properties;
    private final TenantEvents events;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();

    /** What a change of a ticket came to: done, no such ticket, or refused in the state it is in. */
    public sealed interface Change {
        record Done(Ticket ticket) implements Change {
        }

        record Missing() implements Change {
        }

        record Conflict(TicketState state) implements Change {
        }
    }

    Tickets(RedisCommands<String, String> redis, TicketProperties properties, TenantEvents events, Clock clock) {
        this.redis = redis;
        this.properties = properties;
        this.events = events;
        this.clock = clock;
    }

    /**
     * Opens the ticket of a parked caller nobody took; the ticket keeps the caller's enqueue time and priority. The
     * room's id is the ticket's, so a second call for the same room (a redelivered event, another instance) changes
     * nothing and returns empty.
     */
    public Optional<Ticket> open(String tenant, RoomEvent parked, String reason) {
        long now = clock.millis();
        Ticket ticket = new Ticket(parked.room(), TicketState.OPEN, parked.queue(), parked.callerNumber(),
                parked.callerName(), parked.enqueuedAt(), parked.priority(), parked.room(), parked.node(),
                parked.callId(), reason, now, now, "", properties.maxAttempts(), List.of(), "", "", 0);
        List<String> args = new ArrayList<>(List.of(Long.toString(now), ticket.id()));
        fields(ticket).forEach((name, value) -> {
            args.add(name);
            args.add(value);
        });
        Long created = redis.eval(CREATE, ScriptOutputType.INTEGER,
                new String[] {CallbackKeys.ticket(tenant, ticket.id()), CallbackKeys.tickets(tenant)},
                args.toArray(String[]::new));
        if (created == null || created == 0L) {
            log.debug("ticket {} of tenant {} exists already", ticket.id(), tenant);
            return Optional.empty();
        }
        log.info("callback ticket {} opened for {} on queue {} ({}), tenant {}", ticket.id(), ticket.callerNumber(),
                ticket.queue(), reason, tenant);
        publish(tenant, ticket);
        return Optional.of(ticket);
    }

    public Optional<Ticket> find(String tenant, String id) {
        Map<String, String> hash = redis.hgetall(CallbackKeys.ticket(tenant, id));
        return hash.isEmpty() ? Optional.empty() : Optional.of(decode(hash));
    }

    /** Newest first, those in {@code state} (when given) of {@code queue} (when given), at most {@code limit}. */
    public List<Ticket> list(String tenant, Optional<TicketState> state, Optional<String> queue, int limit) {
        List<Ticket> found = new ArrayList<>();
        for (int start = 0; start < SCAN_MAX && found.size() < limit; start += SCAN_PAGE) {
            List<String> ids = redis.zrevrange(CallbackKeys.tickets(tenant), start, start + SCAN_PAGE - 1);
            for (String id : ids) {
                Optional<Ticket> ticket = find(tenant, id);
                if (ticket.isPresent() && state.map(s -> s == ticket.get().state()).orElse(true)
                        && queue.map(q -> q.equals(ticket.get().queue())).orElse(true)) {
                    found.add(ticket.get());
                    if (found.size() == limit) {
                        break;
                    }
                }
            }
            if (ids.size() < SCAN_PAGE) {
                break;
            }
        }
        return found;
    }

    /** Assigns a waiting ticket to an agent (it stays waiting; only that agent is offered it). */
    public Change assign(String tenant, String id, String agent) {
        return change(tenant, id, EnumSet.of(TicketState.OPEN, TicketState.RETRY_WAIT), Map.of("assignee", agent),
                null);
    }

    /** Cancels a waiting ticket: nobody will call the customer back. */
    public Change cancel(String tenant, String id, String by) {
        return move(tenant, id, TicketState.CANCELLED, Map.of("cancelledBy", by, "agent", "", "retryAt", "0"), null);
    }

    /**
     * Moves a ticket to {@code to} if its state may become that ({@link TicketState#from}), setting {@code fields}
     * and appending {@code attempt} (or none) in the same step; published as a {@code callback.ticket} event.
     */
    public Change move(String tenant, String id, TicketState to, Map<String, String> fields, Attempt attempt) {
        Map<String, String> all = new LinkedHashMap<>(fields);
        all.put("state", to.wire());
        return change(tenant, id, TicketState.from(to), all, attempt);
    }

    private Change change(String tenant, String id, Set<TicketState> from, Map<String, String> fields,
            Attempt attempt) {
        List<String> args = new ArrayList<>();
        args.add(from.stream().map(TicketState::wire).collect(Collectors.joining(",")));
        try {
            args.add(attempt == null ? "" : json.writeValueAsString(attempt));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("attempts are plain records", e);
        }
        fields.forEach((name, value) -> {
            args.add(name);
            args.add(value);
        });
        args.add("updatedAt");
        args.add(Long.toString(clock.millis()));
        String result = redis.eval(TRANSITION, ScriptOutputType.VALUE,
                new String[] {CallbackKeys.ticket(tenant, id)}, args.toArray(String[]::new));
        if ("missing".equals(result)) {
            return new Change.Missing();
        }
        if (!"ok".equals(result)) {
            return new Change.Conflict(TicketState.of(result).orElseThrow(
                    () -> new IllegalStateException("ticket " + id + " has an unknown state '" + result + "'")));
        }
        Ticket ticket = find(tenant, id).orElseThrow(() -> new IllegalStateException("ticket " + id + " vanished"));
        publish(tenant, ticket);
        return new Change.Done(ticket);
    }

    private void publish(String tenant, Ticket ticket) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("ticket", ticket.id());
        fields.put("state", ticket.state().wire());
        fields.put("callerNumber", ticket.callerNumber());
        fields.put("callerName", ticket.callerName());
        fields.put("reason", ticket.reason());
        fields.put("assignee", ticket.assignee());
        fields.put("enqueuedAt", Long.toString(ticket.enqueuedAt()));
        fields.put("priority", Integer.toString(ticket.priority()));
        fields.put("agent", ticket.agent());
        fields.put("attempts", Integer.toString(ticket.attempts().size()));
        fields.put("maxAttempts", Integer.toString(ticket.maxAttempts()));
        fields.put("retryAt", Long.toString(ticket.retryAt()));
        events.emit(tenant, EVENT, ticket.queue(), ticket.assignee(), ticket.callId(), fields);
    }

    private Map<String, String> fields(Ticket t) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("id", t.id());
        f.put("state", t.state().wire());
        f.put("queue", t.queue());
        f.put("callerNumber", t.callerNumber());
        f.put("callerName", t.callerName());
        f.put("enqueuedAt", Long.toString(t.enqueuedAt()));
        f.put("priority", Integer.toString(t.priority()));
        f.put("room", t.room());
        f.put("node", t.node());
        f.put("callId", t.callId());
        f.put("reason", t.reason());
        f.put("createdAt", Long.toString(t.createdAt()));
        f.put("updatedAt", Long.toString(t.updatedAt()));
        f.put("assignee", t.assignee());
        f.put("maxAttempts", Integer.toString(t.maxAttempts()));
        f.put("holder", t.holder());
        f.put("agent", t.agent());
        f.put("retryAt", Long.toString(t.retryAt()));
        try {
            f.put("attempts", json.writeValueAsString(t.attempts()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("attempts are plain records", e);
        }
        return f;
    }

    private Ticket decode(Map<String, String> h) {
        List<Attempt> attempts;
        try {
            attempts = json.readValue(h.getOrDefault("attempts", "[]"), new TypeReference<List<Attempt>>() {
            });
        } catch (JsonProcessingException e) {
            log.warn("ticket {}: attempts are not readable JSON; shown as none", h.get("id"), e);
            attempts = List.of();
        }
        String state = h.getOrDefault("state", "");
        return new Ticket(h.getOrDefault("id", ""),
                TicketState.of(state).orElseThrow(() -> new IllegalStateException("unknown ticket state " + state)),
                h.getOrDefault("queue", ""), h.getOrDefault("callerNumber", ""), h.getOrDefault("callerName", ""),
                number(h, "enqueuedAt"), (int) number(h, "priority"), h.getOrDefault("room", ""),
                h.getOrDefault("node", ""), h.getOrDefault("callId", ""), h.getOrDefault("reason", ""),
                number(h, "createdAt"), number(h, "updatedAt"), h.getOrDefault("assignee", ""),
                (int) number(h, "maxAttempts"), attempts, h.getOrDefault("holder", ""), h.getOrDefault("agent", ""),
                number(h, "retryAt"));
    }

    private static long number(Map<String, String> hash, String field) {
        String value = hash.get(field);
        if (value == null || value.isEmpty()) {
            return 0;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            log.warn("ticket {}: field {} is not a number ('{}'); read as 0", hash.get("id"), field, value);
            return 0;
        }
    }
}
