package io.tandem.backend.tickets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.LuaScript;
import io.tandem.backend.redis.Redis;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * The tenant's callback tickets for the panel, read straight from the callback service's Redis keys
 * ({@code protocol.callback.CallbackKeys.ticket} / {@code tickets}): a node needs neither the service's address nor
 * credentials for it. Assigning and cancelling go through the service's own compare-and-set on the ticket's state
 * ({@code tickets/transition.lua}), so a supervisor and a service instance working the ticket never both win.
 */
@Service
class CallbackTickets {

    private static final Logger log = LoggerFactory.getLogger(CallbackTickets.class);
    private static final LuaScript TRANSITION = LuaScript.load("tickets/transition", ScriptOutputType.VALUE);
    /** The states nobody works a ticket in: the only ones a supervisor may change (as the service allows). */
    static final String CHANGEABLE = "open,retry-wait";

    private final Redis redis;
    private final Clock clock;
    private final ObjectMapper json;

    CallbackTickets(Redis redis, Clock clock, ObjectMapper json) {
        this.redis = redis;
        this.clock = clock;
        this.json = json;
    }

    /** What a change came to. */
    sealed interface Change {
        record Done(CallbackTicket ticket) implements Change {
        }

        record Missing() implements Change {
        }

        /** The ticket is in a state nobody may change it in (being worked, or finished). */
        record Refused(String state) implements Change {
        }
    }

    /** Newest first, among the newest {@code scan}, those in one of {@code states} (all when empty). */
    List<CallbackTicket> list(String tenant, Set<String> states, int scan) {
        List<String> ids = redis.commands().zrevrange(Keys.tickets(tenant), 0, scan - 1L);
        List<RedisFuture<Map<String, String>>> replies = new ArrayList<>(ids.size());
        for (String id : ids) {
            replies.add(redis.async().hgetall(Keys.ticket(tenant, id)));
        }
        List<CallbackTicket> tickets = new ArrayList<>();
        for (RedisFuture<Map<String, String>> reply : replies) {
            Map<String, String> hash = Redis.await(reply);
            if (!hash.isEmpty() && (states.isEmpty() || states.contains(hash.get("state")))) {
                tickets.add(decode(hash));
            }
        }
        return tickets;
    }

    Change assign(String tenant, String id, String agent) {
        return change(tenant, id, "assignee", agent);
    }

    Change cancel(String tenant, String id, String by) {
        return change(tenant, id, "state", "cancelled", "cancelledBy", by);
    }

    private Change change(String tenant, String id, String... fields) {
        List<String> args = new ArrayList<>(List.of(CHANGEABLE));
        args.addAll(List.of(fields));
        args.add("updatedAt");
        args.add(Long.toString(clock.millis()));
        String result = redis.run(TRANSITION, List.of(Keys.ticket(tenant, id)), args.toArray(String[]::new));
        if ("missing".equals(result)) {
            return new Change.Missing();
        }
        if (!"ok".equals(result)) {
            return new Change.Refused(result);
        }
        Map<String, String> hash = redis.commands().hgetall(Keys.ticket(tenant, id));
        return hash.isEmpty() ? new Change.Missing() : new Change.Done(decode(hash));
    }

    private CallbackTicket decode(Map<String, String> h) {
        return new CallbackTicket(h.getOrDefault("id", ""), h.getOrDefault("state", ""), h.getOrDefault("queue", ""),
                h.getOrDefault("callerNumber", ""), h.getOrDefault("callerName", ""), (int) number(h, "priority"),
                h.getOrDefault("reason", ""), Instant.ofEpochMilli(number(h, "createdAt")),
                Instant.ofEpochMilli(number(h, "updatedAt")), h.getOrDefault("assignee", ""), attempts(h),
                (int) number(h, "maxAttempts"));
    }

    /** The service keeps its attempts as a JSON array; the panel shows how many. */
    private int attempts(Map<String, String> h) {
        try {
            JsonNode attempts = json.readTree(h.getOrDefault("attempts", "[]"));
            return attempts.isArray() ? attempts.size() : 0;
        } catch (JsonProcessingException e) {
            log.warn("callback ticket {}: attempts are not readable JSON; shown as 0", h.get("id"));
            return 0;
        }
    }

    private static long number(Map<String, String> h, String field) {
        String value = h.get(field);
        if (value == null || value.isEmpty()) {
            return 0;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            log.warn("callback ticket {}: {} is not a number ('{}'); shown as 0", h.get("id"), field, value);
            return 0;
        }
    }
}
