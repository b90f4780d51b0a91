package io.tandem.backend.node;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Who this node is inside the cluster ({@code tandem.node.*}).
 *
 * @param id                node id, unique in the cluster; empty → derived from the host name
 * @param clusterSecret     shared secret for inter-node HMACs; required unless {@code tandem.demo.enabled}
 *                          (the demo generates one and says so in the log)
 * @param heartbeatInterval how often the node refreshes its membership key in Redis
 * @param heartbeatTtl      how long the membership key lives without a refresh; a node is dead after it
 */
@Validated
@ConfigurationProperties("tandem.node")
public record NodeProperties(
        @DefaultValue("") @Pattern(regexp = "|[A-Za-z0-9][A-Za-z0-9._-]{0,62}",
                message = "must be 1-63 letters, digits, '.', '_' or '-'") String id,
        @DefaultValue("") String clusterSecret,
        @DefaultValue("1s") @NotNull Duration heartbeatInterval,
        @DefaultValue("3s") @NotNull Duration heartbeatTtl) {

    public NodeProperties {
        if (heartbeatInterval != null && heartbeatTtl != null) {
            if (heartbeatInterval.isNegative() || heartbeatInterval.isZero()) {
                throw new IllegalArgumentException("tandem.node.heartbeat-interval must be positive");
            }
            if (heartbeatTtl.compareTo(heartbeatInterval.multipliedBy(2)) < 0) {
                throw new IllegalArgumentException(
                        "tandem.node.heartbeat-ttl must be at least twice tandem.node.heartbeat-interval");
            }
        }
        if (!clusterSecret.isEmpty() && clusterSecret.length() < 16) {
            throw new IllegalArgumentException("tandem.node.cluster-secret must be at least 16 characters");
        }
    }
}
