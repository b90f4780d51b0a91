package io.tandem.callback.ticket;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Callback tickets ({@code tandem.callback.tickets.*}).
 *
 * @param retryDelay  after an attempt that reached nobody, the ticket waits this long before it is offered again
 * @param maxAttempts attempts before the ticket fails (the first included)
 * @param listLimit   tickets one REST list returns at most when the request names no {@code limit}
 * @param checkInterval how often retry-wait tickets whose delay passed are offered again, and the tickets of a node
 *                    that died are moved to another
 */
@Validated
@ConfigurationProperties("tandem.callback.tickets")
public record TicketProperties(
        @DefaultValue("5m") @NotNull Duration retryDelay,
        @DefaultValue("3") @Min(1) @Max(20) int maxAttempts,
        @DefaultValue("100") @Min(1) @Max(1000) int listLimit,
        @DefaultValue("1s") @NotNull Duration checkInterval) {

    public TicketProperties {
        if (retryDelay != null && (retryDelay.isNegative() || retryDelay.isZero())) {
            throw new IllegalArgumentException(
                    "tandem.callback.tickets.retry-delay must be positive (got " + retryDelay + ")");
        }
        if (checkInterval != null && (checkInterval.isNegative() || checkInterval.isZero())) {
            throw new IllegalArgumentException(
                    "tandem.callback.tickets.check-interval must be positive (got " + checkInterval + ")");
        }
    }
}
