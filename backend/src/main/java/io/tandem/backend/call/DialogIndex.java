package io.tandem.backend.call;

import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.LuaScript;
import io.tandem.backend.redis.OwedWrites;
import io.tandem.backend.redis.Redis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which node holds a dialog, cluster-wide. A phone names a dialog in Replaces (RFC 3891) by the Call-ID and tags it
 * shares with the node its phone talks to, but its INVITE or REFER may reach another node (another registration of
 * the user, the edge's dispatcher): that node finds the holder here and forwards the request over the signed trunk.
 * A leg is indexed when its dialog is confirmed (the call answered — before our 200 to the caller —, a transfer
 * completed) and removed when this node lets the leg go; the entry's TTL ({@code tandem.call.dialog-ttl}) is
 * refreshed by this node every third of it, so a node that dies leaves nothing behind for longer than that. Legs over the trunk are not indexed: no phone holds
 * them.
 */
public final class DialogIndex {

    private static final Logger log = LoggerFactory.getLogger(DialogIndex.class);
    private static final String NODE = "node";
    private static final String PARTY = "party";
    /** The holder's own tag (a Replaces header's to-tag) and the far end's (its from-tag). */
    private static final String LOCAL_TAG = "localTag";
    private static final String REMOTE_TAG = "remoteTag";
    /** Writes the hashes of one or more legs (these four fields) with their TTL: one round trip. */
    private static final LuaScript INDEX = LuaScript.load("call/dialog_index", ScriptOutputType.INTEGER);

    /** What the index says of a dialog: the node holding it and the party of that leg. */
    public record Holder(String node, String party) {
    }

    private final Redis redis;
    private final OwedWrites writes;
    private final String nodeId;
    private final Duration ttl;
    /** Call-ID → tenant of every leg this node indexed and has not let go. */
    private final Map<String, String> indexed = new ConcurrentHashMap<>();
    /** True after a refresh failed on Redis, until one succeeds (the refresh thread's only). */
    private boolean failing;

    DialogIndex(Redis redis, OwedWrites writes, String nodeId, Duration ttl) {
        this.redis = redis;
        this.writes = writes;
        this.nodeId = nodeId;
        this.ttl = ttl;
    }

    /**
     * {@code leg}'s dialog is confirmed: the cluster may find it here. Written now, on the caller's thread, so a
     * Replaces naming it finds it as soon as the phone learns it; while Redis is away, retried on the writes' thread
     * (the TTL bounds an entry that lands after the leg's end).
     */
    void confirmed(String tenant, Leg leg) {
        confirmed(tenant, List.of(leg));
    }

    /**
     * As {@link #confirmed(String, Leg)} for the legs of one call at once (the caller's and the callee's when it is
     * answered): each leg's hash and its TTL in one script, the legs' scripts sent together, so the SIP thread waits
     * for one round trip to Redis where a command per field and leg took four.
     */
    void confirmed(String tenant, List<Leg> legs) {
        List<String[]> entries = new ArrayList<>(legs.size());
        for (Leg leg : legs) {
            if (leg.trunk || (leg.target != null && leg.target.viaTrunk())) {
                continue;
            }
            Optional<Replaces> tags = Replaces.of(leg);
            if (tags.isEmpty() || indexed.putIfAbsent(leg.callId, tenant) != null) {
                continue;
            }
            entries.add(new String[] {Keys.dialog(tenant, leg.callId), Long.toString(ttl.toMillis()), nodeId,
                leg.party, tags.get().toTag(), tags.get().fromTag()});
        }
        if (entries.isEmpty()) {
            return;
        }
        writes.now("dialog " + String.join(", ", entries.stream().map(e -> e[0]).toList()) + ": indexed", () -> {
            List<Supplier<Long>> replies = new ArrayList<>(entries.size());
            for (String[] e : entries) {
                replies.add(redis.send(INDEX, List.of(e[0]), Arrays.copyOfRange(e, 1, e.length)));
            }
            replies.forEach(Supplier::get);
        });
    }

    /** This node let {@code leg} go: its dialog is no longer found here. */
    void ended(Leg leg) {
        String tenant = indexed.remove(leg.callId);
        if (tenant != null) {
            String key = Keys.dialog(tenant, leg.callId);
            writes.owe("dialog " + leg.callId + ": removed from the index", () -> redis.commands().del(key));
        }
    }

    /**
     * The node holding the dialog {@code replaces} names, with that leg's party; empty when no node indexed it or
     * the tags do not match (RFC 3891 §3: then 481). Read on the SIP thread: one HGETALL.
     */
    Optional<Holder> holder(String tenant, Replaces replaces) {
        Map<String, String> entry = redis.commands().hgetall(Keys.dialog(tenant, replaces.callId()));
        if (entry == null || entry.get(NODE) == null || !replaces.toTag().equals(entry.get(LOCAL_TAG))
                || !replaces.fromTag().equals(entry.get(REMOTE_TAG))) {
            return Optional.empty();
        }
        return Optional.of(new Holder(entry.get(NODE), entry.get(PARTY)));
    }

    /**
     * The node holding the dialog a Replaces header's {@code value} names (RFC 3891 §6.1, unescaped), with that leg's
     * party: where a transferee's INVITE with that Replaces must go (a queue call's caller joined to its agent's
     * consultation). Empty when the value does not parse, or as {@link #holder(String, Replaces)}.
     */
    public Optional<Holder> holder(String tenant, String value) {
        return Replaces.parse(value).flatMap(replaces -> holder(tenant, replaces));
    }

    /** One round: every dialog this node still holds gets its full TTL again. Runs on the call timer. */
    void refresh() {
        try {
            for (Map.Entry<String, String> dialog : indexed.entrySet()) {
                redis.commands().pexpire(Keys.dialog(dialog.getValue(), dialog.getKey()), ttl.toMillis());
            }
            if (failing) {
                log.info("the dialog index is refreshed again");
                failing = false;
            }
        } catch (RedisException e) {
            if (!failing) {
                log.warn("cannot refresh this node's {} dialogs in the index while Redis is away: {}", indexed.size(),
                        e.getMessage());
                failing = true;
            }
        } catch (RuntimeException e) {
            // the timer thread must survive a bug here, or the node's dialogs would expire from the index
            log.error("refreshing the dialog index failed", e);
        }
    }

    /** Dialogs this node has in the index now. */
    int size() {
        return indexed.size();
    }
}
