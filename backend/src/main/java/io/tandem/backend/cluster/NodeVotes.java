package io.tandem.backend.cluster;

import com.fasterxml.jackson.annotation.JsonValue;
import io.lettuce.core.ScriptOutputType;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.LuaScript;
import io.tandem.backend.redis.Redis;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;

/**
 * Whether a node may dial, as the other nodes vote ({@link Keys#nodeVotes}). Heartbeats say whether a node reaches
 * Redis; votes say whether the nodes reach each other: a node whose heartbeat still arrives but whose SIP port the
 * others cannot reach (a partition between nodes, a firewall) would dial customers it cannot bridge to agents on
 * other nodes. Every node probes every other ({@code NodeProbe}) and votes; {@code cluster/vote.lua} records the
 * vote and decides in one step: a strict majority of the live voters saying unreachable takes the node out of
 * dialling, a strict majority saying reachable brings it back. A change is logged and told to the {@link Listener}s
 * (the campaigns publish it as {@code node.dialling} on every tenant's supervisor stream).
 */
@Service
public class NodeVotes {

    private static final Logger log = LoggerFactory.getLogger(NodeVotes.class);
    private static final LuaScript VOTE = LuaScript.load("cluster/vote", ScriptOutputType.MULTI);
    private static final String OUT = "out:";
    private static final String VOTE_FIELD = "vote:";

    /** What a node found when it probed another. */
    public enum Vote {
        REACHABLE, UNREACHABLE;

        @JsonValue
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Vote of(String wire) {
            return valueOf(wire.toUpperCase(Locale.ROOT));
        }
    }

    /** One voter's vote on a node and when it was cast (Redis time). */
    public record Ballot(Vote vote, Instant at) {
    }

    /**
     * The outcome of one vote.
     *
     * @param node      the node voted on
     * @param dialling  whether it is in dialling now
     * @param changed   whether this vote moved it in or out
     * @param voters    the live voters in dialling (the majority is of these)
     * @param votes     the votes that counted, voter → vote
     */
    public record Decision(String node, boolean dialling, boolean changed, int voters, Map<String, Vote> votes) {
    }

    /** Told of every change, on the voting thread; must not block. */
    public interface Listener {
        void changed(Decision decision);
    }

    /** A node's standing for the REST view: in dialling or not, and the votes on it. */
    public record Standing(boolean dialling, Map<String, Ballot> votes) {
    }

    private final Redis redis;
    private final VotingProperties properties;
    private final ObjectProvider<Listener> listeners;

    public NodeVotes(Redis redis, VotingProperties properties, ObjectProvider<Listener> listeners) {
        this.redis = redis;
        this.properties = properties;
        this.listeners = listeners;
    }

    /** Records {@code voter}'s vote on {@code subject} and decides; {@code live}: the ids of the live nodes. */
    public Decision vote(String subject, String voter, Vote vote, Collection<String> live) {
        return run(subject, voter, vote.wire(), live);
    }

    /** Decides on {@code subject} with the votes there are (a node with no voter left is brought back). */
    public Decision decide(String subject, Collection<String> live) {
        return run(subject, "", "", live);
    }

    /** Whether {@code node} may dial: not voted out. */
    public boolean dialling(String node) {
        if (!Keys.NODE.matcher(node).matches()) {
            throw new IllegalArgumentException("bad node id '" + node + "'");
        }
        return !redis.commands().hexists(Keys.nodeVotes(), OUT + node);
    }

    /** Every node's standing as stored (a vote older than the TTL may still be listed until the next decision). */
    public Map<String, Standing> standings() {
        Map<String, String> all = redis.commands().hgetall(Keys.nodeVotes());
        Map<String, Map<String, Ballot>> votes = new TreeMap<>();
        for (Map.Entry<String, String> field : all.entrySet()) {
            if (!field.getKey().startsWith(VOTE_FIELD)) {
                continue;
            }
            String[] parts = field.getKey().substring(VOTE_FIELD.length()).split(":", 2);
            String[] value = field.getValue().split(" ", 2);
            if (parts.length == 2 && value.length == 2) {
                votes.computeIfAbsent(parts[0], k -> new TreeMap<>()).put(parts[1],
                        new Ballot(Vote.of(value[0]), Instant.ofEpochMilli(Long.parseLong(value[1]))));
            }
        }
        Map<String, Standing> standings = new TreeMap<>();
        for (String node : votes.keySet()) {
            standings.put(node, new Standing(!all.containsKey(OUT + node), votes.get(node)));
        }
        for (String field : all.keySet()) {
            if (field.startsWith(OUT)) {
                standings.putIfAbsent(field.substring(OUT.length()), new Standing(false, Map.of()));
            }
        }
        return standings;
    }

    private Decision run(String subject, String voter, String vote, Collection<String> live) {
        List<String> args = new ArrayList<>(List.of(subject, voter, vote,
                Long.toString(properties.voteTtl().toMillis())));
        args.addAll(live);
        List<Object> reply = redis.run(VOTE, List.of(Keys.nodeVotes()), args.toArray(String[]::new));
        Map<String, Vote> counted = new TreeMap<>();
        for (int i = 3; i + 1 < reply.size(); i += 2) {
            counted.put((String) reply.get(i), Vote.of((String) reply.get(i + 1)));
        }
        Decision decision = new Decision(subject, "in".equals(reply.get(0)), ((Long) reply.get(1)) == 1L,
                ((Long) reply.get(2)).intValue(), counted);
        if (decision.changed()) {
            if (decision.dialling() && decision.voters() == 0) {
                log.warn("node '{}' is back in dialling: no other node is left to vote on it", subject);
            } else if (decision.dialling()) {
                log.warn("node '{}' is back in dialling: a majority of {} voters reach it again ({})", subject,
                        decision.voters(), counted);
            } else {
                log.warn("node '{}' is out of dialling: a majority of {} voters cannot reach it ({}); its heartbeat "
                        + "may still arrive", subject, decision.voters(), counted);
            }
            for (Listener listener : listeners.orderedStream().toList()) {
                try {
                    listener.changed(decision);
                } catch (RuntimeException e) {
                    // the decision stands in Redis; only this telling of it is lost
                    log.warn("node '{}': {} failed to hear that it is {} dialling", subject,
                            listener.getClass().getSimpleName(), decision.dialling() ? "back in" : "out of", e);
                }
            }
        }
        return decision;
    }
}
