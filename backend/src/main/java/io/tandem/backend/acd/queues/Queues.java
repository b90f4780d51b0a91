package io.tandem.backend.acd.queues;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.ScriptOutputType;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.LuaScript;
import io.tandem.backend.redis.Redis;
import io.tandem.protocol.Protocol;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.springframework.stereotype.Service;

/**
 * Queue definitions of a tenant in Redis: the definition as JSON ({@code q:<n>:def}) plus what the claim script
 * reads while it runs, the members in order ({@code q:<n>:members}, score = position) and their tier and penalty
 * ({@code q:<n>:tiers}). One script writes all of them, so the claim never sees half a change.
 */
@Service
public class Queues {

    private static final LuaScript SAVE = LuaScript.load("queues/queue_save", ScriptOutputType.INTEGER);

    private static final LuaScript DELETE = LuaScript.load("queues/queue_delete", ScriptOutputType.INTEGER);

    private static final LuaScript AVAILABLE_MEMBERS =
            LuaScript.load("queues/available_members", ScriptOutputType.INTEGER);

    /** Outcome of a write. */
    public enum Saved { CREATED, REPLACED, EXISTS }

    /** Outcome of a delete. */
    public enum Deleted { DELETED, NOT_FOUND, CALLERS_WAITING }

    private final Redis redis;
    private final ObjectMapper json = Protocol.mapper();
    /**
     * The last decoding of each queue's stored JSON, with the digest stored beside it. Redis stays the only truth:
     * every read asks for the digest, and reads and decodes the definition only when the digest differs (with 500
     * members the definition is ~25 kB, read on every INVITE to the queue and every dispatch drain). A digest, not a
     * counter, so that a Redis that lost writes or was flushed cannot hand back an old number for a new definition.
     */
    private final Map<String, Decoded> decoded = new ConcurrentHashMap<>();

    private record Decoded(String digest, String stored, QueueDefinition queue) {
    }

    public Queues(Redis redis) {
        this.redis = redis;
    }

    /** Writes a queue; with {@code createOnly} an existing one is left alone ({@link Saved#EXISTS}). */
    public Saved save(String tenant, QueueDefinition queue, boolean createOnly) {
        String encoded = encode(queue);
        List<String> args = new ArrayList<>(List.of(encoded, queue.number(), createOnly ? "1" : "0",
                digest(encoded)));
        for (QueueDefinition.Member member : queue.members()) {
            args.add(member.agent());
            args.add(Integer.toString(member.tier()));
            args.add(Integer.toString(member.penalty()));
        }
        Long result = redis.run(SAVE, List.of(Keys.queue(tenant, queue.number()), Keys.queueMembers(tenant,
                queue.number()), Keys.queueTiers(tenant, queue.number()), Keys.queues(tenant),
                Keys.queueDigests(tenant)), args.toArray(String[]::new));
        return result == -1L ? Saved.EXISTS : result == 1L ? Saved.CREATED : Saved.REPLACED;
    }

    public Deleted delete(String tenant, String number) {
        Long result = redis.run(DELETE, List.of(Keys.queue(tenant, number), Keys.queueMembers(tenant, number),
                Keys.queueTiers(tenant, number), Keys.queues(tenant), Keys.queueWait(tenant, number),
                Keys.queueDigests(tenant)), number);
        return result == -1L ? Deleted.CALLERS_WAITING : result == 1L ? Deleted.DELETED : Deleted.NOT_FOUND;
    }

    public Optional<QueueDefinition> find(String tenant, String number) {
        return find(tenant, number, redis.commands().hget(Keys.queueDigests(tenant), number));
    }

    /** A queue, given the digest Redis holds for it (null: none, as for a queue written before digests). */
    private Optional<QueueDefinition> find(String tenant, String number, String digest) {
        String key = Keys.queue(tenant, number);
        Decoded last = decoded.get(key);
        if (digest != null && last != null && digest.equals(last.digest())) {
            return Optional.of(last.queue());
        }
        String stored = redis.commands().get(key);
        if (stored == null) {
            decoded.remove(key);
            return Optional.empty();
        }
        QueueDefinition queue = last != null && last.stored().equals(stored) ? last.queue() : decode(stored);
        // Kept under the digest only when it names what was read: a save between the two reads leaves the digest
        // naming the older definition, so the next read, seeing the new digest, reads again.
        String checked = digest != null && digest.equals(digest(stored)) ? digest : null;
        decoded.put(key, new Decoded(checked, stored, queue));
        return Optional.of(queue);
    }

    /** The tenant's queues by number. */
    public List<QueueDefinition> list(String tenant) {
        Map<String, String> digests = redis.commands().hgetall(Keys.queueDigests(tenant));
        List<QueueDefinition> all = new ArrayList<>();
        for (String number : redis.commands().smembers(Keys.queues(tenant))) {
            find(tenant, number, digests.get(number)).ifPresent(all::add);
        }
        all.sort(Comparator.comparing(QueueDefinition::number));
        return all;
    }

    /**
     * How many members of a queue are available now, in one round trip (ZINTERCARD would need Redis 7; the embedded
     * Redis is 6.2).
     */
    public int availableMembers(String tenant, String number) {
        return ((Long) redis.run(AVAILABLE_MEMBERS, List.of(Keys.queueMembers(tenant, number),
                Keys.availableAgents(tenant)))).intValue();
    }

    /**
     * {@link #availableMembers}, sent now and read later: reads of many queues sent one after another share a round
     * trip.
     */
    public Supplier<Integer> availableMembersLater(String tenant, String number) {
        Supplier<Long> reply = redis.send(AVAILABLE_MEMBERS, List.of(Keys.queueMembers(tenant, number),
                Keys.availableAgents(tenant)));
        return () -> reply.get().intValue();
    }

    /** Numbers of the queues an agent is a member of. */
    public List<String> membership(String tenant, String agentId) {
        List<String> numbers = new ArrayList<>();
        for (QueueDefinition queue : list(tenant)) {
            if (queue.members().stream().anyMatch(m -> m.agent().equals(agentId))) {
                numbers.add(queue.number());
            }
        }
        return numbers;
    }

    private String encode(QueueDefinition queue) {
        try {
            return json.writeValueAsString(queue);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write queue " + queue.number(), e);
        }
    }

    /** SHA-256 of a stored definition, hex. */
    static String digest(String stored) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(stored.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the JDK", e);
        }
    }

    private QueueDefinition decode(String stored) {
        try {
            return json.readValue(stored, QueueDefinition.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable queue definition in Redis", e);
        }
    }
}
