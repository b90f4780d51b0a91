package io.tandem.backend.acd.dispatch;

import io.tandem.backend.acd.AcdProperties;
import io.tandem.backend.acd.AcdScripts;
import io.tandem.backend.acd.queues.QueueDefinition;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.ScriptReply;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.stereotype.Service;

/**
 * The atomic decisions of dispatch: claim (caller + agents reserved in one script), and what the ringing node
 * reports afterwards: accept (first answer wins, the other ring-all agents are released), no-answer, release; and
 * the end of a connected call. Each is one Lua script, fenced by the agent record's version.
 */
@Service
public class Claims {

    /** The outcome of an answer. */
    public enum Answer { CONNECTED, LOST }

    /**
     * How an agent missed an offer: its phone rang out, declined or was busy (a miss, the queue's max-misses rule), or
     * it could not be reached at all (no binding, 404 / 480 from its phone: not-ready {@code unreachable} at once).
     */
    public enum Miss {
        NO_ANSWER("no-answer"), UNREACHABLE("unreachable");

        private final String wire;

        Miss(String wire) {
            this.wire = wire;
        }
    }

    private final AcdScripts scripts;
    private final AcdProperties properties;
    private final SecureRandom random = new SecureRandom();

    public Claims(AcdScripts scripts, AcdProperties properties) {
        this.scripts = scripts;
        this.properties = properties;
    }

    /**
     * Offers the best caller of a queue to the best agent(s) by the queue's strategy, or nothing.
     *
     * @param aliveNodes callers owned by other nodes are left alone (their node is dead or unknown)
     */
    public Optional<OfferGrant> claim(String tenant, QueueDefinition queue, Collection<String> aliveNodes) {
        return claim(tenant, queue, aliveNodes, 1).stream().findFirst();
    }

    /**
     * Up to {@code max} offers in one script: each is the claim {@link #claim(String, QueueDefinition, Collection)}
     * would make next, in queue order, so a batch decides exactly what as many single claims in a row would. One
     * round trip and one script run for a burst of callers and free agents (a shift starting, a queue draining).
     */
    public List<OfferGrant> claim(String tenant, QueueDefinition queue, Collection<String> aliveNodes, int max) {
        return claimLater(tenant, queue, aliveNodes, max).get();
    }

    /**
     * As {@link #claim(String, QueueDefinition, Collection, int)}, sent now and read later: a claim sent right after
     * another script (a caller's enqueue) shares its round trip and runs after it.
     */
    Supplier<List<OfferGrant>> claimLater(String tenant, QueueDefinition queue, Collection<String> aliveNodes,
            int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max claims " + max);
        }
        String q = queue.number();
        List<String> offerIds = new ArrayList<>(max);
        for (int i = 0; i < max; i++) {
            offerIds.add(newOfferId());
        }
        long ringMs = queue.ringTimeoutSeconds() * 1000L;
        List<String> nodes = new ArrayList<>(aliveNodes);
        List<String> channels = new ArrayList<>(nodes.size());
        // The script publishes another node's offer itself unless the offer must wait for the replicas first: that
        // node would ring the agent before the claim was safe from a failover.
        if (!scripts.awaitsReplicas()) {
            for (String node : nodes) {
                channels.add(Keys.nodeOffers(node));
            }
        }
        Supplier<Object> reply = scripts.send(AcdScripts.CLAIM, tenant,
                List.of(Keys.queueWait(tenant, q), Keys.queueMembers(tenant, q), Keys.queueTiers(tenant, q),
                        Keys.queueState(tenant, q), Keys.availableAgents(tenant), Keys.queueReady(tenant, q),
                        Keys.availableAgentsByCalls(tenant), Keys.availableAgentsByTalk(tenant)),
                q, queue.strategy().wireName(), Long.toString(ringMs),
                Long.toString(ringMs + properties.leaseMargin().toMillis()),
                Long.toString(queue.tierDelaySeconds() * 1000L), Integer.toString(properties.claimScanLimit()),
                Integer.toString(properties.ringAllMax()), Integer.toString(random.nextInt(1 << 30)),
                String.join(",", offerIds), String.join(",", nodes), queue.name(), tenant, String.join(",", channels));
        return () -> {
            List<OfferGrant> grants = grants(tenant, q, ScriptReply.decode(reply.get(), ClaimReply.class));
            if (!grants.isEmpty()) {
                // A claim a failover forgot would leave the agent we ring free and the caller ready: both offered
                // again while this offer rings.
                scripts.awaitReplicas("claim");
            }
            return grants;
        };
    }

    /** The claim script's reply as offers of this tenant's queue. */
    private static List<OfferGrant> grants(String tenant, String q, ClaimReply reply) {
        List<OfferGrant> grants = new ArrayList<>(reply.grants().size());
        for (ClaimReply.Grant grant : reply.grants()) {
            grants.add(new OfferGrant(grant.offerId(), tenant, q, grant.callId(), grant.callerNode(),
                    Instant.ofEpochMilli(grant.leaseUntil()), grant.agents(), grant.delivered()));
        }
        return grants;
    }

    /** What {@code claim.lua} returns (JSON): the offers it made, each with its reserved agents. */
    record ClaimReply(List<Grant> grants) {

        /** One offer; {@code leaseUntil} in epoch ms; {@code delivered}: the script published it to its node. */
        record Grant(String offerId, String callId, String callerNode, long leaseUntil,
                List<OfferGrant.Reservation> agents, boolean delivered) {
        }
    }

    /**
     * The agent answered. {@link Answer#LOST} when another agent of a ring-all answered first, the caller left, or
     * the reservation is no longer this one (its lease ran out and the agent was claimed again).
     *
     * @param version the reservation's version from the grant; fences a late answer from a stale reservation
     */
    public Answer accept(String tenant, QueueDefinition queue, String offerId, String agentId, long version) {
        Accepted reply = ScriptReply.decode(scripts.run(AcdScripts.ACCEPT, tenant,
                List.of(Keys.offer(tenant, offerId)), offerId, agentId, Long.toString(version),
                Long.toString(queue.serviceLevelSeconds() * 1000L)), Accepted.class);
        if (!reply.outcome().equals(OK)) {
            return Answer.LOST;
        }
        // An answer a failover forgot would leave the agent reserved and the caller's offer live while they talk:
        // the lease would then free the agent and put the caller back in the queue, offered again.
        scripts.awaitReplicas("answer");
        return Answer.CONNECTED;
    }

    /** The offer rang the agent for the whole ring timeout; returns the agent's state afterwards. */
    public String noAnswer(String tenant, QueueDefinition queue, String offerId, String agentId) {
        return noAnswer(tenant, queue, offerId, agentId, Miss.NO_ANSWER);
    }

    /** The agent missed the offer as {@code miss} says; returns the agent's state afterwards. */
    public String noAnswer(String tenant, QueueDefinition queue, String offerId, String agentId, Miss miss) {
        NoAnswer reply = ScriptReply.decode(scripts.run(AcdScripts.NO_ANSWER, tenant,
                List.of(Keys.offer(tenant, offerId)), offerId, agentId, Integer.toString(queue.maxMisses()),
                Long.toString(queue.retryDelaySeconds() * 1000L), miss.wire), NoAnswer.class);
        return reply.state() == null ? "" : reply.state();
    }

    /** Ends an offer without a connection; its agents are available again. Returns them. */
    public List<String> release(String tenant, QueueDefinition queue, String offerId, String why) {
        return AcdScripts.strings(scripts.run(AcdScripts.RELEASE, tenant, List.of(Keys.offer(tenant, offerId)),
                offerId, why, Long.toString(queue.retryDelaySeconds() * 1000L)));
    }

    /**
     * How an agent's queue call ended, as {@code call_end.lua} takes it: a hang-up (COMPLETEAGENT /
     * COMPLETECALLER), or the agent transferred the caller (BLINDTRANSFER / ATTENDEDTRANSFER, RFC 3515 REFER).
     */
    public enum CallEnding {
        CALLER("caller"), AGENT("agent"), BLIND_TRANSFER("blind"), ATTENDED_TRANSFER("attended");

        private final String wire;

        CallEnding(String wire) {
            this.wire = wire;
        }
    }

    /** A connected queue call ended: wrap-up per the queue, counters, queue log. */
    public boolean callEnded(String tenant, QueueDefinition queue, String agentId, boolean agentHungUp) {
        return callEnded(tenant, queue, agentId, agentHungUp ? CallEnding.AGENT : CallEnding.CALLER, "");
    }

    /**
     * The agent's part of a connected queue call is over ({@code how}; {@code target}: the number a transfer sent
     * the caller to, else ""): wrap-up per the queue, counters, the queue log's entry for it.
     */
    public boolean callEnded(String tenant, QueueDefinition queue, String agentId, CallEnding how, String target) {
        CallEnd reply = ScriptReply.decode(scripts.run(AcdScripts.CALL_END, tenant,
                List.of(Keys.agent(tenant, agentId)), agentId, Long.toString(queue.wrapUpSeconds() * 1000L),
                how.wire, target, tenant), CallEnd.class);
        if (!reply.outcome().equals(OK)) {
            return false;
        }
        // A call end a failover forgot would leave the agent on-call, which no lease ends.
        scripts.awaitReplicas("call end");
        return true;
    }

    /**
     * An agent joined a parked caller's room (its join won): on call for {@code queue} as if it had answered an offer
     * (CONNECT marked as a callback), so its hang-up starts wrap-up through {@link #callEnded}; a logged-out member
     * of the queue (woken by a push) is logged in by the join. False for someone logged out who is no member of the
     * queue, or an agent busy with another call: its state is left alone.
     */
    public boolean callbackConnected(String tenant, String queue, String agentId, String callId, long enqueuedAt,
            String roomId) {
        CallbackConnect reply = ScriptReply.decode(scripts.run(AcdScripts.CALLBACK_CONNECT, tenant,
                List.of(Keys.agent(tenant, agentId)), agentId, queue, callId, Long.toString(enqueuedAt), roomId),
                CallbackConnect.class);
        return reply.outcome().equals(OK);
    }

    /** Expires lapsed leases and finished wrap-ups of a tenant; returns the agents made available. */
    public List<String> sweep(String tenant, int limit, long retryMs) {
        return AcdScripts.strings(scripts.run(AcdScripts.SWEEP, tenant, List.of(Keys.agentTimers(tenant)),
                Integer.toString(limit), Long.toString(retryMs)));
    }

    private String newOfferId() {
        byte[] bytes = new byte[12];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
    /** The outcome scripts report when they did what was asked. */
    private static final String OK = "ok";

    /**
     * What {@code accept.lua} returns (JSON): ok (with the wait and the ring-all agents released), gone, not-reserved
     * (with the agent's state) or stale (with its version).
     */
    record Accepted(String outcome, long waitedMs, List<String> released, String state, long version) {
    }

    /** What {@code no_answer.lua} returns (JSON): ok or not-reserved, the agent's state and misses in a row. */
    record NoAnswer(String outcome, String state, long misses) {
    }

    /** What {@code call_end.lua} returns (JSON): ok or not-on-call, the agent's state and the talk time. */
    record CallbackConnect(String outcome, String state) {
    }

    record CallEnd(String outcome, String state, long talkMs) {
    }
}
