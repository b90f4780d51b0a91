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
 */
@Validated
@ConfigurationProperties("tandem.call")
public record CallProperties(
        @DefaultValue("30s") @NotNull Duration ringTimeout,
        @DefaultValue("30s") @NotNull Duration trunkValidity) {

    public CallProperties {
        if (ringTimeout.isNegative() || ringTimeout.isZero()) {
            throw new IllegalArgumentException("tandem.call.ring-timeout must be positive");
        }
        if (trunkValidity.isNegative() || trunkValidity.isZero()) {
            throw new IllegalArgumentException("tandem.call.trunk-validity must be positive");
        }
    }
}
