package io.tandem.backend.acd.dispatch;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.ScoredValue;
import io.tandem.backend.acd.AcdScripts;
import io.tandem.backend.acd.agents.AgentSessions;
import io.tandem.backend.acd.queues.QueueDefinition;
import io.tandem.backend.acd.queues.Queues;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.Redis;
import io.tandem.backend.redis.ScriptReply;
import io.tandem.protocol.Protocol;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Callers waiting in queues: one cluster-wide sorted set per queue (score: priority, then enqueue time) and a hash
 * per caller. Position and estimated wait are computed from Redis alone, so every node tells a caller the same.
 */
@Service
public class Callers {

    /** Why a caller could not join. */
    public enum Refused { QUEUE_FULL, QUEUE_EMPTY, ALREADY_WAITING, NO_SUCH_QUEUE }

    /** Why a caller left without an agent. */
    public enum Exit {
        ABANDON("abandon"), TIMEOUT("timeout"), EXIT_KEY("exitkey"), LOST_NODE("lost"), MOVED("moved"),
        /** Into a room on the caller's node, for the callback service (the queue log's PARK). */
        PARK("park"),
        /** The caller's phone is gone without a BYE: no ACK, no RTP and no answer to OPTIONS (the queue log's VANISHED). */
        VANISHED("vanished");

        final String wire;

        Exit(String wire) {
            this.wire = wire;
        }
    }

    /**
     * The outcome of {@link #enqueue}: a position, or why not; and the offers of the claim made right behind the
     * enqueue (for this caller or for others ahead of it), which the joining node places.
     */
    public record Joined(int position, Refused refused, List<OfferGrant> offers) {
        public Joined {
            offers = List.copyOf(offers);
        }

        public boolean ok() {
            return refused == null;
        }
    }

    private static final Logger log = LoggerFactory.getLogger(Callers.class);

    /** Fallback average handle time for the estimate while a queue has no completed call today. */
    private static final Duration DEFAULT_HANDLE_TIME = Duration.ofMinutes(3);

    private final Redis redis;
    private final AcdScripts scripts;
    private final Queues queues;
    private final Dispatcher dispatch;
    private final ObjectMapper json = Protocol.mapper();

    public Callers(Redis redis, AcdScripts scripts, Queues queues, Dispatcher dispatch) {
        this.redis = redis;
        this.scripts = scripts;
        this.queues = queues;
        this.dispatch = dispatch;
    }

    /** A caller answered on this node joins a queue; the dispatcher is told at once. */
    public Joined enqueue(String tenant, String queue, String callId, String number, String name, int priority,
            Map<String, Integer> skills, Map<String, String> data) {
        Optional<QueueDefinition> definition = queues.find(tenant, queue);
        if (definition.isEmpty()) {
            return new Joined(0, Refused.NO_SUCH_QUEUE, List.of());
        }
        Joined joined = join(tenant, definition.get(), callId, number, name, priority, skills, data, false);
        if (joined.ok()) {
            dispatch.queueChanged(tenant, queue);
        }
        return joined;
    }

    /**
     * As {@link #enqueue}, for a caller whose node has just read the queue's definition (no second read) and places
     * the offers itself ({@link Dispatcher#claimed}) once the caller is answered.
     */
    public Joined join(String tenant, QueueDefinition definition, String callId, String number, String name,
            int priority, Map<String, Integer> skills, Map<String, String> data) {
        return join(tenant, definition, callId, number, name, priority, skills, data, true);
    }

    /**
     * As {@link #join}, for a caller only {@code assignee} may be offered (a preview campaign's call, for the agent who
     * asked for it); the offers the claim makes behind it are the caller's to place.
     */
    public Joined joinAssigned(String tenant, QueueDefinition definition, String callId, String number, String name,
            Map<String, String> data, String assignee) {
        return join(tenant, definition, callId, number, name, 0, Map.of(), data, true, 0, "call", assignee);
    }

    /**
     * A callback ticket this node works joins its queue as an entry of its own ({@code kind} ticket) at the caller's
     * original place: {@code enqueuedAt} and {@code priority} make the same score the call had, so it is claimed in
     * the order the call would have been. It waits even with nobody logged in and past the queue's maximum length
     * (it was admitted once). {@code assignee} non-empty: only that agent is offered it. A ticket already waiting
     * takes the new assignee and the answer is {@link Refused#ALREADY_WAITING}. The claim runs behind the enqueue,
     * as for a caller; the offers it made are the caller's to place. {@code data} is the entry's custom data, which
     * the agent's offer shows (that it is a callback, and of which ticket).
     */
    public Joined enqueueTicket(String tenant, QueueDefinition definition, String entryId, String number,
            String name, int priority, long enqueuedAt, String assignee, Map<String, String> data) {
        return join(tenant, definition, entryId, number, name, priority, Map.of(), data, true, enqueuedAt,
                "ticket", assignee);
    }

    private Joined join(String tenant, QueueDefinition definition, String callId, String number, String name,
            int priority, Map<String, Integer> skills, Map<String, String> data, boolean claimBehind) {
        return join(tenant, definition, callId, number, name, priority, skills, data, claimBehind, 0, "call", "");
    }

    private Joined join(String tenant, QueueDefinition definition, String callId, String number, String name,
            int priority, Map<String, Integer> skills, Map<String, String> data, boolean claimBehind,
            long enqueuedAt, String kind, String assignee) {
        boolean ticket = "ticket".equals(kind);
        if (priority < 0 || priority > 99) {
            throw new IllegalArgumentException("priority must be 0-99");
        }
        String queue = definition.number();
        String skillList = skills.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue())
                .collect(Collectors.joining(","));
        Supplier<Object> enqueued = scripts.send(AcdScripts.ENQUEUE, tenant,
                List.of(Keys.queueWait(tenant, queue), Keys.queueCaller(tenant, callId),
                        Keys.queueMembers(tenant, queue), Keys.queueReady(tenant, queue)),
                queue, callId, scripts.nodeId(), Integer.toString(priority), number, name == null ? "" : name,
                skillList, encode(data), ticket ? "0" : Integer.toString(definition.maxLength()),
                ticket || definition.joinEmpty() ? "1" : "0", Long.toString(enqueuedAt), kind, assignee);
        // The claim rides behind the enqueue in the same round trip: with an agent free, the caller leaves Redis
        // already offered, without waiting for the dispatcher's turn, a second read of the queue and another trip.
        Supplier<List<OfferGrant>> claimed = claimBehind ? dispatch.claimBehind(tenant, definition) : List::of;
        Enqueued reply;
        try {
            reply = ScriptReply.decode(enqueued.get(), Enqueued.class);
        } catch (RuntimeException enqueueFailed) {
            placeLost(tenant, queue, claimed); // the claim may still have reserved agents for callers ahead
            throw enqueueFailed;
        }
        List<OfferGrant> offers;
        try {
            offers = claimed.get();
        } catch (RuntimeException claimFailed) {
            log.warn("claim behind the enqueue of {} in {}@{} failed; the dispatcher claims again", callId, queue,
                    tenant, claimFailed);
            dispatch.queueChanged(tenant, queue);
            offers = List.of();
        }
        if (reply.outcome() == Enqueued.Outcome.OK) {
            // An entry a failover forgot would leave the caller hearing music with no offer ever made; after a claim
            // that already waited this returns at once.
            scripts.awaitReplicas("caller's entry");
        }
        return switch (reply.outcome()) {
            case OK -> new Joined(reply.position(), null, offers);
            case FULL -> new Joined(0, Refused.QUEUE_FULL, offers);
            case EMPTY -> new Joined(0, Refused.QUEUE_EMPTY, offers);
            case EXISTS -> new Joined(0, Refused.ALREADY_WAITING, offers);
        };
    }

    /** Places what a claim behind a failed enqueue reserved, if it ran; its leases cover the rest. */
    private void placeLost(String tenant, String queue, Supplier<List<OfferGrant>> claimed) {
        try {
            dispatch.claimed(tenant, queue, claimed.get());
        } catch (RuntimeException alsoFailed) {
            log.debug("claim behind a failed enqueue in {}@{} failed too", queue, tenant, alsoFailed);
        }
    }

    /** The caller leaves without an agent; a ringing offer is cancelled and its agents freed. */
    public boolean leave(String tenant, String queue, String callId, Exit exit, String key) {
        return leave(tenant, queue, callId, exit, key, "");
    }

    /**
     * As {@link #leave(String, String, String, Exit, String)}, naming where the caller goes ({@code kind:target},
     * such as {@code extension:1002}) in the queue log's EXITWITHTIMEOUT / EXITWITHKEY and the caller.left event.
     */
    public boolean leave(String tenant, String queue, String callId, Exit exit, String key, String destination) {
        Left reply = ScriptReply.decode(scripts.run(AcdScripts.LEAVE, tenant,
                List.of(Keys.queueWait(tenant, queue), Keys.queueCaller(tenant, callId),
                        Keys.queueReady(tenant, queue)),
                queue, callId, exit.wire, key == null ? "" : key, destination == null ? "" : destination), Left.class);
        if (!reply.released().isEmpty()) {
            dispatch.agentsFreed(tenant);
        }
        return reply.outcome().equals(OK);
    }

    /**
     * A supervisor moves a waiting caller to the head of its queue ({@code target} null) or to another queue of the
     * tenant; a ringing offer is cancelled. Returns the caller's new position, empty when it is no longer waiting.
     */
    public Optional<Integer> move(String tenant, String callId, String target) {
        if (target != null && queues.find(tenant, target).isEmpty()) {
            throw new IllegalArgumentException("no queue " + target);
        }
        Moved reply = ScriptReply.decode(scripts.run(AcdScripts.MOVE, tenant,
                List.of(Keys.queueCaller(tenant, callId)), callId, target == null ? "" : target), Moved.class);
        if (!reply.outcome().equals(OK)) {
            return Optional.empty();
        }
        dispatch.queueChanged(tenant, reply.queue());
        dispatch.agentsFreed(tenant); // a cancelled offer freed its agents
        return Optional.of(reply.position());
    }

    /** Waiting callers of a queue in order. */
    public List<QueueEntry> waiting(String tenant, String queue) {
        List<QueueEntry> entries = new ArrayList<>();
        int position = 0;
        for (String callId : redis.commands().zrange(Keys.queueWait(tenant, queue), 0, -1)) {
            position++;
            Map<String, String> hash = redis.commands().hgetall(Keys.queueCaller(tenant, callId));
            if (!hash.isEmpty()) {
                entries.add(decode(hash, position));
            }
        }
        return entries;
    }

    /** One waiting caller with its current position. */
    public Optional<QueueEntry> find(String tenant, String queue, String callId) {
        Long rank = redis.commands().zrank(Keys.queueWait(tenant, queue), callId);
        Map<String, String> hash = redis.commands().hgetall(Keys.queueCaller(tenant, callId));
        if (rank == null || hash.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(decode(hash, rank.intValue() + 1));
    }

    /**
     * Estimated wait of the caller at {@code position}: position × today's average handle time ÷ staffed members
     * (at least one), all read from Redis.
     */
    public Duration estimatedWait(String tenant, String queue, int position, Instant now) {
        Map<String, String> stats = redis.commands().hgetall(Keys.queueStats(tenant, queue, QueueStatistics.day(now)));
        long completed = AgentSessions.number(stats.get("completed"));
        long handleMs = completed == 0 ? DEFAULT_HANDLE_TIME.toMillis()
                : AgentSessions.number(stats.get("talkMs")) / completed;
        int staffed = 0;
        for (String member : redis.commands().zrange(Keys.queueMembers(tenant, queue), 0, -1)) {
            if (redis.commands().sismember(Keys.agentSessions(tenant), member)) {
                staffed++;
            }
        }
        return Duration.ofMillis(position * handleMs / Math.max(1, staffed));
    }

    /** Oldest enqueue time of a queue (ms), from the scores (which hold it below the priority). */
    long oldestEnqueue(String tenant, String queue) {
        long oldest = Long.MAX_VALUE;
        for (ScoredValue<String> scored : redis.commands().zrangeWithScores(Keys.queueWait(tenant, queue), 0, -1)) {
            oldest = Math.min(oldest, (long) (scored.getScore() % 1e13));
        }
        return oldest;
    }

    private QueueEntry decode(Map<String, String> hash, int position) {
        Map<String, Integer> skills = new LinkedHashMap<>();
        String list = hash.getOrDefault("skills", "");
        if (!list.isEmpty()) {
            for (String skill : list.split(",")) {
                int colon = skill.indexOf(':');
                skills.put(skill.substring(0, colon), Integer.parseInt(skill.substring(colon + 1)));
            }
        }
        return new QueueEntry(hash.get("callId"), hash.get("queue"), hash.get("owner"), hash.get("number"),
                hash.get("name"), Integer.parseInt(hash.getOrDefault("priority", "0")), skills,
                decodeData(hash.get("data")), AgentSessions.instant(hash.get("enqueuedAt")), position,
                hash.get("offer"));
    }

    private String encode(Map<String, String> data) {
        try {
            return json.writeValueAsString(data == null ? Map.of() : data);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("custom data is not serialisable", e);
        }
    }

    /** A caller's custom data as stored (see {@link CallerData}). */
    public Map<String, String> decodeData(String stored) {
        return CallerData.decode(stored);
    }
    /** The outcome scripts report when they did what was asked. */
    private static final String OK = "ok";

    /** What {@code enqueue.lua} returns (JSON): the outcome and, when the caller joined, its position. */
    record Enqueued(Outcome outcome, int position) {

        enum Outcome {
            @JsonProperty("ok") OK,
            @JsonProperty("exists") EXISTS,
            @JsonProperty("full") FULL,
            @JsonProperty("empty") EMPTY
        }
    }

    /** What {@code leave.lua} returns (JSON): ok, gone or connected, and the agents a cancelled offer freed. */
    record Left(String outcome, List<String> released) {

        Left {
            released = released == null ? List.of() : released;
        }
    }

    /** What {@code move.lua} returns (JSON): ok, gone or connected, and where the caller now waits. */
    record Moved(String outcome, String queue, int position) {
    }
}
