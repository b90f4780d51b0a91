package io.tandem.backend.call;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Calls through this node ({@code tandem.call.*}).
 *
 * @param ringTimeout    how long the called party may ring before the caller gets 480 and the B-legs are cancelled
 * @param trunkValidity  how long a signed inter-node INVITE stays acceptable after its timestamp (also the clock
 *                       difference tolerated between nodes)
 * @param wakeWait       how long a call to a user with RFC 8599 push bindings waits for a woken device to REGISTER
 *                       (its new contact is added to the ringing call); a callee with no live contact but a push
 *                       binding gets 480 only after this (the call still ends at {@code ring-timeout} unanswered)
 * @param dialogTtl      how long the cluster-wide index keeps a dialog of this node's calls without being refreshed
 *                       (the node refreshes its live dialogs every third of it): what a crashed node leaves behind
 *                       is gone after this, so a Replaces naming it gets 481 rather than a dead node's trunk
 */
@Validated
@ConfigurationProperties("tandem.call")
public record CallProperties(
        @DefaultValue("30s") @NotNull Duration ringTimeout,
        @DefaultValue("30s") @NotNull Duration trunkValidity,
        @DefaultValue("30s") @NotNull Duration wakeWait,
        @DefaultValue("5m") @NotNull Duration dialogTtl) {

    public CallProperties {
        if (ringTimeout.isNegative() || ringTimeout.isZero()) {
            throw new IllegalArgumentException("tandem.call.ring-timeout must be positive");
        }
        if (trunkValidity.isNegative() || trunkValidity.isZero()) {
            throw new IllegalArgumentException("tandem.call.trunk-validity must be positive");
        }
        if (wakeWait.isNegative() || wakeWait.isZero()) {
            throw new IllegalArgumentException("tandem.call.wake-wait must be positive");
        }
        if (dialogTtl.compareTo(Duration.ofSeconds(3)) < 0) {
            throw new IllegalArgumentException("tandem.call.dialog-ttl must be at least 3s");
        }
    }
}
