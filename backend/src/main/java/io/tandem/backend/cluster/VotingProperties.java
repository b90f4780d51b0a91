package io.tandem.backend.cluster;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The nodes' votes on each other's reachability ({@code tandem.cluster.voting.*}): each node asks every other live
 * node with OPTIONS over the inter-node trunk's port and votes; a majority takes a node out of dialling and a
 * majority brings it back ({@link NodeVotes}).
 *
 * @param enabled       probe and vote; off, this node neither votes nor decides (the others still vote on it)
 * @param probeInterval how often this node probes every other live node (RFC 3261 §11: an OPTIONS, no call)
 * @param probeTimeout  a probe unanswered for this long is a vote "unreachable" (a UDP OPTIONS would otherwise wait
 *                      for Timer F, 32 s, RFC 3261 §17.1.2.2)
 * @param misses        probes in a row a node must leave unanswered before this node votes it unreachable: one lost
 *                      or late answer (a loaded node, a dropped datagram) is no partition
 * @param voteTtl       a vote counts for this long; a voter that stopped (dead, or cut off from Redis) no longer
 *                      counts after it. More than {@code probe-interval + probe-timeout}, so a live voter's vote is
 *                      always fresh
 */
@Validated
@ConfigurationProperties("tandem.cluster.voting")
public record VotingProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("2s") @NotNull Duration probeInterval,
        @DefaultValue("2s") @NotNull Duration probeTimeout,
        @DefaultValue("2") @Min(1) @Max(10) int misses,
        @DefaultValue("10s") @NotNull Duration voteTtl) {

    public VotingProperties {
        positive("probe-interval", probeInterval);
        positive("probe-timeout", probeTimeout);
        positive("vote-ttl", voteTtl);
        if (voteTtl != null && probeInterval != null && probeTimeout != null
                && voteTtl.compareTo(probeInterval.plus(probeTimeout)) <= 0) {
            throw new IllegalArgumentException("tandem.cluster.voting.vote-ttl must be longer than "
                    + "tandem.cluster.voting.probe-interval + probe-timeout (" + probeInterval.plus(probeTimeout)
                    + "): a live voter's vote would expire between its probes");
        }
    }

    private static void positive(String name, Duration value) {
        if (value != null && (value.isNegative() || value.isZero())) {
            throw new IllegalArgumentException("tandem.cluster.voting." + name + " must be positive (got " + value
                    + ")");
        }
    }
}
