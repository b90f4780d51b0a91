package io.tandem.backend.cdr;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Call records ({@code tandem.cdr.*}).
 *
 * @param maxLength  approximate number of records kept per tenant stream ({@code XADD MAXLEN ~})
 * @param maxResults most records one query returns
 * @param clockSkew  tolerated clock difference between nodes and Redis when selecting by time
 * @param maxRange   widest time range one query may ask for
 */
@Validated
@ConfigurationProperties("tandem.cdr")
public record CdrProperties(
        @DefaultValue("100000") @Min(100) long maxLength,
        @DefaultValue("10000") @Min(1) @Max(1_000_000) int maxResults,
        @DefaultValue("5m") @NotNull Duration clockSkew,
        @DefaultValue("31d") @NotNull Duration maxRange) {
}
